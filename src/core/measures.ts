// Measures (帮扶措施): the contract, the workflow (a state table and one transition function) and a child's plan.
//
// "缺什么帮什么": a measure answers one of the child's needs (`needs` uses the measure kinds), so its
// kind must be one of them. Each need has at most one live measure (planned, in progress or done); a
// stopped measure frees the need for a new one. A child with one need therefore has one measure; a
// child with several needs has one measure per need, and together they are the child's combined plan
// (因户施策). A need with no live measure is unmet and shows on the child's page and the dashboard.
import * as z from 'zod'
import type { ActionSpecs } from './action-spec'
import { MEASURE_KINDS, type MeasureKind } from './domain'
import { IdSchema } from './org'
import { InstantSchema } from './time'

export const MEASURE_STATUSES = ['planned', 'in_progress', 'done', 'stopped'] as const
export type MeasureStatus = (typeof MEASURE_STATUSES)[number]
export const MEASURE_STATUS_LABELS: Record<MeasureStatus, string> = {
  planned: '计划中',
  in_progress: '实施中',
  done: '已完成',
  stopped: '已终止',
}

/** Who provides the measure. */
export const PROVIDER_TYPES = ['helper', 'department', 'social_org', 'donor'] as const
export type ProviderType = (typeof PROVIDER_TYPES)[number]
export const PROVIDER_TYPE_LABELS: Record<ProviderType, string> = {
  helper: '帮扶人',
  department: '职能部门',
  social_org: '社会组织',
  donor: '爱心捐助方',
}

export const MEASURE_EVENTS = ['start', 'complete', 'stop'] as const
export type MeasureEvent = (typeof MEASURE_EVENTS)[number]
export const MEASURE_EVENT_LABELS: Record<MeasureEvent, string> = {
  start: '开始实施',
  complete: '完成',
  stop: '终止',
}

/** The workflow: planned → in_progress → done, or stopped from planned or in_progress. */
export const MEASURE_TRANSITIONS: Readonly<
  Record<MeasureStatus, Partial<Record<MeasureEvent, MeasureStatus>>>
> = {
  planned: { start: 'in_progress', stop: 'stopped' },
  in_progress: { complete: 'done', stop: 'stopped' },
  done: {},
  stopped: {},
}

/** Live measures answer a need; a stopped one does not. */
export const LIVE_MEASURE_STATUSES: readonly MeasureStatus[] = ['planned', 'in_progress', 'done']

export type MeasureTransitionResult =
  | { ok: true; to: MeasureStatus }
  | { ok: false; reason: 'not_allowed' | 'outcome_required'; message: string }

/** The one transition function: done and stopped need an outcome (what came of it, or why it stopped). Pure. */
export function transitionMeasure(
  from: MeasureStatus,
  event: MeasureEvent,
  outcome: string,
): MeasureTransitionResult {
  const to = MEASURE_TRANSITIONS[from][event]
  if (!to) {
    return {
      ok: false,
      reason: 'not_allowed',
      message: `措施当前为“${MEASURE_STATUS_LABELS[from]}”，不能${MEASURE_EVENT_LABELS[event]}`,
    }
  }
  if ((to === 'done' || to === 'stopped') && outcome.trim() === '') {
    return {
      ok: false,
      reason: 'outcome_required',
      message: to === 'done' ? '请填写帮扶成效' : '请填写终止原因',
    }
  }
  return { ok: true, to }
}

/** The key a unique index holds: one live measure per child and need. */
export function liveKey(childId: string, kind: MeasureKind): string {
  return `${childId}:${kind}`
}

/** The child's needs that no live measure answers, in the programme's order. Pure. */
export function unmetNeeds(
  needs: readonly MeasureKind[],
  measures: ReadonlyArray<{ kind: MeasureKind; status: MeasureStatus }>,
): MeasureKind[] {
  const covered = new Set(
    measures.filter((m) => LIVE_MEASURE_STATUSES.includes(m.status)).map((m) => m.kind),
  )
  return MEASURE_KINDS.filter((k) => needs.includes(k) && !covered.has(k))
}

/** `none`: no need recorded; `single`: one need, one measure; `combined`: several needs, one plan. */
export type PlanKind = 'none' | 'single' | 'combined'
export function planKind(needs: readonly MeasureKind[]): PlanKind {
  return needs.length === 0 ? 'none' : needs.length === 1 ? 'single' : 'combined'
}

// ------------------------------------------------------------------------------- contract

export const WHAT_MAX = 200
export const OUTCOME_MAX = 500

export const ProviderSchema = z
  .object({
    type: z.enum(PROVIDER_TYPES),
    /** the person, department, organisation or donor */
    name: z.string().trim().min(1, '请填写提供方名称').max(50, '不超过50字'),
  })
  .strict()

export const MeasureViewSchema = z
  .object({
    id: z.string(),
    childId: z.string(),
    villageId: z.string(),
    kind: z.enum(MEASURE_KINDS),
    what: z.string(),
    provider: ProviderSchema,
    status: z.enum(MEASURE_STATUSES),
    outcome: z.string(),
    history: z.array(
      z.object({
        event: z.enum(['create', 'edit', ...MEASURE_EVENTS]),
        to: z.enum(MEASURE_STATUSES),
        at: InstantSchema,
        by: z.string(),
      }),
    ),
    createdAt: InstantSchema,
    createdBy: z.string(),
    updatedAt: InstantSchema,
    version: z.number().int(),
  })
  .strict()
export type MeasureView = z.infer<typeof MeasureViewSchema>

export const ChildPlanSchema = z.object({
  childId: z.string(),
  kind: z.enum(['none', 'single', 'combined']),
  needs: z.array(z.enum(MEASURE_KINDS)),
  /** needs without a live measure (缺什么帮什么) */
  unmetNeeds: z.array(z.enum(MEASURE_KINDS)),
  /** every measure of the child, live first, then by creation */
  measures: z.array(MeasureViewSchema),
})
export type ChildPlan = z.infer<typeof ChildPlanSchema>

export const MeasuresCreateInput = z
  .object({
    childId: IdSchema,
    kind: z.enum(MEASURE_KINDS),
    what: z.string().trim().min(1, '请填写帮扶内容').max(WHAT_MAX, `不超过${WHAT_MAX}字`),
    provider: ProviderSchema,
  })
  .strict()
export const MeasuresCreateOutput = z.object({ measure: MeasureViewSchema, plan: ChildPlanSchema })

export const MeasuresUpdateInput = z
  .object({
    id: IdSchema,
    version: z.number().int().min(1),
    /** move the workflow; omit to edit only */
    event: z.enum(MEASURE_EVENTS).optional(),
    what: z.string().trim().min(1).max(WHAT_MAX, `不超过${WHAT_MAX}字`).optional(),
    provider: ProviderSchema.optional(),
    outcome: z.string().trim().max(OUTCOME_MAX, `不超过${OUTCOME_MAX}字`).optional(),
  })
  .strict()
export const MeasuresUpdateOutput = z.object({ measure: MeasureViewSchema, plan: ChildPlanSchema })

export const MeasuresListInput = z.object({ childId: IdSchema }).strict()
export const MeasuresListOutput = z.object({ plan: ChildPlanSchema })

export const MEASURE_ACTIONS = {
  'measures.create': { input: MeasuresCreateInput, output: MeasuresCreateOutput },
  'measures.update': { input: MeasuresUpdateInput, output: MeasuresUpdateOutput },
  'measures.list': { input: MeasuresListInput, output: MeasuresListOutput },
} as const satisfies ActionSpecs
