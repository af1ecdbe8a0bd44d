// Accessibility attributes Taro's component typings leave out (role, tabIndex): passed as a spread.
import type { KeyboardEvent } from 'react'

/** role / aria-* for any element; in h5 also a tab stop and Enter/Space activation when `onActivate` is given. */
export function a11y(
  attrs: Record<string, string | number | boolean | undefined>,
  onActivate?: () => void,
): Record<string, unknown> {
  const out: Record<string, unknown> = { ...attrs }
  if (SHOUHU_LOCAL_MODE && onActivate) {
    out.tabIndex = 0
    out.onKeyDown = (e: KeyboardEvent) => {
      if (e.key === 'Enter' || e.key === ' ') {
        e.preventDefault()
        onActivate()
      }
    }
  }
  return out
}
