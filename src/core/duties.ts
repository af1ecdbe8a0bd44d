// The duty board: the stored per-child duty state (built here, purely), its status ranges, and the `duties.list` contract.
//
// Why a stored state and not the logs: the board must not scan contact logs. One document per child
// keeps what the cadence engine needs (pairing spans, archive date, the latest log of each duty) and,
// for indexed queries, each duty's due date. Statuses are computed at read time by `assessDuties`.
//
// Why the stored due dates stay right as time passes with no write: `due.<duty>` is the overdue
// date (`overdueSince`, in the past) or the end of the first owed period still needing a log
// (`nextDueAt`). With no new log, no pairing change and no archiving (each of which rewrites the
// state), that period keeps being owed and unlogged, so when the clock passes its end the duty is
// overdue, and the stored date, now in the past, says so: overdue ⟺ due <= now. Before that, the
// date is the end of the current period (open, or due soon within `dueSoonDays` of it) or of a later
// one (done this period, or not owed until the next). Nothing needs a nightly recomputation.
import * as z from 'zod'
import type { ActionSpecs } from './action-spec'
import {
  assessDuties,
  DUTIES,
  DUTY_STATUSES,
  pairingNextDueAt,
  type CadenceConfig,
  type Duty,
  type DutyLog,
  type DutyStates,
  type DutyStatus,
  type PairingSpan,
} from './cadence'
import { CATEGORIES, RISK_LEVELS, type RiskLevel } from './domain'
import { IdSchema } from './org'
import { emptyTally, type MonthTallies, type MonthTally } from './rollups'
import { chinaStartOfDay, InstantSchema, lastDayOf, periodOf } from './time'

const DAY_MS = 86_400_000

// ------------------------------------------------------------------------------- page cursors

/** Where the previous page stopped in a list ordered by (date, id): `<ISO instant>~<id>`. */
export type Cursor = { at: Date; id: string }

export function encodeCursor(c: Cursor): string {
  return `${c.at.toISOString()}~${c.id}`
}

const BAD_CURSOR = '分页标记无效，请从第一页重新加载'

export const CursorSchema = z
  .string()
  .max(200)
  .regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z~.+$/, BAD_CURSOR)
  .transform((s): Cursor => {
    const i = s.indexOf('~')
    return { at: new Date(s.slice(0, i)), id: s.slice(i + 1) }
  })
  .refine((c) => !Number.isNaN(c.at.getTime()), BAD_CURSOR)

// ------------------------------------------------------------------------------- stored state

/** What the state needs of the child record (a subset of the stored child). */
export type DutyChildFacts = {
  _id: string
  townshipId: string
  villageId: string
  name: string
  categories: readonly string[]
  riskLevel: RiskLevel
  status: 'active' | 'archived'
  archive: { at: Date } | null
}

/** What the state needs of each pairing of the child (a subset of the stored pairing). */
export type DutyPairingFacts = {
  helperId: string
  helperName: string
  start: Date
  end: Date | null
  active: boolean
}

export type PerDuty<T> = Record<Duty, T>

/** The `duty_states` document of one child (`_id` = the child's id). */
export type DutyStateRecord = {
  _id: string
  townshipId: string
  villageId: string
  /** the helper paired now, or null */
  helperId: string | null
  helperName: string | null
  /** for display on the board; never logged */
  childName: string
  categories: string[]
  riskLevel: RiskLevel
  status: 'active' | 'archived'
  /** every pairing, oldest first, as the cadence engine reads them */
  pairings: PairingSpan[]
  archivedAt: Date | null
  /** the latest log of each duty (any helper) */
  lastLog: PerDuty<Date | null>
  /** that latest log's id and the guardian's answer to it (null: no answer yet), for the board */
  latest: PerDuty<LatestLog | null>
  /** logs per China month, per duty, with the guardians' answers: what the supervision rollups count */
  months: MonthTallies
  /** per duty: overdueSince ?? nextDueAt at the time of writing (see the module comment) */
  due: PerDuty<Date | null>
  /** the earliest of `due`: what the board sorts and the reminders select by */
  nextDueAt: Date | null
  updatedAt: Date
}

/** A duty's latest log and the guardian's answer to it. */
export type LatestLog = { logId: string; answer: 'confirmed' | 'disputed' | null }

export const NO_LATEST: PerDuty<LatestLog | null> = {
  guardian_contact: null,
  companionship: null,
  home_visit: null,
}

export const NO_LOGS: PerDuty<Date | null> = {
  guardian_contact: null,
  companionship: null,
  home_visit: null,
}

