// Contract of the pairings actions (filled in by the feature that owns them).
import type { ActionSpecs } from './action-spec'

export const PAIRING_ACTIONS = {} as const satisfies ActionSpecs
