// Contract of the stats actions (filled in by the feature that owns them).
import type { ActionSpecs } from './action-spec'

export const STATS_ACTIONS = {} as const satisfies ActionSpecs
