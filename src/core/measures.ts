// Contract of the measures actions (filled in by the feature that owns them).
import type { ActionSpecs } from './action-spec'

export const MEASURE_ACTIONS = {} as const satisfies ActionSpecs
