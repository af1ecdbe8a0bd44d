// One child's archive for officers: the facts, the pairing, the measures plan (缺什么帮什么), reports, edit and archive.
import { Text, View } from '@tarojs/components'
import Taro from '@tarojs/taro'
import { useState } from 'react'
import {
  CHILD_STATUS_LABELS,
  CONSENT_STATE_LABELS,
  SEX_LABELS,
  type ChildOfficerView,
} from '../../core/children'
import {
  ACADEMIC_SUBTYPE_LABELS,
  ARCHIVE_REASONS,
  ARCHIVE_REASON_LABELS,
  CATEGORY_LABELS,
  GUARDIAN_RELATION_LABELS,
  HOME_VISIT_FREQUENCY_LABELS,
  MEASURE_KIND_LABELS,
  PARENT_STATUS_LABELS,
  type ArchiveReason,
} from '../../core/domain'
import { MEASURE_STATUS_LABELS, PROVIDER_TYPE_LABELS } from '../../core/measures'
import {
  ENDED_REASON_LABELS,
  PAIRING_END_REASONS,
  type PairingEndReason,
} from '../../core/pairings'
import { REPORT_KIND_LABELS, REPORT_STATUS_LABELS } from '../../core/reports'
import type { HouseholdCodeView } from '../../core/confirmations'
import { ActionButton, ErrorState, LabelledImage, LoadingState } from '../../components'
import { platform, useApiQuery } from '../../services'
import {
  Card,
  Chips,
  Empty,
  LinkRow,
  Notice,
  OfficerGate,
  optionsOf,
  Row,
  Screen,
  Tag,
  TextField,
} from '../components'
import { formatDateTime, formatDay } from '../format'
import { useMutation, useReloadOnShow } from '../hooks'
import { PAGES, riskLabel, riskTone } from '../labels'

export default function ChildPage() {
  const id = Taro.getCurrentInstance().router?.params.id ?? ''
  return (
    <Screen title="儿童档案">
      <OfficerGate>{() => <ChildDetail id={decodeURIComponent(id)} />}</OfficerGate>
    </Screen>
  )
}

function ChildDetail({ id }: { id: string }) {
  const child = useApiQuery('children.get', { id })
  useReloadOnShow(child.reload)
  if (child.status === 'loading') return <LoadingState />
  if (child.status === 'error') return <ErrorState error={child.error} onRetry={child.reload} />
  if (child.data.view !== 'officer') return <Notice tone="error">无权查看完整档案</Notice>
  return <ChildView child={child.data} reload={child.reload} />
}

