// The aggregates behind the supervision dashboard and the officer home: each one database call, small answers.
//
// How each number is obtained (docs/api-officers.md says the same for people):
// - children by category, needs: one $group over active children (indexed by township/village + status).
// - duties owed (due) per period: from the stored duty states (pairing spans and archive date, one
//   projected aggregate), with the cadence engine's own rule `isPeriodOwed`, computed in the function.
// - duties done per period: one aggregate over the period's contact logs ($match on township/village
//   and occurredAt), first grouped by (child, duty, duty period) so a child counts once per period,
//   then by (village, duty, duty period). Only counts leave the database, never a log.
//   A log can only be written while the child is paired, so a logged child-period is owed except
//   in rare edge cases (paired too late in it, archived or unpaired before it ended); done is capped at due.
// - overdue = owed and not done in a duty period that has ended; open = the same in a period not over.
// - confirmed / disputed contacts: one aggregate over the same logs, grouped by (village, month).
// - urgent reports: one read of the scope's reports raised since the trend began or still open (a
//   township raises a handful a month), durations computed in the function.
// - needs without a measure: one $group of live measures by (village, kind), against the needs above.
import * as z from 'zod'
import { DUTIES, type Duty } from '../core/cadence'
import { CATEGORIES, MEASURE_KINDS, type Category, type MeasureKind } from '../core/domain'
import { LIVE_MEASURE_STATUSES } from '../core/measures'
import { getDb } from './cloud'
import { findMany, StoredDate } from './db'
import { CADENCE } from './duty-state'
import { COLLECTIONS } from './records'
import { ReportDoc } from './reports-store'

const CHINA_OFFSET_MS = 8 * 3_600_000
/** Aggregates in production return a limited page unless told; these answers are small but say so. */
const AGG_LIMIT = 100_000

/** The scope as an equality filter on indexed fields. */
export type ScopeMatch = { townshipId: string; villageId?: string }

function list(res: unknown): unknown[] {
  return z.object({ list: z.array(z.unknown()) }).parse(res).list
}

// ------------------------------------------------------------------------------- children

export type ChildCounts = {
  total: number
  byCategory: Record<Category, number>
  needs: Record<MeasureKind, number>
}

export async function childCountsByVillage(scope: ScopeMatch): Promise<Map<string, ChildCounts>> {
  const db = getDb()
  const $ = db.command.aggregate
  const has = (field: string, value: string) =>
    $.sum($.cond({ if: $.in([value, `$${field}`]), then: 1, else: 0 }))
  const group: Record<string, unknown> = { _id: '$villageId', total: $.sum(1) }
  for (const c of CATEGORIES) group[`c_${c}`] = has('categories', c)
  for (const k of MEASURE_KINDS) group[`n_${k}`] = has('needs', k)
  const res = await db
    .collection(COLLECTIONS.children)
    .aggregate()
    .match({ ...scope, status: 'active' })
    .group(group)
    .limit(AGG_LIMIT)
    .end()
  const out = new Map<string, ChildCounts>()
  for (const raw of list(res)) {
    const row = raw as Record<string, number> & { _id: string }
    const byCategory = {} as Record<Category, number>
    for (const c of CATEGORIES) byCategory[c] = row[`c_${c}`] ?? 0
    const needs = {} as Record<MeasureKind, number>
    for (const k of MEASURE_KINDS) needs[k] = row[`n_${k}`] ?? 0
    out.set(row._id, { total: row.total ?? 0, byCategory, needs })
  }
  return out
}

// ------------------------------------------------------------------------------- duty states

const Span = z.object({ helperId: z.string(), start: StoredDate, end: StoredDate.nullable() })
const DateOrNull = StoredDate.nullable().default(null)
export const StateFacts = z.object({
  _id: z.string(),
  villageId: z.string(),
  pairings: z.array(Span),
  archivedAt: StoredDate.nullable().default(null),
  lastLog: z.object({
    guardian_contact: DateOrNull,
    companionship: DateOrNull,
    home_visit: DateOrNull,
  }),
  due: z.object({
    guardian_contact: DateOrNull,
    companionship: DateOrNull,
    home_visit: DateOrNull,
  }),
})
export type StateFacts = z.infer<typeof StateFacts>

