// Stored documents of the organisation (townships, villages, users) and every collection's name.
import * as z from 'zod'
import { HELPER_ORG_TYPES } from '../core/domain'
import { ROLES } from '../core/roles'

/** Collection names, the only place they are spelled; database/collections.json declares the same. */
export const COLLECTIONS = {
  townships: 'townships',
  villages: 'villages',
  users: 'users',
  children: 'children',
  childHistory: 'child_history',
  pairings: 'pairings',
  contactLogs: 'contact_logs',
  dutyStates: 'duty_states',
  audit: 'audit_log',
  invites: 'invites',
  confirmations: 'confirmations',
  checkins: 'checkins',
  subscriptions: 'subscriptions',
  outbox: 'outbox',
  reminderRuns: 'reminder_runs',
  urgentReports: 'urgent_reports',
  measures: 'measures',
  ledgerExports: 'ledger_exports',
  rollups: 'stats_rollups',
} as const

export const TownshipDoc = z.object({ _id: z.string(), name: z.string() })
export type TownshipDoc = z.infer<typeof TownshipDoc>

export const VillageDoc = z.object({ _id: z.string(), townshipId: z.string(), name: z.string() })
export type VillageDoc = z.infer<typeof VillageDoc>

/** A guardian user's link to a guardian entry of a child's record. */
export const GuardianLink = z.object({ childId: z.string(), guardianId: z.string() })

export const UserDoc = z.object({
  _id: z.string(),
  openid: z.string(),
  role: z.enum(ROLES),
  displayName: z.string(),
  townshipId: z.string(),
  villageId: z.string().nullable(),
  phone: z.string().nullable().default(null),
  /** helpers only: the organisation they come from */
  helperOrgType: z.enum(HELPER_ORG_TYPES).nullable().default(null),
  /** guardians only: which children's guardian entries this WeChat user is */
  guardianOf: z.array(GuardianLink).default([]),
})
export type UserDoc = z.infer<typeof UserDoc>
/** A registered caller: the user record every gated action runs as. */
export type Actor = UserDoc