function ChildView({ child, reload }: { child: ChildOfficerView; reload: () => void }) {
  const active = child.status === 'active'
  return (
    <View data-testid="child-detail">
      <Card>
        <Text className="o-screen__title" data-testid="child-name">
          {child.name}
        </Text>
        <View>
          <Tag tone={riskTone(child.riskLevel)}>{riskLabel(child.riskLevel)}</Tag>
          {child.categories.map((c) => (
            <Tag key={c}>{CATEGORY_LABELS[c]}</Tag>
          ))}
          <Tag tone={active ? 'ok' : 'plain'}>{CHILD_STATUS_LABELS[child.status]}</Tag>
        </View>
        {child.archive ? (
          <Notice>
            已于 {formatDay(child.archive.at)} 归档：{ARCHIVE_REASON_LABELS[child.archive.reason]}
            {child.archive.note ? `（${child.archive.note}）` : ''}
          </Notice>
        ) : null}
      </Card>

      {active ? (
        <View className="o-actions" style={{ marginBottom: '12px' }}>
          <ActionButton
            onClick={() => void Taro.navigateTo({ url: PAGES.urgentReport(child.id) })}
            testId="raise-report"
          >
            强制报告
          </ActionButton>
        </View>
      ) : null}

      <PairingCard child={child} />
      {active ? <HouseholdCodeCard childId={child.id} /> : null}
      <MeasuresCard child={child} />

      <Card title="基本信息">
        <Row label="性别">{SEX_LABELS[child.sex]}</Row>
        <Row label="出生日期">
          {child.birthDate}（{child.age}岁）
        </Row>
        <Row label="身份证号">{child.idNumberMasked ?? '未登记'}</Row>
        <Row label="村">{child.villageName}</Row>
        <Row label="学校年级">{[child.school, child.grade].filter(Boolean).join(' ') || '—'}</Row>
        <Row label="家庭住址">{child.address || '—'}</Row>
      </Card>

      <Card title="家庭和监护人">
        {(['father', 'mother'] as const).map((who) => {
          const p = child.parents[who]
          return (
            <Row key={who} label={who === 'father' ? '父亲' : '母亲'}>
              {PARENT_STATUS_LABELS[p.status]}
              {p.workplace ? ` · ${p.workplace}` : ''}
              {p.homeFrequency ? ` · ${HOME_VISIT_FREQUENCY_LABELS[p.homeFrequency]}回家` : ''}
            </Row>
          )
        })}
        {child.guardians.length === 0 ? <Empty>未登记监护人</Empty> : null}
        {child.guardians.map((g) => (
          <Row key={g.id} label={`监护人（${GUARDIAN_RELATION_LABELS[g.relation]}）`}>
            {g.name} {g.phone}
          </Row>
        ))}
      </Card>

      <Card title="类别和需求">
        <Row label="困境类别">
          {child.categories.map((c) => CATEGORY_LABELS[c]).join('、') || '—'}
        </Row>
        {child.academicSubtype ? (
          <Row label="学业困难类型">{ACADEMIC_SUBTYPE_LABELS[child.academicSubtype]}</Row>
        ) : null}
        <Row label="帮扶需求">
          {child.needs.map((n) => MEASURE_KIND_LABELS[n]).join('、') || '—'}
        </Row>
        <Row label="备注">{child.notes || '—'}</Row>
        <Row label="监护人同意">{CONSENT_STATE_LABELS[child.consent.state]}</Row>
      </Card>

      <ReportsCard childId={child.id} />

      {active ? (
        <View className="o-actions">
          <ActionButton
            variant="secondary"
            onClick={() => void Taro.navigateTo({ url: PAGES.childForm(child.id) })}
            testId="edit-child"
          >
            修改档案
          </ActionButton>
          <ArchivePanel child={child} onDone={reload} />
        </View>
      ) : null}
      <HistoryCard id={child.id} />
    </View>
  )
}

function PairingCard({ child }: { child: ChildOfficerView }) {
  const history = useApiQuery('pairings.history', { childId: child.id })
  useReloadOnShow(history.reload)
  const end = useMutation('pairings.end')
  const [ending, setEnding] = useState(false)
  const [reason, setReason] = useState<PairingEndReason | null>(null)
  const active = child.status === 'active'

  const current = history.status === 'ready' ? history.data.current : null
  const submitEnd = async () => {
    if (!reason) return
    if (await end.run({ childId: child.id, reason })) {
      setEnding(false)
      history.reload()
    }
  }
  return (
    <Card title="结对帮扶" testId="pairing-card">
      {history.status === 'loading' ? <LoadingState /> : null}
      {history.status === 'error' ? (
        <ErrorState error={history.error} onRetry={history.reload} />
      ) : null}
      {history.status === 'ready' ? (
        <>
          {current ? (
            <Row label="当前帮扶人">
              <Text data-testid="current-helper">{current.helperName}</Text>（自 {current.startDate}
              ）
            </Row>
          ) : (
            <Notice tone="error">尚未结对帮扶人</Notice>
          )}
          {history.data.pairings
            .filter((p) => !p.active)
            .slice(0, 3)
            .map((p) => (
              <Row key={p.id} label={`${p.startDate} 至 ${p.endDate ?? ''}`}>
                {p.helperName}
                {p.endReason ? `（${ENDED_REASON_LABELS[p.endReason]}）` : ''}
              </Row>
            ))}
          {active ? (
            <View className="o-actions">
              <ActionButton
                onClick={() => void Taro.navigateTo({ url: PAGES.pair(child.id) })}
                testId="pair-child"
              >
                {current ? '更换帮扶人' : '结对帮扶人'}
              </ActionButton>
              {current && !ending ? (
                <ActionButton variant="secondary" onClick={() => setEnding(true)}>
                  结束结对
                </ActionButton>
              ) : null}
              {ending ? (
                <View>
                  <Chips
                    label="结束原因"
                    options={optionsOf(PAIRING_END_REASONS, ENDED_REASON_LABELS)}
                    selected={reason ? [reason] : []}
                    onToggle={setReason}
                  />
                  {end.error ? <Notice tone="error">{end.error.message}</Notice> : null}
                  <ActionButton onClick={() => void submitEnd()} disabled={!reason || end.busy}>
                    确认结束结对
                  </ActionButton>
                </View>
              ) : null}
            </View>
          ) : null}
        </>
      ) : null}
    </Card>
  )
}

