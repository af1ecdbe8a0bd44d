// Officer home (工作台): today's work at a glance — overdue duties, reports waiting (red when a push did not reach me),
// helpers reminders cannot reach, disputed contacts, needs without a measure — and the way to every officer screen.
import { Text, View } from '@tarojs/components'
import { DUTIES, DUTY_LABELS } from '../../core/cadence'
import { ROLE_LABELS } from '../../core/roles'
import { ErrorState, LoadingState } from '../../components'
import { useApiQuery } from '../../services'
import { Card, LinkRow, OfficerGate, Screen, Tag, type Officer } from '../components'
import { formatDateTime } from '../format'
import { useReloadOnShow } from '../hooks'
import { PAGES } from '../labels'

export default function OfficerHomePage() {
  return (
    <Screen title="工作台">
      <OfficerGate>{(officer) => <Home officer={officer} />}</OfficerGate>
    </Screen>
  )
}

function Home({ officer }: { officer: Officer }) {
  const home = useApiQuery('stats.home', {})
  useReloadOnShow(home.reload)
  return (
    <View>
      <Text className="o-muted" data-testid="officer-who">
        {officer.displayName} · {ROLE_LABELS[officer.role]} ·{' '}
        {officer.villageName ?? officer.townshipName}
      </Text>
      {home.status === 'loading' ? <LoadingState /> : null}
      {home.status === 'error' ? <ErrorState error={home.error} onRetry={home.reload} /> : null}
      {home.status === 'ready' ? (
        <View data-testid="officer-today">
          {home.data.reports.unpushedToMe.length > 0 ? (
            <Card title="未收到通知的强制报告" tone="alert" testId="unpushed-reports">
              <Text className="o-danger">以下报告的微信通知没能送达您，请立即查看处理：</Text>
              {home.data.reports.unpushedToMe.map((r) => (
                <LinkRow key={r.id} url={PAGES.report(r.id)}>
                  <Text className="o-danger">{formatDateTime(r.createdAt)} 的强制报告</Text>
                </LinkRow>
              ))}
            </Card>
          ) : null}
          <Card title="今日待办">
            <LinkRow url={PAGES.reports} testId="today-reports">
              <View className="o-stack">
                <Text className="o-strong">强制报告</Text>
                <View>
                  <Tag tone={home.data.reports.waiting ? 'danger' : 'plain'}>
                    待接收 {home.data.reports.waiting}
                  </Tag>
                  <Tag tone={home.data.reports.handling ? 'warn' : 'plain'}>
                    处置中 {home.data.reports.handling}
                  </Tag>
                  {home.data.reports.escalated ? (
                    <Tag tone="danger">超24小时 {home.data.reports.escalated}</Tag>
                  ) : null}
                </View>
              </View>
            </LinkRow>
            <LinkRow url={`${PAGES.children}?urgency=overdue`} testId="today-overdue">
              <View className="o-stack">
                <Text className="o-strong">逾期未履职儿童 {home.data.overdue.children} 名</Text>
                <View>
                  {DUTIES.map((d) => (
                    <Tag key={d} tone={home.data.overdue.byDuty[d] ? 'warn' : 'plain'}>
                      {DUTY_LABELS[d]} {home.data.overdue.byDuty[d]}
                    </Tag>
                  ))}
                </View>
              </View>
            </LinkRow>
            <View className="o-link">
              <View className="o-stack">
                <Text className="o-strong">
                  提醒不到的帮扶人{' '}
                  {home.data.unreachableHelpers.available
                    ? home.data.unreachableHelpers.items.length
                    : '—'}
                </Text>
                {home.data.unreachableHelpers.items.slice(0, 5).map((h) => (
                  <LinkRow
                    key={h.helperId}
                    url={PAGES.helper(h.helperId)}
                    testId={`unreachable-${h.helperId}`}
                  >
                    <Text className="o-muted">
                      {h.displayName}：{h.reason}
                    </Text>
                  </LinkRow>
                ))}
                {!home.data.unreachableHelpers.available ? (
                  <Text className="o-muted">提醒数据暂不可用</Text>
                ) : null}
              </View>
            </View>
            <View className="o-link">
              <View className="o-stack">
                <Text className="o-strong">
                  监护人有异议的记录 {home.data.disputedContacts.count} 条
                </Text>
                {home.data.disputedContacts.recent.slice(0, 5).map((c) => (
                  <Text key={c.logId} className="o-muted">
                    {c.helperName} · {DUTY_LABELS[c.duty]} · {formatDateTime(c.occurredAt)}
                  </Text>
                ))}
              </View>
            </View>
            <View className="o-link">
              <Text className="o-strong">缺措施的帮扶需求 {home.data.unmetNeeds} 项</Text>
            </View>
          </Card>
        </View>
      ) : null}
      <Card title="工作">
        <LinkRow url={PAGES.children} testId="nav-children">
          <Text>儿童档案（登记、结对、措施）</Text>
        </LinkRow>
        <LinkRow url={PAGES.childForm()} testId="nav-register">
          <Text>登记新儿童</Text>
        </LinkRow>
        <LinkRow url={PAGES.reports} testId="nav-reports">
          <Text>强制报告</Text>
        </LinkRow>
        <LinkRow url={PAGES.dashboard} testId="nav-dashboard">
          <Text>督导评估</Text>
        </LinkRow>
        <LinkRow url={PAGES.ledger} testId="nav-ledger">
          <Text>导出台账</Text>
        </LinkRow>
        <LinkRow url="/pages/invite/index" testId="nav-invite">
          <Text>邀请帮扶人加入</Text>
        </LinkRow>
      </Card>
    </View>
  )
}
