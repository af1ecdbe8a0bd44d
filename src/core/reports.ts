// Urgent reports (强制报告): the contract, the workflow (a state table and one transition function) and escalation.
import * as z from 'zod'
import type { ActionSpecs } from './action-spec'
import { CursorSchema } from './duties'
import { IdSchema } from './org'
import { ROLES } from './roles'
import { InstantSchema } from './time'

/** The harms the programme names for mandatory reporting. */
export const REPORT_KINDS = [
  'left_alone_or_missing',
  'guardian_unable',
  'suspected_abuse',
  'injury',
  'dropout',
  'other',
] as const
export type ReportKind = (typeof REPORT_KINDS)[number]
export const REPORT_KIND_LABELS: Record<ReportKind, string> = {
  left_alone_or_missing: '无人照料或走失',
  guardian_unable: '监护人无力监护或不尽责',
  suspected_abuse: '疑似遭受暴力或虐待',
  injury: '受伤',
  dropout: '辍学',
  other: '其他',
}

export const REPORT_STATUSES = ['reported', 'received', 'handling', 'closed'] as const
export type ReportStatus = (typeof REPORT_STATUSES)[number]
export const REPORT_STATUS_LABELS: Record<ReportStatus, string> = {
  reported: '已报告',
  received: '已接收',
  handling: '处置中',
  closed: '已办结',
}

/** What was done while handling a report (应急处置 / 监护干预). */
export const HANDLING_ACTIONS = [
  'police_informed',
  'guardianship_intervention',
  'medical',
  'other',
] as const
export type HandlingAction = (typeof HANDLING_ACTIONS)[number]
export const HANDLING_ACTION_LABELS: Record<HandlingAction, string> = {
  police_informed: '已报警',
  guardianship_intervention: '监护干预',
  medical: '医疗救治',
  other: '其他处置',
}

/**
 * The events that move a report. `act` records further actions while handling (the status stays).
 * - receive: reported → received (an officer has seen it; stops the 24-hour escalation)
 * - handle:  received → handling, with at least one action
 * - act:     handling → handling, with at least one action
 * - close:   handling → closed, with a note on the outcome
 */
export const REPORT_EVENTS = ['receive', 'handle', 'act', 'close'] as const
export type ReportEvent = (typeof REPORT_EVENTS)[number]
export const REPORT_EVENT_LABELS: Record<ReportEvent, string> = {
  receive: '接收',
  handle: '开始处置',
  act: '追加处置',
  close: '办结',
}

/** The workflow: for each status, the events allowed and where they lead. Anything else is refused. */
export const REPORT_TRANSITIONS: Readonly<
  Record<ReportStatus, Partial<Record<ReportEvent, ReportStatus>>>
> = {
  reported: { receive: 'received' },
  received: { handle: 'handling' },
  handling: { act: 'handling', close: 'closed' },
  closed: {},
}

/** An unhandled report (still `reported`) escalates this long after it was raised. */
export const ESCALATION_HOURS = 24
const HOUR_MS = 3_600_000

export type ReportMove = {
  event: ReportEvent
  actions: readonly HandlingAction[]
  note: string
}

export type TransitionResult =
  | { ok: true; to: ReportStatus }
  | { ok: false; reason: 'not_allowed' | 'actions_required' | 'note_required'; message: string }

/** The one transition function: whether `move` is allowed from `from`, and the status it leads to. Pure. */
export function transitionReport(from: ReportStatus, move: ReportMove): TransitionResult {
  const to = REPORT_TRANSITIONS[from][move.event]
  if (!to) {
    return {
      ok: false,
      reason: 'not_allowed',
      message: `报告当前为“${REPORT_STATUS_LABELS[from]}”，不能${REPORT_EVENT_LABELS[move.event]}`,
    }
  }
  if ((move.event === 'handle' || move.event === 'act') && move.actions.length === 0) {
    return { ok: false, reason: 'actions_required', message: '请选择已采取的处置措施' }
  }
  if (move.event === 'close' && move.note.trim() === '') {
    return { ok: false, reason: 'note_required', message: '请填写办结情况' }
  }
  return { ok: true, to }
}

/** When an unhandled report escalates (creation + 24 h). */
export function escalatesAt(createdAt: Date): Date {
  return new Date(createdAt.getTime() + ESCALATION_HOURS * HOUR_MS)
}

