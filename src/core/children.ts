// Contract of the children actions (filled in by the feature that owns them).
import type { ActionSpecs } from './action-spec'

export const CHILDREN_ACTIONS = {} as const satisfies ActionSpecs
