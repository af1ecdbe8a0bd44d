// The `api` function's body: every user action, routed by name.
import { auditHandlers } from './actions/audit'
import { childrenHandlers } from './actions/children'
import { confirmationsHandlers } from './actions/confirmations'
import { contactsHandlers } from './actions/contacts'
import { dutiesHandlers } from './actions/duties'
import { invitesHandlers } from './actions/invites'
import { ledgerHandlers } from './actions/ledger'
import { measuresHandlers } from './actions/measures'
import { orgHandlers } from './actions/org'
import { pairingsHandlers } from './actions/pairings'
import { remindersHandlers } from './actions/reminders'
import { reportsHandlers } from './actions/reports'
import { statsHandlers } from './actions/stats'
import { sessionMe } from './actions/session'
import { systemClock } from './clock'
import { handleApiEvent, type HandlerTable } from './router'

export const handlers: HandlerTable = {
  'session.me': sessionMe,
  ...orgHandlers,
  ...childrenHandlers,
  ...pairingsHandlers,
  ...contactsHandlers,
  ...dutiesHandlers,
  ...auditHandlers,
  ...invitesHandlers,
  ...confirmationsHandlers,
  ...remindersHandlers,
  ...reportsHandlers,
  ...measuresHandlers,
  ...statsHandlers,
  ...ledgerHandlers,
}

/** Structured log line; callers pass ids and codes only, never names, ID numbers or phone numbers. */
function log(entry: Record<string, unknown>): void {
  console.log(JSON.stringify(entry))
}

export function main(event: unknown): Promise<unknown> {
  return handleApiEvent(event, handlers, { now: systemClock, log })
}
