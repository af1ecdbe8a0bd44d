// Contract and rules of guardian confirmations (监护人确认) and the household QR check-in (一户一码).
import * as z from 'zod'
import type { ActionSpecs } from './action-spec'
import { DUTIES } from './cadence'
import { CONTACT_MODES } from './domain'
import { SceneSchema } from './invites'
import { IdSchema } from './org'
import { InstantSchema } from './time'

/** The confirm page, in the independent subpackage `confirm` (no leading slash; `?scene=` follows). */
export const CONFIRM_PAGE = 'confirm/index'
/** The page a household code opens: the helper's check-in, which leads on to the home-visit form. */
export const CHECKIN_PAGE = 'pages/checkin/index'

export const CONFIRMATION_ANSWERS = ['confirmed', 'disputed'] as const
export type ConfirmationAnswer = (typeof CONFIRMATION_ANSWERS)[number]
export const CONFIRMATION_ANSWER_LABELS: Record<ConfirmationAnswer, string> = {
  confirmed: '属实',
  disputed: '有异议',
}

/** A token may be answered for this long after it is made. */
export const CONFIRMATION_TTL_DAYS = 7
/** Wrong phone checks a token allows; after that it refuses every check (a bound guardian may still answer). */
export const MAX_CHECK_ATTEMPTS = 5
export const COMMENT_MAX = 200

// ------------------------------------------------------------------------------- the workflow

/** A token's state as stored: `open` until a guardian answers, then `answered` for good. */
export type ConfirmationState = 'open' | 'answered'

export type ConfirmationToken = {
  state: ConfirmationState
  failedChecks: number
  expiresAt: Date
}

export type ConfirmationEvent = 'check_failed' | 'check_passed' | 'answer'

export type ConfirmationRefusal = 'expired' | 'answered' | 'locked'

export type TransitionResult =
  | { ok: true; next: Pick<ConfirmationToken, 'state' | 'failedChecks'> }
  | { ok: false; refusal: ConfirmationRefusal }

/**
 * The one place the workflow's moves are decided: an answered token accepts nothing; an expired one
 * nothing; a locked one (too many wrong checks) no further check, but a guardian bound before may answer.
 */
export function transition(
  token: ConfirmationToken,
  event: ConfirmationEvent,
  now: Date,
): TransitionResult {
  if (token.state === 'answered') return { ok: false, refusal: 'answered' }
  if (now.getTime() >= token.expiresAt.getTime()) return { ok: false, refusal: 'expired' }
  switch (event) {
    case 'check_failed':
    case 'check_passed':
      if (token.failedChecks >= MAX_CHECK_ATTEMPTS) return { ok: false, refusal: 'locked' }
      return {
        ok: true,
        next: {
          state: 'open',
          failedChecks: token.failedChecks + (event === 'check_failed' ? 1 : 0),
        },
      }
    case 'answer':
      return { ok: true, next: { state: 'answered', failedChecks: token.failedChecks } }
  }
}

export function checksLeft(token: Pick<ConfirmationToken, 'failedChecks'>): number {
  return Math.max(0, MAX_CHECK_ATTEMPTS - token.failedChecks)
}

export const REFUSAL_MESSAGES: Record<ConfirmationRefusal, string> = {
  expired: '这个确认码已过期，请让帮扶人重新生成',
  answered: '这条记录已经确认过了，无需再次确认',
  locked: '核对错误次数过多，这个确认码已锁定，请联系帮扶人',
}

/** Whether the last 4 digits a guardian typed match a phone on file (digits only compared). */
export function phoneEndsWith(phone: string, last4: string): boolean {
  const digits = phone.replace(/\D/g, '')
  return digits.length >= 4 && digits.slice(-4) === last4
}

// ------------------------------------------------------------------------------- confirmations.*

export const ConfirmationTokenViewSchema = z.object({
  id: z.string(),
  logId: z.string(),
  scene: z.string(),
  /** `confirm/index?scene=…`: for a share card (`onShareAppMessage` path) or `navigateTo` */
  path: z.string(),
  /** a temporary link to the QR code image (PNG, about 2 hours); null if the image is unavailable */
  qrUrl: z.string().nullable(),
  expiresAt: InstantSchema,
  state: z.enum(['open', 'answered']),
})
export type ConfirmationTokenView = z.infer<typeof ConfirmationTokenViewSchema>

