// The children archive list: search by name, filter by village, category, risk and duty status; register a child.
import { Text, View } from '@tarojs/components'
import Taro from '@tarojs/taro'
import { useEffect, useState } from 'react'
import { DUTY_STATUS_LABELS } from '../../core/cadence'
import type { ChildListItem } from '../../core/children'
import { CATEGORY_LABELS, type Category, type RiskLevel } from '../../core/domain'
import type { DutyBoardItem } from '../../core/duties'
import { ActionButton, ErrorState, LoadingState } from '../../components'
import { callApi, toApiError, useApiQuery, type ApiError } from '../../services'
import {
  Card,
  Chips,
  Empty,
  LinkRow,
  OfficerGate,
  Screen,
  Tag,
  TextField,
  type Officer,
} from '../components'
import { useDebounced, useReloadOnShow } from '../hooks'
import {
  CATEGORY_OPTIONS,
  PAGES,
  riskLabel,
  riskTone,
  RISK_OPTIONS,
  URGENCY_OPTIONS,
} from '../labels'

type Urgency = (typeof URGENCY_OPTIONS)[number]['value']
type Filters = {
  villageId: string | null
  category: Category | null
  riskLevel: RiskLevel | null
  urgency: Urgency | null
  archived: boolean
  q: string
}
type Rows =
  | { kind: 'archive'; items: ChildListItem[]; total: number; next: number | null }
  | { kind: 'board'; items: DutyBoardItem[]; total: number; next: string | null }

const PAGE_SIZE = 30

export default function ChildrenPage() {
  return (
    <Screen title="儿童档案">
      <OfficerGate>{(officer) => <ChildrenList officer={officer} />}</OfficerGate>
    </Screen>
  )
}