/** The duty state of a child from its record, pairings and latest log per duty. Pure. */
export function buildDutyState(
  child: DutyChildFacts,
  pairings: readonly DutyPairingFacts[],
  lastLogs: PerDuty<Date | null>,
  cadence: CadenceConfig,
  now: Date,
  latest: PerDuty<LatestLog | null> = NO_LATEST,
  months: MonthTallies = {},
): DutyStateRecord {
  const current = pairings.find((p) => p.active) ?? null
  const spans = [...pairings]
    .sort((a, b) => a.start.getTime() - b.start.getTime())
    .map((p): PairingSpan => ({
      helperId: p.helperId,
      start: p.start,
      end: p.active ? null : p.end,
    }))
  const archivedAt = child.status === 'archived' ? (child.archive?.at ?? now) : null
  return {
    _id: child._id,
    townshipId: child.townshipId,
    villageId: child.villageId,
    helperId: current?.helperId ?? null,
    helperName: current?.helperName ?? null,
    childName: child.name,
    categories: [...child.categories],
    riskLevel: child.riskLevel,
    status: child.status,
    pairings: spans,
    archivedAt,
    lastLog: { ...lastLogs },
    latest: { ...latest },
    months: Object.fromEntries(Object.entries(months).map(([k, t]) => [k, { ...t }])),
    ...dueDates(spans, archivedAt, lastLogs, cadence, now),
    updatedAt: now,
  }
}

/** The state after a new log of `duty` at `occurredAt` (kept only if it is the latest). Pure. */
export function withLog(
  state: DutyStateRecord,
  duty: Duty,
  occurredAt: Date,
  cadence: CadenceConfig,
  now: Date,
  logId: string,
): DutyStateRecord {
  const prev = state.lastLog[duty]
  const isLatest = !prev || prev.getTime() < occurredAt.getTime()
  const lastLog = isLatest ? { ...state.lastLog, [duty]: occurredAt } : state.lastLog
  const latest = isLatest ? { ...state.latest, [duty]: { logId, answer: null } } : state.latest
  return {
    ...state,
    lastLog,
    latest,
    months: tallied(state.months, occurredAt, (t) => t[duty]++),
    ...dueDates(state.pairings, state.archivedAt, lastLog, cadence, now),
    updatedAt: now,
  }
}

/**
 * The state after a guardian answered a log (once per log): counted in its month, and shown on the
 * board if it is its duty's latest. Pure.
 */
export function withAnswer(
  state: DutyStateRecord,
  log: { _id: string; duty: Duty; occurredAt: Date },
  answer: 'confirmed' | 'disputed',
): DutyStateRecord {
  const months = tallied(state.months, log.occurredAt, (t) => t[answer]++)
  if (state.latest[log.duty]?.logId !== log._id) return { ...state, months }
  return { ...state, months, latest: { ...state.latest, [log.duty]: { logId: log._id, answer } } }
}

/** Month tallies with one changed: the China month of `at`, created when missing. */
function tallied(months: MonthTallies, at: Date, change: (t: MonthTally) => void): MonthTallies {
  const key = periodOf('month', at).key
  const t = { ...(months[key] ?? emptyTally()) }
  change(t)
  return { ...months, [key]: t }
}

function dueDates(
  pairings: readonly PairingSpan[],
  archivedAt: Date | null,
  lastLog: PerDuty<Date | null>,
  cadence: CadenceConfig,
  now: Date,
): { due: PerDuty<Date | null>; nextDueAt: Date | null } {
  const states = assessDuties({ pairings, archivedAt, logs: logsOf(lastLog), cadence, now })
  const due = { ...NO_LOGS }
  for (const d of DUTIES) due[d] = states[d].overdueSince ?? states[d].nextDueAt
  return { due, nextDueAt: pairingNextDueAt(states) }
}

function logsOf(lastLog: PerDuty<Date | null>): DutyLog[] {
  return DUTIES.flatMap((duty) => {
    const at = lastLog[duty]
    return at ? [{ duty, occurredAt: at }] : []
  })
}

/** The three duties' statuses now, from the stored state alone (pure, cheap). */
export function assessStored(
  state: Pick<DutyStateRecord, 'pairings' | 'archivedAt' | 'lastLog'>,
  cadence: CadenceConfig,
  now: Date,
): DutyStates {
  return assessDuties({
    pairings: state.pairings,
    archivedAt: state.archivedAt,
    logs: logsOf(state.lastLog),
    cadence,
    now,
  })
}

const URGENCY_RANK: Record<DutyStatus, number> = { overdue: 0, due_soon: 1, open: 2, done: 3 }

