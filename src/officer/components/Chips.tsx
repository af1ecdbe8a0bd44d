// A row of tappable choices (one or several), the officer screens' stand-in for pickers: big targets, no popups.
import { Text, View } from '@tarojs/components'
import type { KeyboardEvent } from 'react'

export interface ChipOption<T extends string> {
  value: T
  label: string
}

interface ChipsProps<T extends string> {
  /** What the group is for, announced by screen readers and shown above the chips. */
  label: string
  options: ReadonlyArray<ChipOption<T>>
  selected: ReadonlyArray<T>
  onToggle: (value: T) => void
  /** Several may be chosen (checkboxes) instead of one (radio buttons). */
  multiple?: boolean
  error?: string
  testId?: string
  /** Hide the visible label (the group keeps it for screen readers). */
  hideLabel?: boolean
}

export function Chips<T extends string>({
  label,
  options,
  selected,
  onToggle,
  multiple = false,
  error,
  testId,
  hideLabel = false,
}: ChipsProps<T>) {
  return (
    <View className="o-field" data-testid={testId}>
      {!hideLabel && <Text className="o-field__label">{label}</Text>}
      <View className="o-chips" role={multiple ? 'group' : 'radiogroup'} aria-label={label}>
        {options.map((o) => {
          const on = selected.includes(o.value)
          return (
            <View
              key={o.value}
              className={`o-chip${on ? ' o-chip--on' : ''}`}
              role={multiple ? 'checkbox' : 'radio'}
              aria-checked={on}
              data-value={o.value}
              onClick={() => onToggle(o.value)}
              {...(SHOUHU_LOCAL_MODE ? keyboard(() => onToggle(o.value)) : {})}
            >
              <Text>{o.label}</Text>
            </View>
          )
        })}
      </View>
      {error ? (
        <View className="o-field__error" role="alert">
          {error}
        </View>
      ) : null}
    </View>
  )
}

/** h5 only: a tab stop and Enter/Space, as a native control has; WeChat's own views need none. */
export function keyboard(activate: () => void): Record<string, unknown> {
  return {
    tabIndex: 0,
    onKeyDown: (event: KeyboardEvent) => {
      if (event.key !== 'Enter' && event.key !== ' ') return
      event.preventDefault()
      activate()
    },
  }
}

/** Options from a code list and its label table, in the list's order. */
export function optionsOf<T extends string>(
  codes: readonly T[],
  labels: Record<T, string>,
): Array<ChipOption<T>> {
  return codes.map((value) => ({ value, label: labels[value] }))
}
