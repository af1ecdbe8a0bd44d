// Supervision dashboard (督导评估): per village for a month or quarter — children, the three duties, confirmations,
// reports and unmet needs; the ranking by the documented score; the trend over the last 6 periods.
import { Text, View } from '@tarojs/components'
import { DUTIES, DUTY_LABELS } from '../../core/cadence'
import { CATEGORIES, CATEGORY_LABELS, MEASURE_KINDS, MEASURE_KIND_LABELS } from '../../core/domain'
import type { StatsComplianceResult, TrendPoint, VillageStats } from '../../core/stats'
import { ErrorState, LoadingState } from '../../components'
import { useApiQuery } from '../../services'
import { Card, OfficerGate, Row, Screen, Tag, type Officer } from '../components'
import { usePeriodAndScope } from '../components/PeriodPicker'
import { formatDateTime, formatHours, formatRate } from '../format'
import { periodLabel, shortPeriodLabel } from './periods'

export default function DashboardPage() {
  return (
    <Screen title="督导评估">
      <OfficerGate>{(officer) => <Dashboard officer={officer} />}</OfficerGate>
    </Screen>
  )
}

function Dashboard({ officer }: { officer: Officer }) {
  const { period, villageId, controls } = usePeriodAndScope(officer, 'dashboard-scope')
  const stats = useApiQuery('stats.compliance', { period, ...(villageId ? { villageId } : {}) })
  return (
    <View>
      <Card>{controls}</Card>
      {stats.status === 'loading' ? <LoadingState /> : null}
      {stats.status === 'error' ? <ErrorState error={stats.error} onRetry={stats.reload} /> : null}
      {stats.status === 'ready' ? <Results data={stats.data} /> : null}
    </View>
  )
}

function dutyTotals(v: VillageStats) {
  let due = 0
  let done = 0
  let overdue = 0
  for (const d of DUTIES) {
    due += v.duties[d].due
    done += v.duties[d].done
    overdue += v.duties[d].overdue
  }
  return { due, done, overdue, rate: due ? done / due : null }
}

function Results({ data }: { data: StatsComplianceResult }) {
  const rows = [...data.villages, data.total]
  return (
    <View data-testid="dashboard">
      <Text className="o-muted">
        {periodLabel(data.period.key)} · 数据截至 {formatDateTime(data.asOf)}
      </Text>
      <Card title="各村概况" testId="village-table">
        {/* Scrolls sideways on a phone; in h5 the region takes focus so keyboard users can scroll it too. */}
        <View
          className="o-table-scroll"
          role="region"
          aria-label="各村概况表（可左右滑动）"
          {...(SHOUHU_LOCAL_MODE ? { tabIndex: 0 } : {})}
        >
          <View className="o-table" role="table" aria-label="各村概况">
            <View className="o-table__row o-table__head" role="row">
              {[
                '村',
                '在档儿童',
                '应履职',
                '已完成',
                '逾期',
                '完成率',
                '监护人确认率',
                '有异议',
                '未办结报告',
                '缺措施需求',
              ].map((h) => (
                <View key={h} className="o-table__cell" role="columnheader">
                  {h}
                </View>
              ))}
            </View>
            {rows.map((v) => {
              const t = dutyTotals(v)
              return (
                <View
                  key={v.villageId ?? 'total'}
                  className={`o-table__row${v.villageId === null ? ' o-table__total' : ''}`}
                  role="row"
                  data-testid={`village-row-${v.villageId ?? 'total'}`}
                >
                  <View className="o-table__cell" role="rowheader">
                    {v.villageId === null ? '合计' : v.villageName}
                  </View>
                  {[
                    v.children.total,
                    t.due,
                    t.done,
                    t.overdue,
                    formatRate(t.rate),
                    formatRate(v.contacts.confirmedShare),
                    v.contacts.disputed,
                    v.reports.open,
                    v.needs.unmet,
                  ].map((cell, i) => (
                    <View key={i} className="o-table__cell" role="cell">
                      {cell}
                    </View>
                  ))}
                </View>
              )
            })}
          </View>
        </View>
      </Card>

      <Card title="村级评比排名" testId="ranking">
        {data.ranking.map((r) => (
          <Row key={r.villageId} label={`第${r.rank}名 ${r.villageName}`}>
            {r.score} 分
          </Row>
        ))}
        <Text className="o-muted">{data.scoreRule}</Text>
      </Card>

      <Trend points={data.trend} />

      {rows.map((v) => (
        <VillageCard key={v.villageId ?? 'total'} v={v} />
      ))}
    </View>
  )
}

/** Completion rate of the three duties over the last periods, as labelled bars (plain views, no chart library). */
function Trend({ points }: { points: TrendPoint[] }) {
  return (
    <Card title="近6期履职完成率" testId="trend">
      <View className="o-bars" role="list" aria-label="近6期履职完成率">
        {points.map((p) => {
          const pct = p.rate === null ? 0 : Math.round(p.rate * 100)
          return (
            <View
              key={p.periodKey}
              className="o-bars__item"
              role="listitem"
              aria-label={`${periodLabel(p.periodKey)} ${formatRate(p.rate)}`}
            >
              <Text className="o-bars__value">{formatRate(p.rate)}</Text>
              <View className="o-bars__track">
                <View className="o-bars__bar" style={{ height: `${pct}%` }} />
              </View>
              <Text className="o-bars__label">{shortPeriodLabel(p.periodKey)}</Text>
            </View>
          )
        })}
      </View>
      <Text className="o-muted">
        完成率 = 已完成 ÷ 应履职（联系监护人、情感陪伴、上门走访合计）
      </Text>
    </Card>
  )
}

function VillageCard({ v }: { v: VillageStats }) {
  return (
    <Card
      title={v.villageId === null ? '合计' : v.villageName}
      testId={`village-card-${v.villageId ?? 'total'}`}
    >
      <Row label="在档儿童">{v.children.total} 名</Row>
      <View>
        {CATEGORIES.map((c) => (
          <Tag key={c}>
            {CATEGORY_LABELS[c]} {v.children.byCategory[c] ?? 0}
          </Tag>
        ))}
      </View>
      {DUTIES.map((d) => {
        const c = v.duties[d]
        return (
          <Row key={d} label={DUTY_LABELS[d]}>
            完成 {c.done}/{c.due} · 逾期 {c.overdue} · {formatRate(c.rate)}
          </Row>
        )
      })}
      <Row label="联系记录">
        {v.contacts.total} 条 · 确认 {v.contacts.confirmed} · 异议 {v.contacts.disputed}
      </Row>
      <Row label="强制报告">
        本期 {v.reports.raised} · 未办结 {v.reports.open} · 超时 {v.reports.escalated} · 办结中位{' '}
        {formatHours(v.reports.medianHandlingHours)}
      </Row>
      <Row label="缺措施需求">
        {v.needs.unmet}/{v.needs.total}
      </Row>
      {v.needs.unmet > 0 ? (
        <View>
          {MEASURE_KINDS.filter((k) => (v.needs.unmetByKind[k] ?? 0) > 0).map((k) => (
            <Tag key={k} tone="danger">
              缺{MEASURE_KIND_LABELS[k]} {v.needs.unmetByKind[k]}
            </Tag>
          ))}
        </View>
      ) : null}
    </Card>
  )
}