/** The child's most urgent status over its owed duties (overdue > due_soon > open > done), or null. */
export function urgencyOf(states: DutyStates): DutyStatus | null {
  let best: DutyStatus | null = null
  for (const d of DUTIES) {
    const s = states[d].status
    if (s && (best === null || URGENCY_RANK[s] < URGENCY_RANK[best])) best = s
  }
  return best
}

/** Board order: overdue first, then due soon, open, done, nothing owed; then by due date, then id. */
export function compareUrgency(
  a: { urgency: DutyStatus | null; nextDueAt: Date | null; id: string },
  b: { urgency: DutyStatus | null; nextDueAt: Date | null; id: string },
): number {
  const rank = (u: DutyStatus | null) => (u === null ? 4 : URGENCY_RANK[u])
  const at = (d: Date | null) => (d === null ? Infinity : d.getTime())
  return (
    rank(a.urgency) - rank(b.urgency) ||
    at(a.nextDueAt) - at(b.nextDueAt) ||
    (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)
  )
}

// ------------------------------------------------------------------------------- status ranges

export type StateField = 'nextDueAt' | `due.${Duty}` | `lastLog.${Duty}`

/** A date range on one stored field; every bound given must hold. */
export type DateRange = { field: StateField; gt?: Date; gte?: Date; lte?: Date }

/** Every range in `all` holds, and (when `any` is not empty) at least one in `any`. */
export type StatusCondition = { all: DateRange[]; any: DateRange[] }

/**
 * The last due date that makes a duty due soon today: a period ending at China midnight E leaves
 * `dayNumber(E) - dayNumber(now)` days, today included, so due soon ⟺ E <= today's midnight + k days.
 */
export function dueSoonEdge(duty: Duty, cadence: CadenceConfig, now: Date): Date {
  return new Date(chinaStartOfDay(now).getTime() + cadence[duty].dueSoonDays * DAY_MS)
}

/**
 * A status filter as ranges on the stored due dates, relative to `now`, so the database answers it
 * from an index (see the module comment for why the stored dates stay valid):
 *
 * - overdue(d)  ⟺ due.d <= now
 * - due_soon(d) ⟺ now < due.d <= soon edge(d)
 * - open(d)     ⟺ soon edge(d) < due.d <= end of the current period of d
 * - done(d)     ⟺ due.d > end of the current period and the last log is in it (a superset: a child
 *                 paired too late in the period to owe it, who already has a log, also matches;
 *                 the caller re-checks with the exact statuses)
 *
 * Without a duty, `status` is the child's most urgent status, for overdue and due_soon only (the
 * board's badge groups): overdue ⟺ nextDueAt <= now; due_soon ⟺ nextDueAt > now and some duty is
 * due soon. `nextDueAt` is the earliest `due`, so the same bounds on it are added for the index.
 * Returns null for open/done without a duty (the caller must ask for a duty).
 */
export function statusCondition(
  status: DutyStatus,
  duty: Duty | undefined,
  cadence: CadenceConfig,
  now: Date,
): StatusCondition | null {
  if (duty === undefined) {
    if (status === 'overdue') return { all: [{ field: 'nextDueAt', lte: now }], any: [] }
    if (status !== 'due_soon') return null
    const edges = DUTIES.map((d) => dueSoonEdge(d, cadence, now))
    const maxEdge = new Date(Math.max(...edges.map((e) => e.getTime())))
    const uniform = edges.every((e) => e.getTime() === maxEdge.getTime())
    return {
      all: [{ field: 'nextDueAt', gt: now, lte: maxEdge }],
      any: uniform ? [] : DUTIES.map((d, i) => ({ field: `due.${d}` as const, lte: edges[i] })),
    }
  }
  const due = `due.${duty}` as const
  const edge = dueSoonEdge(duty, cadence, now)
  const period = periodOf(cadence[duty].period, now)
  switch (status) {
    case 'overdue':
      return {
        all: [
          { field: due, lte: now },
          { field: 'nextDueAt', lte: now },
        ],
        any: [],
      }
    case 'due_soon':
      return {
        all: [
          { field: due, gt: now, lte: edge },
          { field: 'nextDueAt', lte: edge },
        ],
        any: [],
      }
    case 'open':
      return {
        all: [
          { field: due, gt: edge, lte: period.end },
          { field: 'nextDueAt', lte: period.end },
        ],
        any: [],
      }
    case 'done':
      return {
        all: [
          { field: due, gt: period.end },
          { field: `lastLog.${duty}`, gte: period.start },
        ],
        any: [],
      }
  }
}

