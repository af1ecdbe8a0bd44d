// Every action of the `api` function: its input and output schema, gathered from each feature's table.
import type * as z from 'zod'
import type { ActionSpecs } from './action-spec'
import { AUDIT_ACTIONS } from './audit'
import { CHILDREN_ACTIONS } from './children'
import { CONFIRMATION_ACTIONS } from './confirmations'
import { CONTACT_ACTIONS } from './contacts'
import { DUTY_ACTIONS } from './duties'
import { INVITE_ACTIONS } from './invites'
import { LEDGER_ACTIONS } from './ledger'
import { MEASURE_ACTIONS } from './measures'
import { ORG_ACTIONS } from './org'
import { PAIRING_ACTIONS } from './pairings'
import { REMINDER_ACTIONS } from './reminders'
import { REPORT_ACTIONS } from './reports'
import { STATS_ACTIONS } from './stats'
import { SessionMeInput, SessionMeOutput } from './session'

export const ACTIONS = {
  'session.me': { input: SessionMeInput, output: SessionMeOutput },
  ...ORG_ACTIONS,
  ...CHILDREN_ACTIONS,
  ...PAIRING_ACTIONS,
  ...CONTACT_ACTIONS,
  ...DUTY_ACTIONS,
  ...AUDIT_ACTIONS,
  ...INVITE_ACTIONS,
  ...CONFIRMATION_ACTIONS,
  ...REMINDER_ACTIONS,
  ...REPORT_ACTIONS,
  ...MEASURE_ACTIONS,
  ...STATS_ACTIONS,
  ...LEDGER_ACTIONS,
} as const satisfies ActionSpecs

export type ActionName = keyof typeof ACTIONS
export type ActionInput<A extends ActionName> = z.input<(typeof ACTIONS)[A]['input']>
export type ActionOutput<A extends ActionName> = z.output<(typeof ACTIONS)[A]['output']>

export function isActionName(name: string): name is ActionName {
  return Object.prototype.hasOwnProperty.call(ACTIONS, name)
}
