// Contract and rules of contact logs (联系/走访记录): what a helper records, what may be corrected, and who sees what.
import * as z from 'zod'
import type { ActionSpecs } from './action-spec'
import { DUTIES, type Duty } from './cadence'
import { CONTACT_MODES, type ContactMode } from './domain'
import { CursorSchema } from './duties'
import type { FieldIssue } from './envelope'
import { IdSchema } from './org'
import { ContactsPhotosInput, ContactsPhotosOutput, PhotosInputSchema } from './photos'
import { chinaDate, InstantSchema } from './time'

/** What the helper learned (了解到的情况): each optional, at least one filled. */
export const LEARNED_FIELDS = ['dailyLife', 'study', 'health', 'mood'] as const
export type LearnedField = (typeof LEARNED_FIELDS)[number]
export const LEARNED_FIELD_LABELS: Record<LearnedField, string> = {
  dailyLife: '日常生活',
  study: '学习情况',
  health: '身体状况',
  mood: '情绪心理',
}

export const LEARNED_MAX = 200
export const NOTE_MAX = 500
/** A log may be corrected by its author for this long after it was created; never deleted. */
export const CORRECTION_WINDOW_DAYS = 7

const LearnedText = z.string().trim().max(LEARNED_MAX, `请简要填写，不超过${LEARNED_MAX}字`)
const NoteText = z.string().trim().max(NOTE_MAX, `不超过${NOTE_MAX}字`)

export const LearnedInputSchema = z
  .object({
    dailyLife: LearnedText.optional(),
    study: LearnedText.optional(),
    health: LearnedText.optional(),
    mood: LearnedText.optional(),
  })
  .strict()

/** As stored and shown: every field present, '' when not filled. */
export const LearnedSchema = z.object({
  dailyLife: z.string(),
  study: z.string(),
  health: z.string(),
  mood: z.string(),
})
export type Learned = z.infer<typeof LearnedSchema>

/** The parts of a log its author writes (and may correct). */
export type ContactContent = {
  duty: Duty
  occurredAt: Date
  mode: ContactMode
  learned: Learned
  problems: string
  actions: string
}

export function fillLearned(input: Partial<Record<LearnedField, string | undefined>>): Learned {
  return {
    dailyLife: input.dailyLife ?? '',
    study: input.study ?? '',
    health: input.health ?? '',
    mood: input.mood ?? '',
  }
}

/** Rules on a log's content that need no clock: something learned, and a home visit made in person. */
export function contentIssues(c: Pick<ContactContent, 'duty' | 'mode' | 'learned'>): FieldIssue[] {
  const issues: FieldIssue[] = []
  if (LEARNED_FIELDS.every((f) => c.learned[f].trim() === '')) {
    issues.push({ path: 'learned', message: '请至少填写一项了解到的情况' })
  }
  if (c.duty === 'home_visit' && c.mode !== 'in_person') {
    issues.push({ path: 'mode', message: '上门走访应选择“当面”' })
  }
  return issues
}

/**
 * When a contact may have happened: not in the future, and within the pairing it is logged under
 * (not before it began; for a correction after the pairing ended, not after it ended).
 */
export function occurredAtIssue(
  occurredAt: Date,
  pairing: { start: Date; end: Date | null },
  now: Date,
): string | null {
  if (occurredAt.getTime() > now.getTime()) return '联系时间不能晚于现在'
  if (occurredAt.getTime() < pairing.start.getTime()) {
    return `联系时间不能早于结对开始日期（${chinaDate(pairing.start)}）`
  }
  if (pairing.end && occurredAt.getTime() >= pairing.end.getTime()) {
    return `联系时间不能晚于结对结束日期（${chinaDate(pairing.end)}）`
  }
  return null
}

export function correctableUntil(createdAt: Date): Date {
  return new Date(createdAt.getTime() + CORRECTION_WINDOW_DAYS * 86_400_000)
}

/** The author may correct a log up to exactly 7 × 24 hours after creating it. */
export function canCorrect(createdAt: Date, now: Date): boolean {
  return now.getTime() <= correctableUntil(createdAt).getTime()
}

export const ContactsLogInput = z
  .object({
    childId: IdSchema,
    duty: z.enum(DUTIES),
    /** ISO 8601 with an offset, e.g. 2026-03-10T15:30:00+08:00 */
    occurredAt: InstantSchema,
    mode: z.enum(CONTACT_MODES),
    learned: LearnedInputSchema,
    problems: NoteText.default(''),
    actions: NoteText.default(''),
    /** a home visit begun by scanning the household code (`checkins.scan`): its time is kept as evidence */
    checkinId: IdSchema.optional(),
    /** photos the helper uploaded (cloud file ids under contact-photos/<their openid>/), at most 4 */
    photos: PhotosInputSchema.default([]),
  })
  .strict()
  .superRefine((v, ctx) => {
    for (const i of contentIssues({
      duty: v.duty,
      mode: v.mode,
      learned: fillLearned(v.learned),
    })) {
      ctx.addIssue({ code: 'custom', path: [i.path], message: i.message })
    }
    if (v.checkinId !== undefined && v.duty !== 'home_visit') {
      ctx.addIssue({ code: 'custom', path: ['checkinId'], message: '扫码签到只能用于上门走访' })
    }
  })

