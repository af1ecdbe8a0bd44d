// Handlers of the org actions (filled in by the feature that owns them).
import type { ORG_ACTIONS } from '../../core/org'
import type { Handlers } from '../router'

export const orgHandlers: Handlers<keyof typeof ORG_ACTIONS> = {}
