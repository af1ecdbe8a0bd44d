// Household codes (一户一码) and the check-ins helpers make by scanning them, both kept in `checkins`.
import * as z from 'zod'
import { chinaDayNumber } from '../core/time'
import { getDb } from './cloud'
import { findById, findOne, StoredDate } from './db'
import { DomainError } from './errors'
import { txGet, type Tx } from './pairings-store'
import { COLLECTIONS } from './records'

/** A child's household code: one per child (`_id` `hhc-<childId>`), its scene replaced when regenerated. */
export const HouseholdCodeDoc = z.object({
  _id: z.string(),
  kind: z.literal('household_code'),
  childId: z.string(),
  townshipId: z.string(),
  villageId: z.string(),
  scene: z.string(),
  qrFileId: z.string().nullable(),
  createdAt: StoredDate,
  createdBy: z.string(),
  /**
   * The household's latest check-in (set by every scan that makes one): a repeated scan returns it
   * while it is `reusableCheckin`. Absent on codes made before it existed and after a regeneration.
   */
  openCheckinId: z.string().nullable().optional(),
})
export type HouseholdCodeDoc = z.infer<typeof HouseholdCodeDoc>

/** A helper at the door: who scanned which household's code, when; claimed by at most one home-visit log. */
export const CheckinDoc = z.object({
  _id: z.string(),
  kind: z.literal('visit'),
  childId: z.string(),
  helperId: z.string(),
  pairingId: z.string(),
  townshipId: z.string(),
  villageId: z.string(),
  at: StoredDate,
  /** the home-visit log that used it as evidence (null until then) */
  logId: z.string().nullable(),
  /** the latest repeated scan that returned this check-in (`at` stays the first scan's time) */
  lastScanAt: StoredDate.optional(),
})
export type CheckinDoc = z.infer<typeof CheckinDoc>

/**
 * Whether a new scan by `helperId` at `now` should return `checkin` instead of making another: the
 * same helper, no log has used it yet, and it was made on the same China calendar day. A visit
 * logged with it, or the next day, starts a new check-in.
 */
export function reusableCheckin(checkin: CheckinDoc, helperId: string, now: Date): boolean {
  return (
    checkin.helperId === helperId &&
    checkin.logId === null &&
    chinaDayNumber(checkin.at) === chinaDayNumber(now)
  )
}

export function householdCodeId(childId: string): string {
  return `hhc-${childId}`
}

export function householdCodeOf(childId: string): Promise<HouseholdCodeDoc | null> {
  return findById(HouseholdCodeDoc, COLLECTIONS.checkins, householdCodeId(childId))
}

export function householdCodeByScene(scene: string): Promise<HouseholdCodeDoc | null> {
  return findOne(
    HouseholdCodeDoc,
    getDb().collection(COLLECTIONS.checkins).where({ scene, kind: 'household_code' }).limit(1),
  )
}

const BAD_CHECKIN = '签到记录无效，请重新扫描户码'

/**
 * The check-in a home-visit log names, if this helper made it for this child and no log used it yet;
 * otherwise a VALIDATION error on `checkinId` (read again and claimed in the log's transaction).
 */
export async function usableCheckin(
  checkinId: string,
  helperId: string,
  childId: string,
): Promise<CheckinDoc> {
  const checkin = await findOne(
    CheckinDoc,
    getDb().collection(COLLECTIONS.checkins).where({ _id: checkinId, kind: 'visit' }).limit(1),
  )
  if (!checkin || checkin.helperId !== helperId || checkin.childId !== childId) {
    throw new DomainError('VALIDATION', BAD_CHECKIN, [{ path: 'checkinId', message: BAD_CHECKIN }])
  }
  if (checkin.logId) {
    const message = '这次签到已用于另一条走访记录'
    throw new DomainError('VALIDATION', message, [{ path: 'checkinId', message }])
  }
  return checkin
}

/** Marks the check-in as the evidence of `logId`, inside the log's transaction (a check-in backs one log). */
export async function claimCheckinInTx(tx: Tx, checkinId: string, logId: string): Promise<void> {
  const current = await txGet(CheckinDoc, tx, COLLECTIONS.checkins, checkinId)
  if (!current || current.logId) {
    const message = '这次签到已用于另一条走访记录'
    throw new DomainError('VALIDATION', message, [{ path: 'checkinId', message }])
  }
  await tx.collection(COLLECTIONS.checkins).doc(checkinId).update({ data: { logId } })
}
