// The shape of one action's cases in the authorization test (every action × every role).
import type { ErrorCode } from '../../../src/core/envelope'
import type { Role } from '../../../src/core/roles'

/**
 * The demo data (`startStack({ seed: 'full' })`) gives each role a record in scope and one out of scope:
 * - helper `demo-helper-1`: child `chd-demo-01` paired with them; `chd-demo-11` (helper 2's) is out of scope
 * - guardian `demo-guardian-1`: guardian of `chd-demo-01`; `chd-demo-02` is out of scope
 * - village officer `demo-village-1` (清水村 `vil-demo-1`): `chd-demo-01` in; `chd-demo-23` (石桥村) out
 * - township officer `demo-township` (`twp-demo`): `chd-demo-23` in; `chd-other` (another township) out
 */
export type ScopeFixture = {
  inChild: string
  outChild: string
  /** an active child in scope with no pairing (officers) */
  unpairedChild: string
  /** the helper paired with `inChild` (officers) */
  pairedHelperId: string
  /** a contact log written in the last 7 days by demo-helper-1 (still correctable) */
  recentLogId: string
  /** a contact log by another helper */
  otherLogId: string
}

export type AuthzCase = {
  /** Input for a call that the role may make, on a record in its scope. */
  inScope: (role: Role, f: ScopeFixture) => Record<string, unknown>
  /** Input naming a record outside the role's scope; omit for actions without a record (e.g. lists). */
  outOfScope?: (role: Role, f: ScopeFixture) => Record<string, unknown>
  /**
   * What an in-scope call answers: `ok`, or an error code that proves the call passed the access and
   * scope checks without writing (e.g. `CONFLICT` for a stale version). Default `ok`.
   */
  expectInScope?: 'ok' | Exclude<ErrorCode, 'FORBIDDEN' | 'NOT_FOUND' | 'UNAUTHENTICATED'>
  /** What an out-of-scope call answers. Default `NOT_FOUND` (a record's existence is not revealed). */
  expectOutOfScope?: 'NOT_FOUND' | 'FORBIDDEN'
  /** Needs the envelope's requestId (idempotent writes). */
  requestId?: boolean
}

export type AuthzCases = Record<string, AuthzCase>