/** Escalated now: still `reported` (nobody received it) 24 hours or more after it was raised. Pure. */
export function isEscalated(r: { status: ReportStatus; createdAt: Date }, now: Date): boolean {
  return r.status === 'reported' && now.getTime() >= escalatesAt(r.createdAt).getTime()
}

// ------------------------------------------------------------------------------- contract

export const SEEN_MAX = 500
export const NOTE_MAX = 500

const PersonSchema = z.object({ id: z.string(), name: z.string(), role: z.enum(ROLES) })

export const ReportStepSchema = z.object({
  event: z.enum(['report', ...REPORT_EVENTS]),
  from: z.enum(REPORT_STATUSES).nullable(),
  to: z.enum(REPORT_STATUSES),
  actions: z.array(z.enum(HANDLING_ACTIONS)),
  note: z.string(),
  at: InstantSchema,
  by: PersonSchema,
})
export type ReportStep = z.infer<typeof ReportStepSchema>

export const ReportPushSchema = z.object({
  /** false: the push failed or is not available; officers see the report on their home page */
  pushed: z.boolean(),
  delivered: z.number().int(),
  /** user ids of officers who could not be reached (no quota or a send error): flagged red on their home page */
  undeliverable: z.array(z.string()),
  error: z.string().nullable(),
})

export const UrgentReportViewSchema = z
  .object({
    id: z.string(),
    childId: z.string(),
    childName: z.string(),
    villageId: z.string(),
    villageName: z.string(),
    kind: z.enum(REPORT_KINDS),
    seen: z.string(),
    occurredAt: InstantSchema,
    status: z.enum(REPORT_STATUSES),
    reportedBy: PersonSchema,
    createdAt: InstantSchema,
    receivedAt: InstantSchema.nullable(),
    closedAt: InstantSchema.nullable(),
    /** every action recorded while handling, in order, once each */
    actions: z.array(z.enum(HANDLING_ACTIONS)),
    outcome: z.string(),
    steps: z.array(ReportStepSchema),
    escalated: z.boolean(),
    escalatesAt: InstantSchema,
    push: ReportPushSchema,
    version: z.number().int(),
  })
  .strict()
export type UrgentReportView = z.infer<typeof UrgentReportViewSchema>

export const ReportsCreateInput = z
  .object({
    childId: IdSchema,
    kind: z.enum(REPORT_KINDS),
    /** what was seen (看到的情况) */
    seen: z.string().trim().min(1, '请简要描述看到的情况').max(SEEN_MAX, `不超过${SEEN_MAX}字`),
    /** when it was seen; ISO 8601 with an offset; not in the future */
    occurredAt: InstantSchema,
  })
  .strict()
export const ReportsCreateOutput = z.object({ report: UrgentReportViewSchema })

export const REPORTS_LIST_MAX = 100
export const ReportsListInput = z
  .object({
    status: z.enum(REPORT_STATUSES).optional(),
    /** open = not closed */
    open: z.boolean().optional(),
    escalated: z.boolean().optional(),
    villageId: IdSchema.optional(),
    childId: IdSchema.optional(),
    limit: z.number().int().min(1).max(REPORTS_LIST_MAX).default(20),
    cursor: CursorSchema.optional(),
  })
  .strict()
export type ReportsListQuery = z.output<typeof ReportsListInput>
export const ReportsListOutput = z.object({
  items: z.array(UrgentReportViewSchema),
  nextCursor: z.string().nullable(),
  asOf: InstantSchema,
})

export const ReportsGetInput = z.object({ id: IdSchema }).strict()
export const ReportsGetOutput = z.object({ report: UrgentReportViewSchema })

export const ReportsTransitionInput = z
  .object({
    id: IdSchema,
    /** the version the officer read; a report moved since answers CONFLICT */
    version: z.number().int().min(1),
    event: z.enum(REPORT_EVENTS),
    actions: z.array(z.enum(HANDLING_ACTIONS)).max(HANDLING_ACTIONS.length).default([]),
    note: z.string().trim().max(NOTE_MAX, `不超过${NOTE_MAX}字`).default(''),
  })
  .strict()
export const ReportsTransitionOutput = z.object({ report: UrgentReportViewSchema })

export const REPORT_ACTIONS = {
  'reports.create': { input: ReportsCreateInput, output: ReportsCreateOutput },
  'reports.list': { input: ReportsListInput, output: ReportsListOutput },
  'reports.get': { input: ReportsGetInput, output: ReportsGetOutput },
  'reports.transition': { input: ReportsTransitionInput, output: ReportsTransitionOutput },
} as const satisfies ActionSpecs
