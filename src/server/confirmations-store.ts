// Confirmation tokens as stored, their lookups, and what a bound guardian is shown of the log.
import * as z from 'zod'
import { DUTY_LABELS } from '../core/cadence'
import {
  CONFIRM_PAGE,
  MAX_CHECK_ATTEMPTS,
  type ConfirmationTokenView,
  type ConfirmationVisit,
} from '../core/confirmations'
import { CONTACT_MODE_LABELS } from '../core/domain'
import { scenePath } from '../core/invites'
import { givenName } from '../core/masking'
import { chinaDate } from '../core/time'
import type { ChildDoc } from './children-store'
import { getDb } from './cloud'
import type { ContactLogDoc } from './contacts-store'
import { findOne, StoredDate } from './db'
import { COLLECTIONS, type UserDoc } from './records'

export const ConfirmationDoc = z.object({
  _id: z.string(),
  /** unique index `scene_unique` */
  scene: z.string(),
  logId: z.string(),
  childId: z.string(),
  helperId: z.string(),
  townshipId: z.string(),
  villageId: z.string(),
  state: z.enum(['open', 'answered']),
  failedChecks: z.number().int(),
  expiresAt: StoredDate,
  createdAt: StoredDate,
  answeredAt: StoredDate.nullable(),
  answeredBy: z.string().nullable(),
  qrFileId: z.string().nullable(),
})
export type ConfirmationDoc = z.infer<typeof ConfirmationDoc>

export function confirmationByScene(scene: string): Promise<ConfirmationDoc | null> {
  return findOne(
    ConfirmationDoc,
    getDb().collection(COLLECTIONS.confirmations).where({ scene }).limit(1),
  )
}

/** The newest token of a log that can still be answered and checked, to show again instead of a new one. */
export function reusableToken(logId: string, now: Date): Promise<ConfirmationDoc | null> {
  const _ = getDb().command
  return findOne(
    ConfirmationDoc,
    getDb()
      .collection(COLLECTIONS.confirmations)
      .where({ logId, state: 'open', expiresAt: _.gt(now), failedChecks: _.lt(MAX_CHECK_ATTEMPTS) })
      .orderBy('createdAt', 'desc')
      .limit(1),
  )
}

export function tokenView(t: ConfirmationDoc, qrUrl: string | null): ConfirmationTokenView {
  return {
    id: t._id,
    logId: t.logId,
    scene: t.scene,
    path: scenePath(CONFIRM_PAGE, t.scene),
    qrUrl,
    expiresAt: t.expiresAt,
    state: t.state,
  }
}

/** "<helper> <date> <kind> for <child's given name>": the most a guardian sees, and only once bound. */
export function visitOf(log: ContactLogDoc, child: Pick<ChildDoc, 'name'>): ConfirmationVisit {
  return {
    helperName: log.helperName,
    date: chinaDate(log.occurredAt),
    duty: log.duty,
    dutyLabel: DUTY_LABELS[log.duty],
    mode: log.mode,
    modeLabel: CONTACT_MODE_LABELS[log.mode],
    childGivenName: givenName(child.name),
  }
}

/** Whether the user is a guardian of the child now: linked to a guardian entry that is still on the record. */
export function isGuardianOf(
  user: UserDoc | null,
  child: Pick<ChildDoc, '_id' | 'guardians'>,
): boolean {
  if (!user || user.role !== 'guardian') return false
  return user.guardianOf.some(
    (l) => l.childId === child._id && child.guardians.some((g) => g.id === l.guardianId),
  )
}
