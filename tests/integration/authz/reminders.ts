// Authorization cases of the subscription and reminder actions (issue 6), one per action.
import { SUBSCRIPTIONS } from '../../../src/core/subscriptions-config'
import type { AuthzCases } from './types'

/** A helper of the caller's scope, and one outside it (another village; an id no township has). */
const helperIn = (role: string) =>
  role === 'township_officer' ? 'usr-demo-helper-3' : 'usr-demo-helper-1'
const helperOut = (role: string) =>
  role === 'township_officer' ? 'usr-other-helper' : 'usr-demo-helper-3'

export const cases: AuthzCases = {
  'subscriptions.grant': {
    inScope: () => ({ templateIds: [SUBSCRIPTIONS.templates.helper_digest.id] }),
    requestId: true,
  },
  'subscriptions.mine': { inScope: () => ({}) },
  'reminders.mine': { inScope: () => ({}) },
  'reminders.explain': {
    inScope: (role) => ({ helperId: helperIn(role) }),
    outOfScope: (role) => ({ helperId: helperOut(role) }),
  },
  'reminders.unreachable': { inScope: () => ({}) },
}
