// One helper's reminders, for officers: what was sent, when and why — or why it could not be.
import { Text, View } from '@tarojs/components'
import Taro from '@tarojs/taro'
import { ErrorState, LoadingState } from '../../components'
import { useApiQuery } from '../../services'
import { Card, OfficerGate, Row, Screen, Tag } from '../components'
import { formatDateTime } from '../format'

export default function HelperRemindersPage() {
  const helperId = decodeURIComponent(Taro.getCurrentInstance().router?.params.helperId ?? '')
  return (
    <Screen title="帮扶人提醒记录">
      <OfficerGate>{() => <Explain helperId={helperId} />}</OfficerGate>
    </Screen>
  )
}

function Explain({ helperId }: { helperId: string }) {
  const q = useApiQuery('reminders.explain', { helperId })
  if (q.status === 'loading') return <LoadingState />
  if (q.status === 'error') return <ErrorState error={q.error} onRetry={q.reload} />
  const { helper, quota, items, escalations } = q.data
  return (
    <View data-testid="helper-reminders">
      <Card title={helper.displayName}>
        {quota.map((l) => (
          <Row key={l.template} label={l.title}>
            <Text>
              剩余可发 {l.remaining} 条
              {l.unreachableSince ? `；${formatDateTime(l.unreachableSince)} 起提醒不到` : ''}
            </Text>
          </Row>
        ))}
        {escalations.length ? (
          <Row label="连续逾期上报">
            <Text>{escalations.map((e) => e.periodKey).join('、')}</Text>
          </Row>
        ) : null}
      </Card>
      <Card title="发送记录">
        {items.length === 0 ? <Text className="o-muted">还没有给这位帮扶人的提醒。</Text> : null}
        {items.map((item) => (
          <View key={item.id} className="o-stack" data-testid="reminder-item">
            <View>
              <Tag
                tone={item.state === 'sent' ? 'ok' : item.state === 'pending' ? 'plain' : 'danger'}
              >
                {item.stateLabel}
              </Tag>
              <Text className="o-muted"> {formatDateTime(item.sentAt ?? item.createdAt)}</Text>
            </View>
            <Text>{item.reason}</Text>
            {item.errorCode !== null ? (
              <Text className="o-muted">微信返回错误码 {item.errorCode}</Text>
            ) : null}
          </View>
        ))}
      </Card>
    </View>
  )
}
