// Who the caller is: the `session.me` action's contract.
import * as z from 'zod'
import { ROLES } from './roles'

export const SessionUserSchema = z.object({
  id: z.string(),
  role: z.enum(ROLES),
  displayName: z.string(),
  townshipId: z.string(),
  townshipName: z.string(),
  villageId: z.string().nullable(),
  villageName: z.string().nullable(),
  /** the caller's own WeChat openid: the folder their photo uploads go to (contact-photos/<openid>/) */
  openid: z.string(),
})
export type SessionUser = z.infer<typeof SessionUserSchema>

export const SessionMeInput = z.object({}).strict()
export const SessionMeOutput = SessionUserSchema.nullable()
