// Contract and rules of invites (邀请码): officers invite helpers and village officers, who join by scanning a QR code.
import * as z from 'zod'
import type { ActionSpecs } from './action-spec'
import { HELPER_ORG_TYPES } from './domain'
import { MobilePhoneSchema } from './masking'
import { IdSchema } from './org'
import { ROLE_LABELS, type Role } from './roles'
import { InstantSchema } from './time'

/**
 * Roles one can join by invite. Guardians are not invited: they bind to their entry on a child's
 * record through a confirmation (`confirmations.bind`), which checks the phone number on file.
 */
export const INVITE_ROLES = ['helper', 'village_officer'] as const satisfies readonly Role[]
export type InviteRole = (typeof INVITE_ROLES)[number]

export const INVITE_STATUSES = ['active', 'expired', 'revoked', 'used_up'] as const
export type InviteStatus = (typeof INVITE_STATUSES)[number]
export const INVITE_STATUS_LABELS: Record<InviteStatus, string> = {
  active: '可使用',
  expired: '已过期',
  revoked: '已作废',
  used_up: '已用完',
}

export const INVITE_MAX_USES = 50
export const INVITE_MAX_DAYS = 30

/** The mini-program page an invite's QR code opens (no leading slash; the scene arrives as `?scene=`). */
export const JOIN_PAGE = 'pages/join/index'

/**
 * A scene token as it travels in a QR code (wxacode allows ≤ 32 characters): short, random, never
 * personal data. Its first letter says what it is: `I` invite, `C` confirmation, `H` household.
 */
export const SceneSchema = z
  .string({ error: '二维码内容无效' })
  .trim()
  .regex(/^[ICH]\.[A-Za-z0-9_-]{16,24}$/, '二维码内容无效，请重新扫码')

/** The page path with the scene, as `wx.navigateTo` / a share card takes it. */
export function scenePath(page: string, scene: string): string {
  return `${page}?scene=${encodeURIComponent(scene)}`
}

/** What an invite's state is at `now`: revoked beats used up beats expired. */
export function inviteStatus(
  invite: { expiresAt: Date; revokedAt: Date | null; uses: number; maxUses: number },
  now: Date,
): InviteStatus {
  if (invite.revokedAt) return 'revoked'
  if (invite.uses >= invite.maxUses) return 'used_up'
  if (now.getTime() >= invite.expiresAt.getTime()) return 'expired'
  return 'active'
}

/** Why an invite cannot be used, in words for the person scanning it (null: it can be used). */
export function inviteRefusal(status: InviteStatus): string | null {
  switch (status) {
    case 'active':
      return null
    case 'expired':
      return '邀请码已过期，请联系邀请您的工作人员重新生成'
    case 'revoked':
      return '邀请码已作废，请联系邀请您的工作人员'
    case 'used_up':
      return '邀请码的使用次数已满，请联系邀请您的工作人员重新生成'
  }
}

export const DisplayNameSchema = z
  .string({ error: '请填写姓名' })
  .trim()
  .min(1, '请填写姓名')
  .max(30, '姓名不超过30字')

// ------------------------------------------------------------------------------- actions

export const InvitesCreateInput = z
  .object({
    role: z.enum(INVITE_ROLES),
    /**
     * The village the new user belongs to. A village officer may leave it out (own village) and may
     * name no other; a township officer must give it for a village officer invite, and may leave it
     * out of a helper invite (a township-wide helper, e.g. a volunteer).
     */
    villageId: IdSchema.optional(),
    /** helpers only: the organisation they come from; when set, the person joining cannot change it */
    helperOrgType: z.enum(HELPER_ORG_TYPES).optional(),
    maxUses: z
      .number()
      .int()
      .min(1, '至少可使用1次')
      .max(INVITE_MAX_USES, `最多可使用${INVITE_MAX_USES}次`)
      .default(1),
    expiresInDays: z
      .number()
      .int()
      .min(1, '有效期至少1天')
      .max(INVITE_MAX_DAYS, `有效期最长${INVITE_MAX_DAYS}天`)
      .default(7),
  })
  .strict()

