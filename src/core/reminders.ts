// Contract of the reminders actions (filled in by the feature that owns them).
import type { ActionSpecs } from './action-spec'

export const REMINDER_ACTIONS = {} as const satisfies ActionSpecs