/** The household's printable code (一户一码): the paired helper scans it at the door to check in. */
function HouseholdCodeCard({ childId }: { childId: string }) {
  const household = useMutation('checkins.household')
  const [code, setCode] = useState<HouseholdCodeView | null>(null)
  const show = async () => {
    const out = await household.run({ childId })
    if (out) setCode(out.code)
  }
  const link = code ? platform.appLink(code.path.split('?')[0] ?? '', { scene: code.scene }) : ''
  return (
    <Card title="一户一码" testId="household-card">
      <Text className="o-muted">
        打印后贴在孩子家中。帮扶人上门时扫码签到，签到时间作为走访凭证。
      </Text>
      {household.error ? <Notice tone="error">{household.error.message}</Notice> : null}
      {code ? (
        <View className="o-stack" data-testid="household-code">
          {code.qrUrl ? (
            <LabelledImage
              className="o-qr"
              src={code.qrUrl}
              alt={`${code.childName}家的一户一码`}
            />
          ) : (
            <Notice tone="error">二维码暂时无法显示，请稍后再试</Notice>
          )}
          <Row label="户码">
            {code.villageName} · {code.childName}家
          </Row>
          <Row label="生成时间">{formatDateTime(code.createdAt)}</Row>
          {SHOUHU_LOCAL_MODE ? (
            <Text className="o-muted o-break" data-testid="household-link">
              {link}
            </Text>
          ) : null}
        </View>
      ) : (
        <View className="o-actions">
          <ActionButton
            variant="secondary"
            onClick={() => void show()}
            disabled={household.busy}
            testId="show-household-code"
          >
            {household.busy ? '正在生成…' : '显示户码'}
          </ActionButton>
        </View>
      )}
    </Card>
  )
}

function MeasuresCard({ child }: { child: ChildOfficerView }) {
  const plan = useApiQuery('measures.list', { childId: child.id })
  useReloadOnShow(plan.reload)
  const active = child.status === 'active'
  return (
    <Card title="帮扶措施" testId="measures-card">
      {plan.status === 'loading' ? <LoadingState /> : null}
      {plan.status === 'error' ? <ErrorState error={plan.error} onRetry={plan.reload} /> : null}
      {plan.status === 'ready' ? (
        <>
          {plan.data.plan.kind === 'combined' ? (
            <Text className="o-muted">多项需求，按综合帮扶方案（因户施策）实施</Text>
          ) : null}
          {plan.data.plan.unmetNeeds.length > 0 ? (
            <View className="o-card o-card--alert" data-testid="unmet-needs">
              <Text className="o-strong">缺什么帮什么：以下需求还没有措施</Text>
              {plan.data.plan.unmetNeeds.map((k) => (
                <View key={k} className="o-row">
                  <Tag tone="danger">{MEASURE_KIND_LABELS[k]}</Tag>
                  {active ? (
                    <LinkRow
                      url={`${PAGES.measure(child.id)}&kind=${k}`}
                      label={`为${MEASURE_KIND_LABELS[k]}添加措施`}
                    >
                      <Text>添加措施</Text>
                    </LinkRow>
                  ) : null}
                </View>
              ))}
            </View>
          ) : null}
          {plan.data.plan.measures.length === 0 ? <Empty>还没有帮扶措施</Empty> : null}
          {plan.data.plan.measures.map((m) => (
            <LinkRow key={m.id} url={PAGES.measure(child.id, m.id)} testId={`measure-${m.id}`}>
              <View className="o-stack">
                <Text className="o-strong">
                  {MEASURE_KIND_LABELS[m.kind]}：{m.what}
                </Text>
                <Text className="o-muted">
                  {PROVIDER_TYPE_LABELS[m.provider.type]} {m.provider.name} ·{' '}
                  {MEASURE_STATUS_LABELS[m.status]}
                </Text>
                {m.outcome ? <Text className="o-muted">成效：{m.outcome}</Text> : null}
              </View>
            </LinkRow>
          ))}
          {active ? (
            <ActionButton
              variant="secondary"
              onClick={() => void Taro.navigateTo({ url: PAGES.measure(child.id) })}
              testId="add-measure"
            >
              添加帮扶措施
            </ActionButton>
          ) : null}
        </>
      ) : null}
    </Card>
  )
}

