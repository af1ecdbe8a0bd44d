// At a natural moment (home, after logging): offer the reminder subscription on a tap, never by itself,
// and only while the ledger says no reminder could reach the person; "not now" keeps it away a few days.
import { Text, View } from '@tarojs/components'
import { useState } from 'react'
import { useApiQuery } from '../../services/hooks'
import {
  needsReminderGrant,
  promptSnoozed,
  REMINDER_TEMPLATE_IDS,
  snoozePrompt,
  subscribeToReminders,
} from '../../services/subscriptions'
import { a11y } from '../a11y'
import { ActionButton } from '../ActionButton'
import './index.scss'

type State = 'idle' | 'asking' | 'done' | 'declined' | 'dismissed'

export function SubscribePrompt({ moment }: { moment: 'home' | 'after_log' }) {
  const ledger = useApiQuery('subscriptions.mine', {})
  const [state, setState] = useState<State>('idle')
  const [snoozed] = useState(() => promptSnoozed(new Date()))
  if (REMINDER_TEMPLATE_IDS.length === 0 || snoozed || state === 'dismissed') return null
  if (state === 'done') {
    return (
      <View className="subscribe" data-testid="subscribe-done">
        <Text className="subscribe__text" {...a11y({ role: 'status' })}>
          ✓ 已开启提醒：下次该联系或走访时，会收到一条微信提醒。
        </Text>
      </View>
    )
  }
  if (ledger.status !== 'ready' || !needsReminderGrant(ledger.data.items)) return null

  const ask = async () => {
    setState('asking')
    const granted = (await subscribeToReminders()) > 0
    if (!granted) snoozePrompt(new Date())
    setState(granted ? 'done' : 'declined')
  }
  const notNow = () => {
    snoozePrompt(new Date())
    setState('dismissed')
  }
  return (
    <View className="subscribe" data-testid={`subscribe-${moment}`}>
      <Text className="subscribe__text">
        {moment === 'after_log'
          ? '需要在下次该联系时收到微信提醒吗？'
          : '开启微信提醒：到期前提醒您联系和走访。'}
      </Text>
      {state === 'declined' ? (
        <Text className="subscribe__text" {...a11y({ role: 'status' })}>
          未开启提醒，可稍后再试。
        </Text>
      ) : null}
      <ActionButton onClick={() => void ask()} disabled={state === 'asking'} testId="subscribe">
        开启提醒
      </ActionButton>
      <ActionButton variant="secondary" onClick={notNow} testId="subscribe-later">
        暂不需要
      </ActionButton>
    </View>
  )
}
