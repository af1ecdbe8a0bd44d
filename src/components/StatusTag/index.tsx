// A duty's state as a coloured tag that always carries its text (colour is never the only signal).
import { Text } from '@tarojs/components'
import './index.scss'

export type Tone = 'done' | 'open' | 'due_soon' | 'overdue' | 'muted' | 'info' | 'warn'

/** A symbol per tone, so the state reads in grey scale too. */
const MARKS: Record<Tone, string> = {
  done: '✓',
  open: '○',
  due_soon: '!',
  overdue: '✕',
  muted: '–',
  info: '✓',
  warn: '?',
}

export function StatusTag({ tone, text, testId }: { tone: Tone; text: string; testId?: string }) {
  return (
    <Text className={`status-tag status-tag--${tone}`} data-testid={testId}>
      <Text className="status-tag__mark" aria-hidden="true">
        {MARKS[tone]}
      </Text>
      {text}
    </Text>
  )
}
