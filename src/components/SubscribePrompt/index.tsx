// At a natural moment (home, after logging): offer the reminder subscription on a tap, never by itself.
import { Text, View } from '@tarojs/components'
import { useState } from 'react'
import { REMINDER_TEMPLATE_IDS, subscribeToReminders } from '../../services/subscriptions'
import { ActionButton } from '../ActionButton'
import './index.scss'

export function SubscribePrompt({ moment }: { moment: 'home' | 'after_log' }) {
  const [state, setState] = useState<'idle' | 'asking' | 'done' | 'declined'>('idle')
  if (REMINDER_TEMPLATE_IDS.length === 0 || state === 'done') return null
  const ask = async () => {
    setState('asking')
    setState((await subscribeToReminders()) > 0 ? 'done' : 'declined')
  }
  return (
    <View className="subscribe" data-testid={`subscribe-${moment}`}>
      <Text className="subscribe__text">
        {moment === 'after_log'
          ? '需要在下次该联系时收到微信提醒吗？'
          : '开启微信提醒：到期前提醒您联系和走访。'}
      </Text>
      {state === 'declined' ? (
        <Text className="subscribe__text">未开启提醒，可稍后再试。</Text>
      ) : null}
      <ActionButton
        variant="secondary"
        onClick={() => void ask()}
        disabled={state === 'asking'}
        testId="subscribe"
      >
        开启提醒
      </ActionButton>
    </View>
  )
}
