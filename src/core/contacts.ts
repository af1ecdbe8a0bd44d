// Contract of the contacts actions (filled in by the feature that owns them).
import type { ActionSpecs } from './action-spec'

export const CONTACT_ACTIONS = {} as const satisfies ActionSpecs
