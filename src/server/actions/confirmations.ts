// Handlers of the confirmations actions (filled in by the feature that owns them).
import type { CONFIRMATION_ACTIONS } from '../../core/confirmations'
import type { Handlers } from '../router'

export const confirmationsHandlers: Handlers<keyof typeof CONFIRMATION_ACTIONS> = {}
