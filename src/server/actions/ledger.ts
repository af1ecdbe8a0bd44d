// Handlers of the ledger actions (filled in by the feature that owns them).
import type { LEDGER_ACTIONS } from '../../core/ledger'
import type { Handlers } from '../router'

export const ledgerHandlers: Handlers<keyof typeof LEDGER_ACTIONS> = {}
