// Contract of the confirmations actions (filled in by the feature that owns them).
import type { ActionSpecs } from './action-spec'

export const CONFIRMATION_ACTIONS = {} as const satisfies ActionSpecs
