// A row of large tap targets for choosing one value (a radio group), usable by keyboard and screen readers in h5.
import { Text, View } from '@tarojs/components'
import { a11y } from '../a11y'
import './index.scss'

export interface Choice<T extends string> {
  value: T
  label: string
  disabled?: boolean
}

export interface ChoiceChipsProps<T extends string> {
  /** What the group chooses, read by screen readers. */
  label: string
  choices: readonly Choice<T>[]
  value: T | null
  onChange: (value: T) => void
  testId?: string
}

export function ChoiceChips<T extends string>({
  label,
  choices,
  value,
  onChange,
  testId,
}: ChoiceChipsProps<T>) {
  return (
    <View
      className="chips"
      data-testid={testId}
      {...a11y({ role: 'radiogroup', 'aria-label': label })}
    >
      {choices.map((c) => {
        const selected = c.value === value
        const pick = () => {
          if (!c.disabled) onChange(c.value)
        }
        return (
          <View
            key={c.value}
            className={[
              'chips__chip',
              selected ? 'chips__chip--selected' : '',
              c.disabled ? 'chips__chip--disabled' : '',
            ].join(' ')}
            onClick={pick}
            data-value={c.value}
            {...a11y(
              {
                role: 'radio',
                'aria-checked': selected,
                'aria-disabled': c.disabled || undefined,
              },
              pick,
            )}
          >
            <Text>
              {selected ? '● ' : ''}
              {c.label}
            </Text>
          </View>
        )
      })}
    </View>
  )
}

/** Quick phrases that fill a text field with one tap (the common answers). */
export function QuickPhrases({
  label,
  phrases,
  onPick,
  testId,
}: {
  label: string
  phrases: readonly string[]
  onPick: (phrase: string) => void
  testId?: string
}) {
  return (
    <View
      className="chips chips--phrases"
      data-testid={testId}
      {...a11y({ role: 'group', 'aria-label': label })}
    >
      {phrases.map((p) => (
        <View
          key={p}
          className="chips__chip chips__chip--phrase"
          onClick={() => onPick(p)}
          {...a11y({ role: 'button' }, () => onPick(p))}
        >
          <Text>{p}</Text>
        </View>
      ))}
    </View>
  )
}
