// Contract of the reports actions (filled in by the feature that owns them).
import type { ActionSpecs } from './action-spec'

export const REPORT_ACTIONS = {} as const satisfies ActionSpecs
