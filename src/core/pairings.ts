// Contract and rules of pairing (结对): one child, one helper at a time, hand-over keeping who helped when.
import * as z from 'zod'
import type { ActionSpecs } from './action-spec'
import { IdSchema } from './org'
import { chinaDate, fromChinaDate, InstantSchema } from './time'

/** Why an officer ends a pairing without a successor; `handover` is set by the system on re-pairing. */
export const PAIRING_END_REASONS = ['helper_unavailable', 'child_left', 'other'] as const
export type PairingEndReason = (typeof PAIRING_END_REASONS)[number]
export const ENDED_REASONS = [...PAIRING_END_REASONS, 'handover'] as const
export type EndedReason = (typeof ENDED_REASONS)[number]
export const ENDED_REASON_LABELS: Record<EndedReason, string> = {
  helper_unavailable: '帮扶人无法继续帮扶',
  child_left: '儿童离开本地或不再需要帮扶',
  other: '其他',
  handover: '更换帮扶人',
}

/** A calendar day in China, 'YYYY-MM-DD', that exists ('2026-02-30' is refused). */
export const ChinaDateSchema = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, '日期格式应为YYYY-MM-DD')
  .refine((s) => chinaDate(fromChinaDate(s)) === s, '日期不存在')

export const PairingViewSchema = z.object({
  id: z.string(),
  childId: z.string(),
  helperId: z.string(),
  helperName: z.string(),
  villageId: z.string(),
  /** China midnight of the start day */
  start: InstantSchema,
  /** exclusive: the first instant the helper no longer helps (a hand-over's end is the successor's start) */
  end: InstantSchema.nullable(),
  startDate: z.string(),
  endDate: z.string().nullable(),
  active: z.boolean(),
  endReason: z.enum(ENDED_REASONS).nullable(),
  endNote: z.string().nullable(),
})
export type PairingView = z.infer<typeof PairingViewSchema>

export const PairingsAssignInput = z
  .object({
    childId: IdSchema,
    helperId: IdSchema,
    /** the day the pairing began (default today, China time); not in the future */
    startDate: ChinaDateSchema.optional(),
  })
  .strict()
export const PairingsAssignOutput = z.object({
  pairing: PairingViewSchema,
  /** the pairing this one took over from (ended with reason `handover`), if any */
  ended: PairingViewSchema.nullable(),
})

export const PairingsEndInput = z
  .object({
    childId: IdSchema,
    reason: z.enum(PAIRING_END_REASONS),
    note: z.string().trim().max(200).optional(),
  })
  .strict()
export const PairingsEndOutput = z.object({ pairing: PairingViewSchema })

export const PairingsHistoryInput = z.object({ childId: IdSchema }).strict()
export const PairingsHistoryOutput = z.object({
  childId: z.string(),
  current: PairingViewSchema.nullable(),
  /** every pairing the child had, newest first */
  pairings: z.array(PairingViewSchema),
})

export const PAIRING_ACTIONS = {
  'pairings.assign': { input: PairingsAssignInput, output: PairingsAssignOutput },
  'pairings.end': { input: PairingsEndInput, output: PairingsEndOutput },
  'pairings.history': { input: PairingsHistoryInput, output: PairingsHistoryOutput },
} as const satisfies ActionSpecs

/** What the assignment rule needs of each existing pairing of the child. */
export type PairingFacts = {
  id: string
  helperId: string
  start: Date
  end: Date | null
  active: boolean
}

export type AssignmentPlan =
  | { ok: true; start: Date; handoverFrom: PairingFacts | null }
  | { ok: false; code: 'VALIDATION' | 'CONFLICT'; path: string | null; message: string }

/**
 * Whether (and how) a child may be paired with a helper from a start day: a new pairing, or a
 * hand-over ending the active one at the new start. The history stays a line: a pairing never
 * starts before the active one began, nor before a past pairing ended. On the day of that boundary
 * the new pairing starts at the boundary itself (a pairing ended at 15:00 is followed from 15:00).
 */
export function planAssignment(input: {
  pairings: readonly PairingFacts[]
  helperId: string
  startDate: string | undefined
  now: Date
}): AssignmentPlan {
  const today = chinaDate(input.now)
  const startDate = input.startDate ?? today
  if (startDate > today) {
    return { ok: false, code: 'VALIDATION', path: 'startDate', message: '开始日期不能晚于今天' }
  }
  const active = input.pairings.find((p) => p.active) ?? null
  if (active && active.helperId === input.helperId) {
    return { ok: false, code: 'CONFLICT', path: null, message: '该帮扶人已与这名儿童结对' }
  }
  let boundary: Date | null = active ? active.start : null
  if (!active) {
    for (const p of input.pairings) {
      if (p.end && (!boundary || p.end.getTime() > boundary.getTime())) boundary = p.end
    }
  }
  if (boundary && startDate < chinaDate(boundary)) {
    const what = active ? '当前结对的开始日期' : '上一次结对的结束日期'
    return {
      ok: false,
      code: 'VALIDATION',
      path: 'startDate',
      message: `开始日期不能早于${what}（${chinaDate(boundary)}）`,
    }
  }
  const midnight = fromChinaDate(startDate)
  const start = boundary && boundary.getTime() > midnight.getTime() ? boundary : midnight
  return { ok: true, start, handoverFrom: active }
}
