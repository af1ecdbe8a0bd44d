// Handlers of the pairings actions (filled in by the feature that owns them).
import type { PAIRING_ACTIONS } from '../../core/pairings'
import type { Handlers } from '../router'

export const pairingsHandlers: Handlers<keyof typeof PAIRING_ACTIONS> = {}
