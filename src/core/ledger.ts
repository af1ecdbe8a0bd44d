// Contract of the ledger actions (filled in by the feature that owns them).
import type { ActionSpecs } from './action-spec'

export const LEDGER_ACTIONS = {} as const satisfies ActionSpecs
