// Contract of the org actions (filled in by the feature that owns them).
import type { ActionSpecs } from './action-spec'

export const ORG_ACTIONS = {} as const satisfies ActionSpecs
