// The reads behind the officer home and the dashboard besides the rollups: each one database call, small answers.
//
// How each dashboard number is obtained (docs/api.md says the same for people):
// - children by category, needs, live measures, duties owed and done per period, logs confirmed and
//   disputed per month: the village rollups (src/core/rollups.ts), kept by the writers in their
//   transactions, read in one query of a few documents per village.
// - overdue = owed and not done in a duty period that has ended; open = the same in a period not over.
// - urgent reports: one read of the scope's reports raised since the trend began or still open (a
//   township raises a handful a month), durations computed in the function.
// - overdue now (officer home): one aggregate over the states whose stored due date has passed.
import * as z from 'zod'
import { DUTIES, type Duty } from '../core/cadence'
import { getDb } from './cloud'
import { findMany } from './db'
import { COLLECTIONS } from './records'
import { ReportDoc } from './reports-store'

/** The scope as an equality filter on indexed fields. */
export type ScopeMatch = { townshipId: string; villageId?: string }

function list(res: unknown): unknown[] {
  return z.object({ list: z.array(z.unknown()) }).parse(res).list
}

// ------------------------------------------------------------------------------- duty states

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

// ------------------------------------------------------------------------------- reports

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
