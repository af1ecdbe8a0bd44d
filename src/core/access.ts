// Who may call which action, on which scope: the one table every action is checked against (deny by default).
import type { Role } from './roles'

/**
 * - `anyone`: any WeChat user, registered or not (the handler sees who).
 * - `self`: the caller's own records only.
 * - `paired`: children the helper is paired with now (and, for reading contacts, their own past logs).
 * - `author`: records the caller wrote.
 * - `guardian`: the children the guardian is linked to.
 * - `village` / `township`: records in the caller's village / township.
 */
export type Scope = 'anyone' | 'self' | 'paired' | 'author' | 'guardian' | 'village' | 'township'

/** A WeChat user with no user record yet (someone joining by invite, a guardian's first confirmation). */
export const UNREGISTERED = 'unregistered'

/**
 * Each role's scope; `unregistered: 'anyone'` lets users without a record call the action too (the
 * handler then sees `caller.user === null`). Without it they are refused (deny by default).
 */
export type Access = Partial<Record<Role, Scope>> & { [UNREGISTERED]?: 'anyone' }

const EVERYONE: Access = {
  [UNREGISTERED]: 'anyone',
  helper: 'anyone',
  guardian: 'anyone',
  village_officer: 'anyone',
  township_officer: 'anyone',
}

const OFFICERS: Access = { village_officer: 'village', township_officer: 'township' }
/** Any registered user, on their own records only (their quota ledger, their reminders). */
const ANY_REGISTERED_SELF: Access = {
  helper: 'self',
  guardian: 'self',
  village_officer: 'self',
  township_officer: 'self',
}

export const ACCESS: Readonly<Record<string, Access>> = {
  'session.me': {
    helper: 'anyone',
    guardian: 'anyone',
    village_officer: 'anyone',
    township_officer: 'anyone',
  },

  'org.villages': OFFICERS,
  'helpers.list': OFFICERS,

  'children.create': OFFICERS,
  'children.get': { helper: 'paired', guardian: 'guardian', ...OFFICERS },
  'children.list': { helper: 'paired', guardian: 'guardian', ...OFFICERS },
  'children.update': OFFICERS,
  'children.archive': OFFICERS,
  'children.history': OFFICERS,
  'children.consent': OFFICERS,

  'pairings.assign': OFFICERS,
  'pairings.end': OFFICERS,
  'pairings.history': OFFICERS,

  'contacts.log': { helper: 'paired' },
  'contacts.correct': { helper: 'author' },
  'contacts.list': { helper: 'paired', guardian: 'guardian', ...OFFICERS },
  // A log's photos: whoever reads its full view (the child's helper now, the author, officers); not guardians.
  'contacts.photos': { helper: 'paired', ...OFFICERS },

  'duties.list': { helper: 'paired', ...OFFICERS },

  'audit.list': { township_officer: 'township' },

  // --- invites and joining (issue 5)
  'invites.create': OFFICERS,
  'invites.list': OFFICERS,
  'invites.revoke': OFFICERS,
  'invites.peek': EVERYONE,
  // registered callers reach the handler, which answers CONFLICT (already joined)
  'invites.join': EVERYONE,
  // --- guardian confirmations and household check-in (issue 5)
  'confirmations.create': { helper: 'author' },
  'confirmations.view': EVERYONE,
  // a first-time guardian (unregistered) or a guardian adding a child; helpers and officers never bind
  'confirmations.bind': { [UNREGISTERED]: 'anyone', guardian: 'anyone' },
  'confirmations.answer': { guardian: 'guardian' },
  'checkins.household': OFFICERS,
  'checkins.scan': { helper: 'paired' },
  // --- subscriptions and reminders (issue 6)
  'subscriptions.grant': ANY_REGISTERED_SELF,
  'subscriptions.mine': ANY_REGISTERED_SELF,
  'reminders.mine': ANY_REGISTERED_SELF,
  'reminders.explain': OFFICERS,
  'reminders.unreachable': OFFICERS,
  // --- urgent reports (issue 7)
  // A helper raises a report for a child paired with them now and follows the reports they raised.
  'reports.create': { helper: 'paired', ...OFFICERS },
  'reports.list': { helper: 'author', ...OFFICERS },
  'reports.get': { helper: 'author', ...OFFICERS },
  'reports.transition': OFFICERS,
  // --- measures (issue 7)
  'measures.create': { helper: 'paired', ...OFFICERS },
  'measures.update': { helper: 'paired', ...OFFICERS },
  'measures.list': { helper: 'paired', ...OFFICERS },
  // --- supervision statistics and ledger (issue 7)
  'stats.compliance': OFFICERS,
  'stats.home': OFFICERS,
  'ledger.export': OFFICERS,
}

/** The scope a role has for an action, or null: not allowed. Unlisted actions and roles are denied. */
export function scopeFor(action: string, role: Role | null): Scope | null {
  const access = Object.prototype.hasOwnProperty.call(ACCESS, action) ? ACCESS[action] : undefined
  if (!access) return null
  if (role === null) {
    if (access[UNREGISTERED] === 'anyone') return 'anyone'
    return Object.values(access).every((s) => s === 'anyone') ? 'anyone' : null
  }
  return access[role] ?? null
}
