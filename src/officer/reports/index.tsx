// The officers' urgent-report list: open reports first, waiting ones flagged, unreachable pushes in red.
import { Text, View } from '@tarojs/components'
import { useState } from 'react'
import {
  REPORT_KIND_LABELS,
  REPORT_STATUS_LABELS,
  type ReportStatus,
  type UrgentReportView,
} from '../../core/reports'
import { ErrorState, LoadingState } from '../../components'
import { useApiQuery } from '../../services'
import { Card, Chips, Empty, LinkRow, OfficerGate, Screen, Tag } from '../components'
import { formatDateTime } from '../format'
import { useReloadOnShow } from '../hooks'
import { PAGES } from '../labels'

type Filter = 'open' | ReportStatus | 'escalated'
const FILTERS: Array<{ value: Filter; label: string }> = [
  { value: 'open', label: '未办结' },
  { value: 'reported', label: '待接收' },
  { value: 'handling', label: '处置中' },
  { value: 'escalated', label: '超24小时未接收' },
  { value: 'closed', label: '已办结' },
]

export default function ReportsPage() {
  return (
    <Screen title="强制报告">
      <OfficerGate>{() => <ReportList />}</OfficerGate>
    </Screen>
  )
}

function ReportList() {
  const [filter, setFilter] = useState<Filter>('open')
  const input =
    filter === 'open'
      ? { open: true }
      : filter === 'escalated'
        ? { escalated: true }
        : { status: filter }
  const reports = useApiQuery('reports.list', { ...input, limit: 50 })
  useReloadOnShow(reports.reload)
  return (
    <View>
      <Card>
        <Chips
          label="筛选"
          options={FILTERS}
          selected={[filter]}
          onToggle={setFilter}
          testId="report-filter"
        />
      </Card>
      {reports.status === 'loading' ? <LoadingState /> : null}
      {reports.status === 'error' ? (
        <ErrorState error={reports.error} onRetry={reports.reload} />
      ) : null}
      {reports.status === 'ready' ? (
        <Card title={`共 ${reports.data.items.length} 件`} testId="report-list">
          {reports.data.items.length === 0 ? <Empty>没有报告</Empty> : null}
          {reports.data.items.map((r) => (
            <ReportRow key={r.id} report={r} />
          ))}
        </Card>
      ) : null}
    </View>
  )
}

export function pushFailed(r: UrgentReportView): boolean {
  return !r.push.pushed || r.push.undeliverable.length > 0
}

function ReportRow({ report: r }: { report: UrgentReportView }) {
  return (
    <LinkRow url={PAGES.report(r.id)} testId={`report-${r.id}`}>
      <View className="o-stack">
        <Text className="o-strong">
          {r.childName} · {REPORT_KIND_LABELS[r.kind]}
        </Text>
        <Text className="o-muted">
          {r.villageName} · {formatDateTime(r.createdAt)} · 报告人 {r.reportedBy.name}
        </Text>
        <View>
          <Tag tone={r.status === 'closed' ? 'ok' : r.status === 'reported' ? 'danger' : 'warn'}>
            {REPORT_STATUS_LABELS[r.status]}
          </Tag>
          {r.escalated ? <Tag tone="danger">超24小时未接收</Tag> : null}
          {pushFailed(r) && r.status !== 'closed' ? <Tag tone="danger">通知未送达</Tag> : null}
        </View>
      </View>
    </LinkRow>
  )
}
