// Handlers of the stats actions (filled in by the feature that owns them).
import type { STATS_ACTIONS } from '../../core/stats'
import type { Handlers } from '../router'

export const statsHandlers: Handlers<keyof typeof STATS_ACTIONS> = {}
