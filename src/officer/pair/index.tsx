// Pair a child with a helper, or hand the child over: a searchable helper list showing how many children each helps now.
import { Text, View } from '@tarojs/components'
import Taro from '@tarojs/taro'
import { useState } from 'react'
import { HELPER_ORG_TYPE_LABELS } from '../../core/domain'
import type { HelperSummary } from '../../core/org'
import { ActionButton, ErrorState, LoadingState } from '../../components'
import { useApiQuery } from '../../services'
import {
  Card,
  Chips,
  Empty,
  keyboard,
  Notice,
  OfficerGate,
  Row,
  Screen,
  Tag,
  TextField,
  type Officer,
} from '../components'
import { useDebounced, useMutation } from '../hooks'

export default function PairPage() {
  const childId = decodeURIComponent(Taro.getCurrentInstance().router?.params.childId ?? '')
  return (
    <Screen title="结对帮扶人">
      <OfficerGate>{(officer) => <Pairing childId={childId} officer={officer} />}</OfficerGate>
    </Screen>
  )
}

function Pairing({ childId, officer }: { childId: string; officer: Officer }) {
  const child = useApiQuery('children.get', { id: childId })
  const history = useApiQuery('pairings.history', { childId })
  const villages = useApiQuery('org.villages', {}, { enabled: officer.role === 'township_officer' })
  const [q, setQ] = useState('')
  const [villageFilter, setVillageFilter] = useState<string | null>(null)
  const [chosen, setChosen] = useState<HelperSummary | null>(null)
  const [startDate, setStartDate] = useState('')
  const assign = useMutation('pairings.assign')
  const query = useDebounced(q.trim(), 300)

  const childVillage =
    child.status === 'ready' && child.data.view !== 'guardian' ? child.data.villageId : null
  // A township officer sees the child's own village first and may widen to the whole township.
  const villageId = officer.role === 'township_officer' ? (villageFilter ?? childVillage) : null
  const helpers = useApiQuery(
    'helpers.list',
    {
      ...(query ? { q: query } : {}),
      ...(villageId && villageId !== 'all' ? { villageId } : {}),
      limit: 50,
    },
    { enabled: child.status === 'ready' },
  )

  if (child.status === 'loading' || history.status === 'loading') return <LoadingState />
  if (child.status === 'error') return <ErrorState error={child.error} onRetry={child.reload} />
  if (history.status === 'error')
    return <ErrorState error={history.error} onRetry={history.reload} />
  const current = history.data.current
  const name = child.data.view === 'guardian' ? child.data.givenName : child.data.name

  const confirm = async () => {
    if (!chosen) return
    const out = await assign.run({
      childId,
      helperId: chosen.id,
      ...(startDate.trim() ? { startDate: startDate.trim() } : {}),
    })
    if (out) {
      Taro.showToast({ title: current ? '已更换帮扶人' : '已结对', icon: 'success' })
      void Taro.navigateBack()
    }
  }

  return (
    <View>
      <Card>
        <Row label="儿童">{name}</Row>
        <Row label="当前帮扶人">
          {current ? `${current.helperName}（自 ${current.startDate}）` : '未结对'}
        </Row>
      </Card>
      <Card title="选择帮扶人">
        <TextField
          label="按姓名搜索帮扶人"
          value={q}
          onChange={setQ}
          maxLength={20}
          placeholder="输入姓名中的字"
        />
        {officer.role === 'township_officer' && villages.status === 'ready' ? (
          <Chips
            label="范围"
            options={[
              ...villages.data.villages.map((v) => ({ value: v.id, label: v.name })),
              { value: 'all', label: '全镇' },
            ]}
            selected={villageId ? [villageId] : []}
            onToggle={setVillageFilter}
          />
        ) : null}
        {helpers.status === 'loading' ? <LoadingState /> : null}
        {helpers.status === 'error' ? (
          <ErrorState error={helpers.error} onRetry={helpers.reload} />
        ) : null}
        {helpers.status === 'ready' ? (
          <View role="radiogroup" aria-label="帮扶人" data-testid="helper-list">
            {helpers.data.helpers.length === 0 ? <Empty>没有找到帮扶人</Empty> : null}
            {helpers.data.helpers.map((h) => {
              const on = chosen?.id === h.id
              const isCurrent = current?.helperId === h.id
              const pick = () => !isCurrent && setChosen(h)
              return (
                <View
                  key={h.id}
                  className={`o-link o-pick${on ? ' o-pick--on' : ''}`}
                  role="radio"
                  aria-checked={on}
                  aria-disabled={isCurrent || undefined}
                  data-testid={`helper-${h.id}`}
                  onClick={pick}
                  {...(SHOUHU_LOCAL_MODE ? keyboard(pick) : {})}
                >
                  <View className="o-stack">
                    <Text className="o-strong">{h.displayName}</Text>
                    <Text className="o-muted">
                      {h.helperOrgType ? HELPER_ORG_TYPE_LABELS[h.helperOrgType] : '帮扶人'}
                      {h.villageId === null ? ' · 全镇' : ''}
                    </Text>
                  </View>
                  <View>
                    {isCurrent ? <Tag tone="ok">当前</Tag> : null}
                    <Tag tone={h.load >= 8 ? 'warn' : 'plain'}>正在帮扶 {h.load} 名</Tag>
                  </View>
                </View>
              )
            })}
            {helpers.data.more ? (
              <Text className="o-muted">帮扶人较多，请输入姓名缩小范围</Text>
            ) : null}
          </View>
        ) : null}
      </Card>
      {chosen ? (
        <Card title={current ? '确认更换帮扶人' : '确认结对'} testId="pair-confirm">
          <Text>
            {current
              ? `由 ${current.helperName} 交接给 ${chosen.displayName}`
              : `与 ${chosen.displayName} 结对`}
            ，TA目前帮扶 {chosen.load} 名儿童。
          </Text>
          <TextField
            label="开始日期（默认今天）"
            value={startDate}
            placeholder="例如 2026-03-01"
            maxLength={10}
            onChange={setStartDate}
            error={assign.fieldErrors.startDate}
          />
          {assign.error && !assign.fieldErrors.startDate ? (
            <Notice tone="error">{assign.error.message}</Notice>
          ) : null}
          <ActionButton onClick={() => void confirm()} disabled={assign.busy} testId="confirm-pair">
            {current ? '确认更换' : '确认结对'}
          </ActionButton>
        </Card>
      ) : null}
    </View>
  )
}
