// One urgent report and its workflow: reported → received → handling (with actions) → closed, each step by whom and when.
import { Text, View } from '@tarojs/components'
import Taro from '@tarojs/taro'
import { useState } from 'react'
import { ROLE_LABELS } from '../../core/roles'
import {
  HANDLING_ACTIONS,
  HANDLING_ACTION_LABELS,
  REPORT_EVENT_LABELS,
  REPORT_KIND_LABELS,
  REPORT_STATUSES,
  REPORT_STATUS_LABELS,
  REPORT_TRANSITIONS,
  type HandlingAction,
  type ReportEvent,
  type UrgentReportView,
} from '../../core/reports'
import { ActionButton, ErrorState, LoadingState } from '../../components'
import { useApiQuery } from '../../services'
import {
  Card,
  Chips,
  LinkRow,
  Notice,
  OfficerGate,
  optionsOf,
  Row,
  Screen,
  Tag,
  TextField,
} from '../components'
import { formatDateTime } from '../format'
import { useMutation } from '../hooks'
import { PAGES } from '../labels'

export default function ReportDetailPage() {
  const id = decodeURIComponent(Taro.getCurrentInstance().router?.params.id ?? '')
  return (
    <Screen title="强制报告详情">
      <OfficerGate>{() => <ReportLoader id={id} />}</OfficerGate>
    </Screen>
  )
}

function ReportLoader({ id }: { id: string }) {
  const report = useApiQuery('reports.get', { id })
  const [latest, setLatest] = useState<UrgentReportView | null>(null)
  if (report.status === 'loading' && !latest) return <LoadingState />
  if (report.status === 'error') return <ErrorState error={report.error} onRetry={report.reload} />
  const r = latest ?? (report.status === 'ready' ? report.data.report : null)
  if (!r) return <LoadingState />
  return <ReportDetail report={r} onChange={setLatest} />
}

const STEP_LABELS = { report: '报告', ...REPORT_EVENT_LABELS }

function ReportDetail({
  report: r,
  onChange,
}: {
  report: UrgentReportView
  onChange: (r: UrgentReportView) => void
}) {
  const reached = REPORT_STATUSES.indexOf(r.status)
  return (
    <View data-testid="report-detail">
      {r.escalated ? <Notice tone="error">该报告超过24小时仍未接收，已上报提醒。</Notice> : null}
      {!r.push.pushed || r.push.undeliverable.length > 0 ? (
        <Notice tone="error">
          微信通知未能送达 {r.push.undeliverable.length || '部分'} 位工作人员，请电话联系确认。
        </Notice>
      ) : null}
      <Card title={REPORT_KIND_LABELS[r.kind]}>
        <View
          className="o-flow"
          aria-label={`当前状态：${REPORT_STATUS_LABELS[r.status]}`}
          data-testid="report-status"
        >
          {REPORT_STATUSES.map((s, i) => (
            <Tag
              key={s}
              tone={
                i === reached ? (s === 'closed' ? 'ok' : 'danger') : i < reached ? 'ok' : 'plain'
              }
            >
              {REPORT_STATUS_LABELS[s]}
            </Tag>
          ))}
        </View>
        <LinkRow url={PAGES.child(r.childId)}>
          <Text>
            儿童：{r.childName}（{r.villageName}）
          </Text>
        </LinkRow>
        <Row label="看到的情况">{r.seen}</Row>
        <Row label="发生时间">{formatDateTime(r.occurredAt)}</Row>
        <Row label="报告人">
          {r.reportedBy.name}（{ROLE_LABELS[r.reportedBy.role]}）
        </Row>
        {r.actions.length ? (
          <Row label="已采取措施">{r.actions.map((a) => HANDLING_ACTION_LABELS[a]).join('、')}</Row>
        ) : null}
        {r.outcome ? <Row label="办结情况">{r.outcome}</Row> : null}
      </Card>

      <Card title="处理过程" testId="report-steps">
        {r.steps.map((s, i) => (
          <View key={i} className="o-timeline">
            <Text className="o-strong">
              {STEP_LABELS[s.event]} → {REPORT_STATUS_LABELS[s.to]}
            </Text>
            <Text className="o-muted">
              {formatDateTime(s.at)} · {s.by.name}（{ROLE_LABELS[s.by.role]}）
            </Text>
            {s.actions.length ? (
              <Text>措施：{s.actions.map((a) => HANDLING_ACTION_LABELS[a]).join('、')}</Text>
            ) : null}
            {s.note ? <Text>说明：{s.note}</Text> : null}
          </View>
        ))}
      </Card>

      {r.status !== 'closed' ? <MovePanel report={r} onChange={onChange} /> : null}
    </View>
  )
}

function MovePanel({
  report: r,
  onChange,
}: {
  report: UrgentReportView
  onChange: (r: UrgentReportView) => void
}) {
  const events = Object.keys(REPORT_TRANSITIONS[r.status]) as ReportEvent[]
  const [event, setEvent] = useState<ReportEvent>(events[0] ?? 'receive')
  const [actions, setActions] = useState<HandlingAction[]>([])
  const [note, setNote] = useState('')
  const move = useMutation('reports.transition')
  const needsActions = event === 'handle' || event === 'act'
  const active = events.includes(event) ? event : (events[0] ?? 'receive')

  const submit = async () => {
    const out = await move.run({
      id: r.id,
      version: r.version,
      event: active,
      actions: needsActions ? actions : [],
      note,
    })
    if (out) {
      setActions([])
      setNote('')
      const next = Object.keys(REPORT_TRANSITIONS[out.report.status]) as ReportEvent[]
      setEvent(next[0] ?? 'receive')
      onChange(out.report)
    }
  }
  return (
    <Card title="处理" testId="report-move">
      {events.length > 1 ? (
        <Chips
          label="下一步"
          options={events.map((e) => ({ value: e, label: REPORT_EVENT_LABELS[e] }))}
          selected={[active]}
          onToggle={setEvent}
          testId="report-event"
        />
      ) : null}
      {needsActions ? (
        <Chips
          label="已采取的处置措施（可多选）"
          multiple
          options={optionsOf(HANDLING_ACTIONS, HANDLING_ACTION_LABELS)}
          selected={actions}
          onToggle={(a) =>
            setActions((l) => (l.includes(a) ? l.filter((x) => x !== a) : [...l, a]))
          }
          error={move.fieldErrors.actions}
          testId="report-actions"
        />
      ) : null}
      <TextField
        label={active === 'close' ? '办结情况' : '说明（选填）'}
        value={note}
        onChange={setNote}
        multiline
        maxLength={500}
        error={move.fieldErrors.note}
      />
      {move.error && !move.error.issues.length ? (
        <Notice tone="error">{move.error.message}</Notice>
      ) : null}
      <ActionButton onClick={() => void submit()} disabled={move.busy} testId="report-submit-move">
        {REPORT_EVENT_LABELS[active]}
      </ActionButton>
    </Card>
  )
}
