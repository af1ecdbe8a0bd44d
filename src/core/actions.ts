// Every action of the `api` function: its input and output schema, gathered from each feature's table.
import type * as z from 'zod'
import type { ActionSpecs } from './action-spec'
import { AUDIT_ACTIONS } from './audit'
import { CHILDREN_ACTIONS } from './children'
import { CONTACT_ACTIONS } from './contacts'
import { DUTY_ACTIONS } from './duties'
import { ORG_ACTIONS } from './org'
import { PAIRING_ACTIONS } from './pairings'
import { SessionMeInput, SessionMeOutput } from './session'

export const ACTIONS = {
  'session.me': { input: SessionMeInput, output: SessionMeOutput },
  ...ORG_ACTIONS,
  ...CHILDREN_ACTIONS,
  ...PAIRING_ACTIONS,
  ...CONTACT_ACTIONS,
  ...DUTY_ACTIONS,
  ...AUDIT_ACTIONS,
} as const satisfies ActionSpecs

export type ActionName = keyof typeof ACTIONS
export type ActionInput<A extends ActionName> = z.input<(typeof ACTIONS)[A]['input']>
export type ActionOutput<A extends ActionName> = z.output<(typeof ACTIONS)[A]['output']>

export function isActionName(name: string): name is ActionName {
  return Object.prototype.hasOwnProperty.call(ACTIONS, name)
}
