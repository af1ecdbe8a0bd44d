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

export type Access = Partial<Record<Role, Scope>>

const OFFICERS: Access = { village_officer: 'village', township_officer: 'township' }

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

  'duties.list': { helper: 'paired', ...OFFICERS },

  'audit.list': { township_officer: 'township' },

  // --- invites and joining (issue 5): rows added by that feature
  // --- guardian confirmations and household check-in (issue 5): rows added by that feature
  // --- subscriptions and reminders (issue 6): rows added by that feature
  // --- urgent reports (issue 7): rows added by that feature
  // --- measures (issue 7): rows added by that feature
  // --- supervision statistics and ledger (issue 7): rows added by that feature
}

/** The scope a role has for an action, or null: not allowed. Unlisted actions and roles are denied. */
export function scopeFor(action: string, role: Role | null): Scope | null {
  const access = Object.prototype.hasOwnProperty.call(ACCESS, action) ? ACCESS[action] : undefined
  if (!access) return null
  if (role === null) return Object.values(access).every((s) => s === 'anyone') ? 'anyone' : null
  return access[role] ?? null
}
