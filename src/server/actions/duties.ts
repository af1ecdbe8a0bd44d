// Handlers of the duties actions (filled in by the feature that owns them).
import type { DUTY_ACTIONS } from '../../core/duties'
import type { Handlers } from '../router'

export const dutiesHandlers: Handlers<keyof typeof DUTY_ACTIONS> = {}
