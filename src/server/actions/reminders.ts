// Handlers of the reminders actions (filled in by the feature that owns them).
import type { REMINDER_ACTIONS } from '../../core/reminders'
import type { Handlers } from '../router'

export const remindersHandlers: Handlers<keyof typeof REMINDER_ACTIONS> = {}
