// Contract of the duties actions (filled in by the feature that owns them).
import type { ActionSpecs } from './action-spec'

export const DUTY_ACTIONS = {} as const satisfies ActionSpecs
