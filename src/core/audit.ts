// Contract of audit.list: the township office reads who did what to which record, and when.
import * as z from 'zod'
import type { ActionSpecs } from './action-spec'
import { ROLES } from './roles'

export const AuditListInput = z
  .object({
    targetId: z.string().min(1).max(64).optional(),
    actorId: z.string().min(1).max(64).optional(),
    action: z.string().min(1).max(64).optional(),
    limit: z.number().int().min(1).max(100).default(50),
    /** opaque: the `nextCursor` of the previous page */
    cursor: z
      .string()
      .regex(/^\d{1,6}$/, '翻页参数无效')
      .optional(),
  })
  .strict()

export const AuditEntryView = z.object({
  id: z.string(),
  at: z.string(),
  actorId: z.string(),
  role: z.enum(ROLES),
  villageId: z.string().nullable(),
  action: z.string(),
  target: z.object({ type: z.string(), id: z.string() }),
  detail: z.record(z.string(), z.unknown()).nullable(),
  requestId: z.string().nullable(),
})
export type AuditEntryView = z.infer<typeof AuditEntryView>

export const AuditListOutput = z.object({
  items: z.array(AuditEntryView),
  nextCursor: z.string().nullable(),
})

export const AUDIT_ACTIONS = {
  'audit.list': { input: AuditListInput, output: AuditListOutput },
} as const satisfies ActionSpecs
