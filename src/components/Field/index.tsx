// A labelled form field with its error beside it, in Chinese (from the server's issues or the page's checks).
import { Text, View } from '@tarojs/components'
import type { ReactNode } from 'react'
import { a11y } from '../a11y'
import './index.scss'

export function Field({
  label,
  hint,
  error,
  children,
  testId,
}: {
  label: string
  hint?: string
  error?: string | null
  children: ReactNode
  testId?: string
}) {
  return (
    <View className={`field ${error ? 'field--error' : ''}`} data-testid={testId}>
      <Text className="field__label">{label}</Text>
      {hint ? <Text className="field__hint">{hint}</Text> : null}
      {children}
      {error ? (
        <Text
          className="field__error"
          data-testid={testId ? `${testId}-error` : undefined}
          {...a11y({ role: 'alert' })}
        >
          {error}
        </Text>
      ) : null}
    </View>
  )
}