function ReportsCard({ childId }: { childId: string }) {
  const reports = useApiQuery('reports.list', { childId, limit: 10 })
  useReloadOnShow(reports.reload)
  if (reports.status !== 'ready' || reports.data.items.length === 0) return null
  return (
    <Card title="强制报告">
      {reports.data.items.map((r) => (
        <LinkRow key={r.id} url={PAGES.report(r.id)}>
          <View className="o-stack">
            <Text className="o-strong">{REPORT_KIND_LABELS[r.kind]}</Text>
            <Text className="o-muted">
              {formatDateTime(r.createdAt)} · {REPORT_STATUS_LABELS[r.status]}
            </Text>
          </View>
        </LinkRow>
      ))}
    </Card>
  )
}

function ArchivePanel({ child, onDone }: { child: ChildOfficerView; onDone: () => void }) {
  const [open, setOpen] = useState(false)
  const [reason, setReason] = useState<ArchiveReason | null>(null)
  const [note, setNote] = useState('')
  const archive = useMutation('children.archive')
  if (!open) {
    return (
      <ActionButton variant="secondary" onClick={() => setOpen(true)} testId="archive-child">
        归档（退出帮扶）
      </ActionButton>
    )
  }
  const submit = async () => {
    if (!reason) return
    const out = await archive.run({ id: child.id, version: child.version, reason, note })
    if (out) onDone()
  }
  return (
    <Card title="归档" tone="alert">
      <Text className="o-muted">归档后档案只读、不会删除，“三个一”不再考核。</Text>
      <Chips
        label="归档原因"
        options={optionsOf(ARCHIVE_REASONS, ARCHIVE_REASON_LABELS)}
        selected={reason ? [reason] : []}
        onToggle={setReason}
        error={archive.fieldErrors.reason}
      />
      <TextField
        label="说明"
        value={note}
        onChange={setNote}
        maxLength={200}
        error={archive.fieldErrors.note}
      />
      {archive.error && !archive.error.issues.length ? (
        <Notice tone="error">{archive.error.message}</Notice>
      ) : null}
      <View className="o-actions">
        <ActionButton
          onClick={() => void submit()}
          disabled={!reason || archive.busy}
          testId="confirm-archive"
        >
          确认归档
        </ActionButton>
        <ActionButton variant="secondary" onClick={() => setOpen(false)}>
          取消
        </ActionButton>
      </View>
    </Card>
  )
}

function HistoryCard({ id }: { id: string }) {
  const [open, setOpen] = useState(false)
  const history = useApiQuery('children.history', { id, limit: 20 }, { enabled: open })
  if (!open) {
    return (
      <View style={{ marginTop: '12px' }}>
        <ActionButton variant="secondary" onClick={() => setOpen(true)}>
          查看变更记录
        </ActionButton>
      </View>
    )
  }
  return (
    <Card title="变更记录">
      {history.status === 'loading' ? <LoadingState /> : null}
      {history.status === 'error' ? (
        <ErrorState error={history.error} onRetry={history.reload} />
      ) : null}
      {history.status === 'ready'
        ? history.data.items.map((h) => (
            <Row key={h.id} label={formatDateTime(h.at)}>
              {h.byName || '—'} · {HISTORY_LABELS[h.action]} · {h.changes.length} 项
            </Row>
          ))
        : null}
    </Card>
  )
}

const HISTORY_LABELS = {
  create: '登记',
  update: '修改',
  archive: '归档',
  consent: '同意记录',
} as const
