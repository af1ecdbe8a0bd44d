// Page frame, cards and small pieces every officer screen shares.
import { Text, View } from '@tarojs/components'
import Taro from '@tarojs/taro'
import type { ReactNode } from 'react'
import { keyboard } from './Chips'

export function Screen({ title, children }: { title: string; children: ReactNode }) {
  return (
    <View className="o-screen">
      <View role="heading" aria-level={1} className="o-screen__title">
        {title}
      </View>
      {children}
    </View>
  )
}

export function Card({
  title,
  children,
  testId,
  tone,
}: {
  title?: string
  children: ReactNode
  testId?: string
  tone?: 'alert'
}) {
  return (
    <View className={`o-card${tone ? ` o-card--${tone}` : ''}`} data-testid={testId}>
      {title ? (
        <View role="heading" aria-level={2} className="o-card__title">
          {title}
        </View>
      ) : null}
      {children}
    </View>
  )
}

/** A label and its value on one line. */
export function Row({ label, children }: { label: string; children: ReactNode }) {
  return (
    <View className="o-row">
      <Text className="o-row__label">{label}</Text>
      <Text className="o-row__value">{children}</Text>
    </View>
  )
}

export function Tag({
  children,
  tone = 'plain',
}: {
  children: ReactNode
  tone?: 'plain' | 'warn' | 'danger' | 'ok'
}) {
  return <Text className={`o-tag o-tag--${tone}`}>{children}</Text>
}

/** A tappable row that opens another page. */
export function LinkRow({
  url,
  children,
  label,
  testId,
}: {
  url: string
  children: ReactNode
  label?: string
  testId?: string
}) {
  const open = () => void Taro.navigateTo({ url })
  return (
    <View
      className="o-link"
      role="link"
      aria-label={label}
      data-testid={testId}
      onClick={open}
      {...(SHOUHU_LOCAL_MODE ? keyboard(open) : {})}
    >
      {children}
      <Text className="o-link__chevron" aria-hidden>
        ›
      </Text>
    </View>
  )
}

export function Notice({
  children,
  tone = 'info',
}: {
  children: ReactNode
  tone?: 'info' | 'error' | 'ok'
}) {
  return (
    <View className={`o-notice o-notice--${tone}`} role={tone === 'error' ? 'alert' : 'status'}>
      <Text>{children}</Text>
    </View>
  )
}

export function Empty({ children }: { children: ReactNode }) {
  return (
    <View className="o-empty">
      <Text>{children}</Text>
    </View>
  )
}
