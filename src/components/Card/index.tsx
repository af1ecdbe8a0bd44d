// A titled white block: the unit every screen is built from.
import { Text, View } from '@tarojs/components'
import type { ReactNode } from 'react'
import { a11y } from '../a11y'
import './index.scss'

export function Card({
  title,
  children,
  testId,
  className,
}: {
  title?: string
  children: ReactNode
  testId?: string
  className?: string
}) {
  return (
    <View className={['card', className].filter(Boolean).join(' ')} data-testid={testId}>
      {title ? (
        <Text className="card__title" {...a11y({ role: 'heading', 'aria-level': 2 })}>
          {title}
        </Text>
      ) : null}
      {children}
    </View>
  )
}
