// audit.list: the township's audit trail, newest first, filtered by record, actor or action.
import * as z from 'zod'
import type { AUDIT_ACTIONS, AuditEntryView } from '../../core/audit'
import { ROLES } from '../../core/roles'
import { getDb } from '../cloud'
import { findMany, StoredDate } from '../db'
import { COLLECTIONS } from '../records'
import type { Handlers } from '../router'

const AuditDoc = z.object({
  _id: z.string(),
  at: StoredDate,
  actorId: z.string(),
  role: z.enum(ROLES),
  townshipId: z.string(),
  villageId: z.string().nullable(),
  action: z.string(),
  target: z.object({ type: z.string(), id: z.string() }),
  detail: z.record(z.string(), z.unknown()).nullable(),
  requestId: z.string().nullable(),
})

export const auditHandlers: Handlers<keyof typeof AUDIT_ACTIONS> = {
  'audit.list': async (input, { actor }) => {
    const where: Record<string, unknown> = { townshipId: actor.townshipId }
    if (input.targetId) where['target.id'] = input.targetId
    if (input.actorId) where.actorId = input.actorId
    if (input.action) where.action = input.action
    const skip = input.cursor ? Number(input.cursor) : 0
    // One row more than asked tells whether another page exists, without a count query.
    const docs = await findMany(
      AuditDoc,
      getDb()
        .collection(COLLECTIONS.audit)
        .where(where)
        .orderBy('at', 'desc')
        .skip(skip)
        .limit(input.limit + 1),
    )
    const items: AuditEntryView[] = docs.slice(0, input.limit).map((d) => ({
      id: d._id,
      at: d.at.toISOString(),
      actorId: d.actorId,
      role: d.role,
      villageId: d.villageId,
      action: d.action,
      target: d.target,
      detail: d.detail,
      requestId: d.requestId,
    }))
    return { items, nextCursor: docs.length > input.limit ? String(skip + input.limit) : null }
  },
}
