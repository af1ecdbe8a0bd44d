// Invites (邀请码) as stored, their lookups and the view that leaves the server.
import * as z from 'zod'
import { HELPER_ORG_TYPES } from '../core/domain'
import {
  INVITE_ROLES,
  inviteStatus,
  JOIN_PAGE,
  roleLabel,
  scenePath,
  type InviteView,
} from '../core/invites'
import { getDb } from './cloud'
import { findOne, StoredDate } from './db'
import { COLLECTIONS } from './records'

export const InviteDoc = z.object({
  _id: z.string(),
  /** the QR code's token; unique index `scene_unique` */
  scene: z.string(),
  role: z.enum(INVITE_ROLES),
  townshipId: z.string(),
  /** null: a township-wide helper */
  villageId: z.string().nullable(),
  helperOrgType: z.enum(HELPER_ORG_TYPES).nullable(),
  maxUses: z.number().int(),
  uses: z.number().int(),
  expiresAt: StoredDate,
  revokedAt: StoredDate.nullable(),
  revokedBy: z.string().nullable(),
  createdBy: z.string(),
  createdAt: StoredDate,
  /** the QR image in cloud storage (private) */
  qrFileId: z.string().nullable(),
  /** users who joined through it */
  joinedUserIds: z.array(z.string()).default([]),
})
export type InviteDoc = z.infer<typeof InviteDoc>

export function inviteByScene(scene: string): Promise<InviteDoc | null> {
  return findOne(InviteDoc, getDb().collection(COLLECTIONS.invites).where({ scene }).limit(1))
}

export function inviteView(
  inv: InviteDoc,
  ctx: { now: Date; villageNames: ReadonlyMap<string, string>; qrUrl: string | null },
): InviteView {
  return {
    id: inv._id,
    role: inv.role,
    roleLabel: roleLabel(inv.role),
    villageId: inv.villageId,
    villageName: inv.villageId ? (ctx.villageNames.get(inv.villageId) ?? null) : null,
    helperOrgType: inv.helperOrgType,
    maxUses: inv.maxUses,
    uses: inv.uses,
    expiresAt: inv.expiresAt,
    revokedAt: inv.revokedAt,
    status: inviteStatus(inv, ctx.now),
    createdAt: inv.createdAt,
    createdBy: inv.createdBy,
    scene: inv.scene,
    path: scenePath(JOIN_PAGE, inv.scene),
    qrUrl: ctx.qrUrl,
  }
}