// ------------------------------------------------------------------------------- duties.list

export const DutyViewSchema = z.object({
  duty: z.enum(DUTIES),
  /** null: not owed this period (shown as 本期不考核) */
  status: z.enum(DUTY_STATUSES).nullable(),
  owed: z.boolean(),
  /** the current period: '2026-03', '2026-Q1' */
  periodKey: z.string(),
  /** the last China day of the current period when owed ('YYYY-MM-DD'), what a person reads as "due by" */
  dueBy: z.string().nullable(),
  lastLogAt: InstantSchema.nullable(),
  overdueSince: InstantSchema.nullable(),
  missedPeriods: z.number().int().min(0),
  /** the guardian's answer to this duty's latest log: confirmed, disputed, or null (no answer yet) */
  confirmation: z.enum(['confirmed', 'disputed']).nullable(),
})
export type DutyView = z.infer<typeof DutyViewSchema>

export const DutyBoardItemSchema = z.object({
  child: z.object({
    id: z.string(),
    name: z.string(),
    villageId: z.string(),
    villageName: z.string(),
    categories: z.array(z.enum(CATEGORIES)),
    riskLevel: z.enum(RISK_LEVELS),
  }),
  helper: z.object({ id: z.string(), displayName: z.string() }).nullable(),
  /** the most urgent status over the owed duties */
  urgency: z.enum(DUTY_STATUSES).nullable(),
  nextDueAt: InstantSchema.nullable(),
  /** the latest contact of any kind, by any helper */
  lastContactAt: InstantSchema.nullable(),
  duties: z.object({
    guardian_contact: DutyViewSchema,
    companionship: DutyViewSchema,
    home_visit: DutyViewSchema,
  }),
})
export type DutyBoardItem = z.infer<typeof DutyBoardItemSchema>

export const DUTIES_LIST_MAX = 100

export const DutiesListInput = z
  .object({
    villageId: IdSchema.optional(),
    helperId: IdSchema.optional(),
    /** the duty `status` applies to (and the counts count) */
    duty: z.enum(DUTIES).optional(),
    status: z.enum(DUTY_STATUSES).optional(),
    category: z.enum(CATEGORIES).optional(),
    riskLevel: z.enum(RISK_LEVELS).optional(),
    /** officers: page size; a helper's board is one page */
    limit: z.number().int().min(1).max(DUTIES_LIST_MAX).default(20),
    cursor: CursorSchema.optional(),
  })
  .strict()
  .superRefine((v, ctx) => {
    if ((v.status === 'open' || v.status === 'done') && v.duty === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['duty'],
        message: '按待完成或已完成筛选时，请选择事项',
      })
    }
  })
export type DutiesListQuery = z.output<typeof DutiesListInput>

export const DutiesListOutput = z.object({
  items: z.array(DutyBoardItemSchema),
  /** pass back as `cursor` for the next page; null on the last page */
  nextCursor: z.string().nullable(),
  /** children overdue / due soon (none overdue) under the same filters, ignoring `status` and paging */
  counts: z.object({ overdue: z.number().int(), due_soon: z.number().int() }),
  /** the instant the statuses were computed for */
  asOf: InstantSchema,
})

export const DUTY_ACTIONS = {
  'duties.list': { input: DutiesListInput, output: DutiesListOutput },
} as const satisfies ActionSpecs

/** The board's view of one duty state. */
export function dutyView(states: DutyStates, duty: Duty, latest: LatestLog | null): DutyView {
  const s = states[duty]
  return {
    duty,
    status: s.status,
    owed: s.owed,
    periodKey: s.period.key,
    dueBy: s.owed ? lastDayOf(s.period) : null,
    lastLogAt: s.lastLogAt,
    overdueSince: s.overdueSince,
    missedPeriods: s.missedPeriods,
    confirmation: latest?.answer ?? null,
  }
}

/** A child's place on the board: statuses computed now from the stored state. */
export function boardEntry(
  state: DutyStateRecord,
  cadence: CadenceConfig,
  now: Date,
): { states: DutyStates; urgency: DutyStatus | null; lastContactAt: Date | null } {
  const states = assessStored(state, cadence, now)
  let lastContactAt: Date | null = null
  for (const d of DUTIES) {
    const at = state.lastLog[d]
    if (
      at &&
      at.getTime() <= now.getTime() &&
      (!lastContactAt || at.getTime() > lastContactAt.getTime())
    ) {
      lastContactAt = at
    }
  }
  return { states, urgency: urgencyOf(states), lastContactAt }
}