/**
 * What the cadence engine needs of every child ever paired in scope (pairing spans, archive date,
 * latest logs): one projected aggregate; children never paired owe nothing and are left out.
 */
export async function stateFacts(scope: ScopeMatch): Promise<StateFacts[]> {
  const db = getDb()
  const _ = db.command
  const res = await db
    .collection(COLLECTIONS.dutyStates)
    .aggregate()
    .match({ ...scope, 'pairings.0': _.exists(true) })
    .project({ villageId: 1, pairings: 1, archivedAt: 1, lastLog: 1, due: 1 })
    .limit(AGG_LIMIT)
    .end()
  return list(res).map((d) => StateFacts.parse(d))
}

/** Overdue counts now, straight from the stored due dates (overdue ⟺ due <= now): one aggregate. */
export async function overdueNow(
  scope: ScopeMatch,
  now: Date,
): Promise<{ children: number; byDuty: Record<Duty, number> }> {
  const db = getDb()
  const _ = db.command
  const $ = _.aggregate
  const EPOCH = new Date(0)
  const isOverdue = (field: string) =>
    $.and([$.gte([`$${field}`, EPOCH]), $.lte([`$${field}`, now])])
  const group: Record<string, unknown> = { _id: null, children: $.sum(1) }
  for (const d of DUTIES) group[d] = $.sum($.cond({ if: isOverdue(`due.${d}`), then: 1, else: 0 }))
  const res = await db
    .collection(COLLECTIONS.dutyStates)
    .aggregate()
    .match({ ...scope, status: 'active', nextDueAt: _.gte(EPOCH).and(_.lte(now)) })
    .group(group)
    .end()
  const row = (list(res)[0] ?? {}) as Record<string, number>
  const byDuty = {} as Record<Duty, number>
  for (const d of DUTIES) byDuty[d] = row[d] ?? 0
  return { children: row.children ?? 0, byDuty }
}

// ------------------------------------------------------------------------------- contact logs

/** China-time year and month of a stored date, as aggregation expressions. */
function chinaYearMonth($: ReturnType<typeof getDb>['command']['aggregate'], field: string) {
  const shifted = $.add([`$${field}`, CHINA_OFFSET_MS])
  return { y: $.year(shifted), m: $.month(shifted) }
}

/** A duty period's number within its year in an expression: the month, or the quarter (1–4). */
function dutyBucket($: ReturnType<typeof getDb>['command']['aggregate']) {
  const quarterly = DUTIES.filter((d) => CADENCE[d].period === 'quarter')
  return $.cond({
    if: $.in(['$duty', quarterly]),
    then: $.floor($.divide([$.add(['$m', 2]), 3])),
    else: '$m',
  })
}

export type DoneRow = { villageId: string; duty: Duty; y: number; b: number; n: number }

/**
 * Children with a log per (village, duty, duty period) for logs in [from, to): grouped first by
 * child so each counts once per period. Months for monthly duties, quarters for quarterly ones
 * (a school cadence of weeks is not summarised here).
 */
export async function doneCounts(scope: ScopeMatch, from: Date, to: Date): Promise<DoneRow[]> {
  const db = getDb()
  const _ = db.command
  const $ = _.aggregate
  const res = await db
    .collection(COLLECTIONS.contactLogs)
    .aggregate()
    .match({ ...scope, occurredAt: _.gte(from).and(_.lt(to)) })
    .project({ childId: 1, villageId: 1, duty: 1, ...chinaYearMonth($, 'occurredAt') })
    .project({ childId: 1, villageId: 1, duty: 1, y: 1, b: dutyBucket($) })
    .group({
      _id: { c: '$childId', v: '$villageId', d: '$duty', y: '$y', b: '$b' },
    })
    .group({
      _id: { v: '$_id.v', d: '$_id.d', y: '$_id.y', b: '$_id.b' },
      n: $.sum(1),
    })
    .limit(AGG_LIMIT)
    .end()
  const Row = z.object({
    _id: z.object({ v: z.string(), d: z.enum(DUTIES), y: z.number(), b: z.number() }),
    n: z.number(),
  })
  return list(res).map((raw) => {
    const r = Row.parse(raw)
    return { villageId: r._id.v, duty: r._id.d, y: r._id.y, b: r._id.b, n: r.n }
  })
}