export const InviteViewSchema = z.object({
  id: z.string(),
  role: z.enum(INVITE_ROLES),
  roleLabel: z.string(),
  villageId: z.string().nullable(),
  villageName: z.string().nullable(),
  helperOrgType: z.enum(HELPER_ORG_TYPES).nullable(),
  maxUses: z.number().int(),
  uses: z.number().int(),
  expiresAt: InstantSchema,
  revokedAt: InstantSchema.nullable(),
  status: z.enum(INVITE_STATUSES),
  createdAt: InstantSchema,
  createdBy: z.string(),
  /** the QR code's scene */
  scene: z.string(),
  /** `pages/join/index?scene=…`: opens the join page (h5: `#/` + path) */
  path: z.string(),
  /** a temporary link to the QR code image (PNG, about 2 hours); null if the image is unavailable */
  qrUrl: z.string().nullable(),
})
export type InviteView = z.infer<typeof InviteViewSchema>

export const InvitesCreateOutput = z.object({ invite: InviteViewSchema })

export const InvitesListInput = z
  .object({
    /** `active`: only invites that can still be used (default); `all`: every invite, newest first */
    status: z.enum(['active', 'all']).default('active'),
    villageId: IdSchema.optional(),
    limit: z.number().int().min(1).max(50).default(20),
  })
  .strict()
export const InvitesListOutput = z.object({ invites: z.array(InviteViewSchema) })

export const InvitesRevokeInput = z.object({ id: IdSchema }).strict()
export const InvitesRevokeOutput = z.object({ invite: InviteViewSchema })

/** What the join page shows before the person fills in the form: no personal data. */
export const InvitesPeekInput = z.object({ scene: SceneSchema }).strict()
export const InvitesPeekOutput = z.object({
  role: z.enum(INVITE_ROLES),
  roleLabel: z.string(),
  townshipName: z.string(),
  villageName: z.string().nullable(),
  /** helpers: the organisation type fixed by the invite, if any */
  helperOrgType: z.enum(HELPER_ORG_TYPES).nullable(),
  status: z.enum(INVITE_STATUSES),
  /** why it cannot be used (null when `status` is `active`) */
  refusal: z.string().nullable(),
  expiresAt: InstantSchema,
  /** the caller's WeChat user is already registered (joining again would answer CONFLICT) */
  alreadyRegistered: z.boolean(),
})

export const InvitesJoinInput = z
  .object({
    scene: SceneSchema,
    displayName: DisplayNameSchema,
    phone: MobilePhoneSchema,
    /** helpers: the organisation they come from, when the invite does not fix it */
    helperOrgType: z.enum(HELPER_ORG_TYPES).optional(),
  })
  .strict()

/** The new user, as `session.me` will show it from now on. */
export const InvitesJoinOutput = z.object({
  user: z.object({
    id: z.string(),
    role: z.enum(INVITE_ROLES),
    displayName: z.string(),
    townshipId: z.string(),
    villageId: z.string().nullable(),
    helperOrgType: z.enum(HELPER_ORG_TYPES).nullable(),
  }),
})

export function roleLabel(role: InviteRole): string {
  return ROLE_LABELS[role]
}

export const INVITE_ACTIONS = {
  'invites.create': { input: InvitesCreateInput, output: InvitesCreateOutput },
  'invites.list': { input: InvitesListInput, output: InvitesListOutput },
  'invites.revoke': { input: InvitesRevokeInput, output: InvitesRevokeOutput },
  'invites.peek': { input: InvitesPeekInput, output: InvitesPeekOutput },
  'invites.join': { input: InvitesJoinInput, output: InvitesJoinOutput },
} as const satisfies ActionSpecs