function ChildrenList({ officer }: { officer: Officer }) {
  const params = Taro.getCurrentInstance().router?.params ?? {}
  const [filters, setFilters] = useState<Filters>({
    villageId: null,
    category: null,
    riskLevel: null,
    urgency: params.urgency === 'overdue' || params.urgency === 'due_soon' ? params.urgency : null,
    archived: false,
    q: '',
  })
  const villages = useApiQuery('org.villages', {}, { enabled: officer.role === 'township_officer' })
  const [rows, setRows] = useState<Rows | null>(null)
  const [error, setError] = useState<ApiError | null>(null)
  const [attempt, setAttempt] = useState(0)
  useReloadOnShow(() => setAttempt((n) => n + 1))

  const set = <K extends keyof Filters>(key: K, value: Filters[K]) =>
    setFilters((f) => ({ ...f, [key]: f[key] === value && key !== 'q' ? null : value }))

  const load = async (more: Rows | null): Promise<Rows> => {
    const common = {
      ...(filters.villageId ? { villageId: filters.villageId } : {}),
      ...(filters.category ? { category: filters.category } : {}),
      ...(filters.riskLevel ? { riskLevel: filters.riskLevel } : {}),
    }
    if (filters.urgency) {
      const cursor = more?.kind === 'board' ? more.next : null
      const out = await callApi('duties.list', {
        ...common,
        status: filters.urgency,
        limit: PAGE_SIZE,
        ...(cursor ? { cursor } : {}),
      })
      const prev = more?.kind === 'board' ? more.items : []
      return {
        kind: 'board',
        items: [...prev, ...out.items],
        total: out.counts[filters.urgency],
        next: out.nextCursor,
      }
    }
    const offset = more?.kind === 'archive' ? (more.next ?? 0) : 0
    const q = filters.q.trim()
    const out = await callApi('children.list', {
      ...common,
      status: filters.archived ? 'archived' : 'active',
      limit: PAGE_SIZE,
      offset,
      ...(q ? { q } : {}),
    })
    const prev = more?.kind === 'archive' ? more.items : []
    return {
      kind: 'archive',
      items: [...prev, ...out.items],
      total: out.total,
      next: out.nextOffset,
    }
  }

  // Typing a name waits for a pause before asking again; other filters apply at once.
  const q = useDebounced(filters.q, 400)
  const filterKey = JSON.stringify({ ...filters, q })
  useEffect(() => {
    let live = true
    setRows(null)
    setError(null)
    load(null).then(
      (r) => live && setRows(r),
      (e: unknown) => live && setError(toApiError(e)),
    )
    return () => {
      live = false
    }
  }, [filterKey, attempt])

  const loadMore = () => {
    if (!rows) return
    load(rows).then(setRows, (e: unknown) => setError(toApiError(e)))
  }

  return (
    <View>
      <ActionButton
        onClick={() => void Taro.navigateTo({ url: PAGES.childForm() })}
        testId="register-child"
      >
        登记新儿童
      </ActionButton>
      <Card title="筛选">
        <TextField
          label="按姓名查找"
          value={filters.q}
          placeholder="输入姓名开头，如姓氏"
          onChange={(q) => setFilters((f) => ({ ...f, q }))}
        />
        {officer.role === 'township_officer' && villages.status === 'ready' ? (
          <Chips
            label="村"
            options={villages.data.villages.map((v) => ({ value: v.id, label: v.name }))}
            selected={filters.villageId ? [filters.villageId] : []}
            onToggle={(v) => set('villageId', v)}
            testId="filter-village"
          />
        ) : null}
        <Chips
          label="困境类别"
          options={CATEGORY_OPTIONS}
          selected={filters.category ? [filters.category] : []}
          onToggle={(v) => set('category', v)}
          testId="filter-category"
        />
        <Chips
          label="风险等级"
          options={RISK_OPTIONS}
          selected={filters.riskLevel ? [filters.riskLevel] : []}
          onToggle={(v) => set('riskLevel', v)}
          testId="filter-risk"
        />
        <Chips
          label="履职状态"
          options={URGENCY_OPTIONS}
          selected={filters.urgency ? [filters.urgency] : []}
          onToggle={(v) => set('urgency', v)}
          testId="filter-urgency"
        />
        {!filters.urgency ? (
          <Chips
            label="档案状态"
            options={[
              { value: 'active', label: '在档' },
              { value: 'archived', label: '已归档' },
            ]}
            selected={[filters.archived ? 'archived' : 'active']}
            onToggle={(v) => setFilters((f) => ({ ...f, archived: v === 'archived' }))}
          />
        ) : null}
      </Card>

      {error ? (
        <ErrorState error={error} onRetry={() => setAttempt((n) => n + 1)} />
      ) : !rows ? (
        <LoadingState />
      ) : (
        <Card title={`共 ${rows.total} 名`} testId="children-list">
          {rows.items.length === 0 ? <Empty>没有符合条件的儿童</Empty> : null}
          {rows.kind === 'archive'
            ? rows.items.map((c) =>
                c.view === 'officer' ? (
                  <LinkRow key={c.id} url={PAGES.child(c.id)} testId={`child-${c.id}`}>
                    <View className="o-stack">
                      <Text className="o-strong">
                        {c.name}（{c.sex === 'male' ? '男' : '女'}，{c.age}岁）
                      </Text>
                      <Text className="o-muted">
                        {c.villageName} · {c.school || '未填学校'}
                      </Text>
                      <View>
                        <Tag tone={riskTone(c.riskLevel)}>{riskLabel(c.riskLevel)}</Tag>
                        {c.categories.map((k) => (
                          <Tag key={k}>{CATEGORY_LABELS[k]}</Tag>
                        ))}
                        {c.status === 'archived' ? <Tag>已归档</Tag> : null}
                      </View>
                    </View>
                  </LinkRow>
                ) : null,
              )
            : rows.items.map((b) => (
                <LinkRow
                  key={b.child.id}
                  url={PAGES.child(b.child.id)}
                  testId={`child-${b.child.id}`}
                >
                  <View className="o-stack">
                    <Text className="o-strong">{b.child.name}</Text>
                    <Text className="o-muted">
                      {b.child.villageName} · 帮扶人 {b.helper?.displayName ?? '未结对'}
                    </Text>
                    <View>
                      {b.urgency ? (
                        <Tag tone={b.urgency === 'overdue' ? 'danger' : 'warn'}>
                          {DUTY_STATUS_LABELS[b.urgency]}
                        </Tag>
                      ) : null}
                      <Tag tone={riskTone(b.child.riskLevel)}>{riskLabel(b.child.riskLevel)}</Tag>
                    </View>
                  </View>
                </LinkRow>
              ))}
          {rows.next !== null ? (
            <ActionButton variant="secondary" onClick={loadMore} testId="load-more">
              加载更多
            </ActionButton>
          ) : null}
        </Card>
      )}
    </View>
  )
}
