// The loading and failure states every data-backed page shows the same way.
import { Text, View } from '@tarojs/components'
import type { ApiError } from '../../services'
import { ActionButton } from '../ActionButton'
import './index.scss'

export function LoadingState({ text = '正在加载…' }: { text?: string }) {
  return (
    <View className="query-status" aria-live="polite" aria-busy="true">
      <Text className="query-status__text">{text}</Text>
    </View>
  )
}

export function ErrorState({ error, onRetry }: { error: ApiError; onRetry: () => void }) {
  return (
    <View className="query-status query-status--error" aria-live="assertive">
      <Text className="query-status__title">加载失败</Text>
      <Text className="query-status__text">{error.message}</Text>
      <ActionButton onClick={onRetry} className="query-status__retry" testId="retry">
        重试
      </ActionButton>
    </View>
  )
}