export type ConfirmRow = {
  villageId: string
  y: number
  m: number
  total: number
  confirmed: number
  disputed: number
}

/** Logs, confirmed and disputed, per (village, China month) for logs in [from, to). */
export async function confirmationCounts(
  scope: ScopeMatch,
  from: Date,
  to: Date,
): Promise<ConfirmRow[]> {
  const db = getDb()
  const _ = db.command
  const $ = _.aggregate
  const answered = (answer: string) =>
    $.sum($.cond({ if: $.eq(['$answer', answer]), then: 1, else: 0 }))
  const res = await db
    .collection(COLLECTIONS.contactLogs)
    .aggregate()
    .match({ ...scope, occurredAt: _.gte(from).and(_.lt(to)) })
    .project({
      villageId: 1,
      answer: $.ifNull(['$confirmation.answer', 'none']),
      ...chinaYearMonth($, 'occurredAt'),
    })
    .group({
      _id: { v: '$villageId', y: '$y', m: '$m' },
      total: $.sum(1),
      confirmed: answered('confirmed'),
      disputed: answered('disputed'),
    })
    .limit(AGG_LIMIT)
    .end()
  const Row = z.object({
    _id: z.object({ v: z.string(), y: z.number(), m: z.number() }),
    total: z.number(),
    confirmed: z.number(),
    disputed: z.number(),
  })
  return list(res).map((raw) => {
    const r = Row.parse(raw)
    return { villageId: r._id.v, y: r._id.y, m: r._id.m, ...r, _id: undefined }
  })
}

// ------------------------------------------------------------------------------- reports, measures

/** The scope's reports raised since `from`, or still open (at most 1000: a township raises a handful a month). */
export function reportsSince(scope: ScopeMatch, from: Date): Promise<ReportDoc[]> {
  const db = getDb()
  const _ = db.command
  return findMany(
    ReportDoc,
    db
      .collection(COLLECTIONS.urgentReports)
      .where(_.and([scope, _.or([{ createdAt: _.gte(from) }, { status: _.neq('closed') }])]))
      .orderBy('createdAt', 'desc')
      .limit(1000),
  )
}

/** Live measures per (village, kind) of active children's needs. */
export async function liveMeasureCounts(
  scope: ScopeMatch,
): Promise<Map<string, Record<MeasureKind, number>>> {
  const db = getDb()
  const _ = db.command
  const $ = _.aggregate
  const res = await db
    .collection(COLLECTIONS.measures)
    .aggregate()
    .match({ ...scope, status: _.in([...LIVE_MEASURE_STATUSES]) })
    .group({ _id: { v: '$villageId', k: '$kind' }, n: $.sum(1) })
    .limit(AGG_LIMIT)
    .end()
  const Row = z.object({
    _id: z.object({ v: z.string(), k: z.enum(MEASURE_KINDS) }),
    n: z.number(),
  })
  const out = new Map<string, Record<MeasureKind, number>>()
  for (const raw of list(res)) {
    const r = Row.parse(raw)
    const per = out.get(r._id.v) ?? zeroKinds()
    per[r._id.k] += r.n
    out.set(r._id.v, per)
  }
  return out
}

export function zeroKinds(): Record<MeasureKind, number> {
  return Object.fromEntries(MEASURE_KINDS.map((k) => [k, 0])) as Record<MeasureKind, number>
}
