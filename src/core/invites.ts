// Contract of the invites actions (filled in by the feature that owns them).
import type { ActionSpecs } from './action-spec'

export const INVITE_ACTIONS = {} as const satisfies ActionSpecs