export const ConfirmationsCreateInput = z.object({ logId: IdSchema }).strict()
export const ConfirmationsCreateOutput = z.object({ confirmation: ConfirmationTokenViewSchema })

/** What a bound guardian is asked to confirm: "<helper> <date> <kind> for <child's given name>". */
export const ConfirmationVisitSchema = z.object({
  helperName: z.string(),
  /** China date `YYYY-MM-DD` of the contact */
  date: z.string(),
  duty: z.enum(DUTIES),
  dutyLabel: z.string(),
  mode: z.enum(CONTACT_MODES),
  modeLabel: z.string(),
  childGivenName: z.string(),
})
export type ConfirmationVisit = z.infer<typeof ConfirmationVisitSchema>

export const ConfirmationsViewInput = z.object({ scene: SceneSchema }).strict()

export const ConfirmationsViewOutput = z.discriminatedUnion('status', [
  /** the caller is not (yet) a guardian of the child: nothing about the log is shown */
  z.object({ status: z.literal('check_needed'), checksLeft: z.number().int() }),
  z.object({ status: z.literal('open'), visit: ConfirmationVisitSchema }),
  z.object({
    status: z.literal('answered'),
    visit: ConfirmationVisitSchema,
    answer: z.enum(CONFIRMATION_ANSWERS),
    answeredAt: InstantSchema,
  }),
])
export type ConfirmationsViewOutput = z.infer<typeof ConfirmationsViewOutput>

export const ConfirmationsBindInput = z
  .object({
    scene: SceneSchema,
    phoneLast4: z
      .string({ error: '请输入手机号后四位' })
      .trim()
      .regex(/^\d{4}$/, '请输入手机号码的后四位数字'),
  })
  .strict()
/** After a good check: the same answer as `confirmations.view` for a bound guardian. */
export const ConfirmationsBindOutput = ConfirmationsViewOutput

export const ConfirmationsAnswerInput = z
  .object({
    scene: SceneSchema,
    answer: z.enum(CONFIRMATION_ANSWERS),
    comment: z.string().trim().max(COMMENT_MAX, `不超过${COMMENT_MAX}字`).default(''),
  })
  .strict()
export const ConfirmationsAnswerOutput = z.object({
  answer: z.enum(CONFIRMATION_ANSWERS),
  at: InstantSchema,
  visit: ConfirmationVisitSchema,
})

// ------------------------------------------------------------------------------- checkins.*

export const CheckinsHouseholdInput = z
  .object({
    childId: IdSchema,
    /** true: replace the household's code (the old printed one stops working) */
    regenerate: z.boolean().default(false),
  })
  .strict()
export const HouseholdCodeViewSchema = z.object({
  childId: z.string(),
  childName: z.string(),
  villageName: z.string(),
  scene: z.string(),
  /** `pages/checkin/index?scene=…` */
  path: z.string(),
  qrUrl: z.string().nullable(),
  createdAt: InstantSchema,
})
export type HouseholdCodeView = z.infer<typeof HouseholdCodeViewSchema>
export const CheckinsHouseholdOutput = z.object({ code: HouseholdCodeViewSchema })

export const CheckinsScanInput = z.object({ scene: SceneSchema }).strict()
/** The check-in, for the home-visit form: pass `checkinId` to `contacts.log` (duty `home_visit`). */
export const CheckinsScanOutput = z.object({
  checkinId: z.string(),
  childId: z.string(),
  childName: z.string(),
  at: InstantSchema,
})

export const CONFIRMATION_ACTIONS = {
  'confirmations.create': { input: ConfirmationsCreateInput, output: ConfirmationsCreateOutput },
  'confirmations.view': { input: ConfirmationsViewInput, output: ConfirmationsViewOutput },
  'confirmations.bind': { input: ConfirmationsBindInput, output: ConfirmationsBindOutput },
  'confirmations.answer': { input: ConfirmationsAnswerInput, output: ConfirmationsAnswerOutput },
  'checkins.household': { input: CheckinsHouseholdInput, output: CheckinsHouseholdOutput },
  'checkins.scan': { input: CheckinsScanInput, output: CheckinsScanOutput },
} as const satisfies ActionSpecs