export const ContactChangesSchema = z
  .object({
    duty: z.enum(DUTIES).optional(),
    occurredAt: InstantSchema.optional(),
    mode: z.enum(CONTACT_MODES).optional(),
    /** the given fields replace the stored ones; '' clears one */
    learned: LearnedInputSchema.optional(),
    problems: NoteText.optional(),
    actions: NoteText.optional(),
  })
  .strict()
  .refine((c) => Object.values(c).some((v) => v !== undefined), '请填写要修改的内容')
export type ContactChanges = z.output<typeof ContactChangesSchema>

export const ContactsCorrectInput = z
  .object({ logId: IdSchema, changes: ContactChangesSchema })
  .strict()

/** One corrected field: `learned.mood`, `occurredAt` (ISO instants), … with its old and new value. */
export const FieldChangeSchema = z.object({ field: z.string(), from: z.string(), to: z.string() })
export type FieldChange = z.infer<typeof FieldChangeSchema>

export const CorrectionSchema = z.object({ at: InstantSchema, changes: z.array(FieldChangeSchema) })
export type Correction = z.infer<typeof CorrectionSchema>

/** The corrected content and the list of fields that really changed (unchanged values are dropped). */
export function applyCorrection(
  current: ContactContent,
  changes: ContactChanges,
): { next: ContactContent; diff: FieldChange[] } {
  const next: ContactContent = {
    duty: changes.duty ?? current.duty,
    occurredAt: changes.occurredAt ?? current.occurredAt,
    mode: changes.mode ?? current.mode,
    learned: { ...current.learned },
    problems: changes.problems ?? current.problems,
    actions: changes.actions ?? current.actions,
  }
  for (const f of LEARNED_FIELDS) {
    const v = changes.learned?.[f]
    if (v !== undefined) next.learned[f] = v
  }
  const diff: FieldChange[] = []
  const note = (field: string, from: string, to: string) => {
    if (from !== to) diff.push({ field, from, to })
  }
  note('duty', current.duty, next.duty)
  note('occurredAt', current.occurredAt.toISOString(), next.occurredAt.toISOString())
  note('mode', current.mode, next.mode)
  for (const f of LEARNED_FIELDS) note(`learned.${f}`, current.learned[f], next.learned[f])
  note('problems', current.problems, next.problems)
  note('actions', current.actions, next.actions)
  return { next, diff }
}

/** A guardian's answer to a log (filled by the confirmation feature; null until then). */
export const ConfirmationViewSchema = z.object({
  answer: z.enum(['confirmed', 'disputed']),
  at: InstantSchema,
  /** the guardian's comment ('' when none), e.g. what they dispute */
  comment: z.string(),
})

/** A log as its author, the child's current helper and officers see it. */
export const ContactLogViewSchema = z.object({
  id: z.string(),
  childId: z.string(),
  pairingId: z.string(),
  helperId: z.string(),
  helperName: z.string(),
  duty: z.enum(DUTIES),
  occurredAt: InstantSchema,
  mode: z.enum(CONTACT_MODES),
  learned: LearnedSchema,
  problems: z.string(),
  actions: z.string(),
  createdAt: InstantSchema,
  /** the author may correct it until then */
  correctableUntil: InstantSchema,
  corrections: z.array(CorrectionSchema),
  confirmation: ConfirmationViewSchema.nullable(),
  /** the household-code check-in the home visit began with (evidence of presence), if any */
  checkin: z.object({ id: z.string(), at: InstantSchema }).nullable(),
  /** how many photos the log carries; `contacts.photos` gives temporary links to them */
  photoCount: z.number().int().min(0),
})
export type ContactLogView = z.infer<typeof ContactLogViewSchema>

/** A log as the child's guardian sees it: only the facts that concern them, to confirm or dispute. */
export const GuardianContactLogViewSchema = z.object({
  id: z.string(),
  duty: z.enum(DUTIES),
  occurredAt: InstantSchema,
  mode: z.enum(CONTACT_MODES),
  helperName: z.string(),
  confirmation: ConfirmationViewSchema.nullable(),
})
export type GuardianContactLogView = z.infer<typeof GuardianContactLogViewSchema>

export const ContactsLogOutput = z.object({ log: ContactLogViewSchema })
export const ContactsCorrectOutput = z.object({ log: ContactLogViewSchema })

export const CONTACTS_LIST_MAX = 100

export const ContactsListInput = z
  .object({
    childId: IdSchema,
    limit: z.number().int().min(1).max(CONTACTS_LIST_MAX).default(20),
    cursor: CursorSchema.optional(),
  })
  .strict()

export const ContactsListOutput = z.discriminatedUnion('view', [
  z.object({
    view: z.literal('full'),
    childId: z.string(),
    logs: z.array(ContactLogViewSchema),
    nextCursor: z.string().nullable(),
  }),
  z.object({
    view: z.literal('guardian'),
    childId: z.string(),
    logs: z.array(GuardianContactLogViewSchema),
    nextCursor: z.string().nullable(),
  }),
])

export const CONTACT_ACTIONS = {
  'contacts.log': { input: ContactsLogInput, output: ContactsLogOutput },
  'contacts.correct': { input: ContactsCorrectInput, output: ContactsCorrectOutput },
  'contacts.list': { input: ContactsListInput, output: ContactsListOutput },
  'contacts.photos': { input: ContactsPhotosInput, output: ContactsPhotosOutput },
} as const satisfies ActionSpecs
