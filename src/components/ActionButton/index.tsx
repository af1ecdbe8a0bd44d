// A full-width button with the app's look: a native <button> in WeChat, keyboard-usable in h5.
import { Button } from '@tarojs/components'
import type { KeyboardEvent, ReactNode } from 'react'
import './index.scss'

export interface ActionButtonProps {
  children: ReactNode
  onClick: () => void
  variant?: 'primary' | 'secondary'
  disabled?: boolean
  /** What a screen reader announces, when the visible text alone is not enough. */
  label?: string
  className?: string
  /** A stable hook for tests (rendered as data-testid). */
  testId?: string
  /** WeChat's built-in button behaviour, e.g. 'share' opens the chat picker (onShareAppMessage). */
  openType?: 'share'
}

export function ActionButton({
  children,
  onClick,
  variant = 'primary',
  disabled = false,
  label,
  className,
  testId,
  openType,
}: ActionButtonProps) {
  return (
    <Button
      className={['action-button', `action-button--${variant}`, className]
        .filter(Boolean)
        .join(' ')}
      // h5 renders `disabled={false}` as a disabled="false" attribute, which Taro's CSS styles as disabled.
      disabled={disabled || undefined}
      onClick={disabled ? undefined : onClick}
      aria-label={label}
      aria-disabled={disabled || undefined}
      data-testid={testId}
      openType={openType}
      hoverClass="action-button--pressed"
      {...(SHOUHU_LOCAL_MODE ? webButtonProps(onClick, disabled) : {})}
    >
      {children}
    </Button>
  )
}

/**
 * In h5 Taro's Button is a custom element, not a <button>: give it the role, a tab stop and
 * Enter/Space activation a native button has. WeChat's own <button> needs none of this.
 */
function webButtonProps(onClick: () => void, disabled: boolean): Record<string, unknown> {
  return {
    role: 'button',
    tabIndex: disabled ? -1 : 0,
    onKeyDown: (event: KeyboardEvent) => {
      if (disabled || (event.key !== 'Enter' && event.key !== ' ')) return
      event.preventDefault()
      onClick()
    },
  }
}
