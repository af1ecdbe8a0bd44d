// Per-child duty state (last log per duty, due dates), kept current on every write so boards never scan logs.
// Other features call refreshDutyState after changing a child (archive, edit); the rules live in src/core/duties.ts.
import * as z from 'zod'
import { DEFAULT_CADENCE, DUTIES, type CadenceConfig, type Duty } from '../core/cadence'
import { RISK_LEVELS } from '../core/domain'
import {
  buildDutyState,
  NO_LATEST,
  NO_LOGS,
  withAnswer,
  withLog,
  type LatestLog,
  type DutyChildFacts,
  type DutyStateRecord,
  type PerDuty,
} from '../core/duties'
import {
  emptyTally,
  stateContribution,
  type Contribution,
  type MonthTallies,
} from '../core/rollups'
import { getDb } from './cloud'
import { findById, StoredDate } from './db'
import { pairingsOfChild, runTransaction, txGet, type Tx } from './pairings-store'
import { COLLECTIONS } from './records'
import { applyContributionInTx } from './rollups-store'

const CHINA_OFFSET_MS = 8 * 3_600_000

/** The cadence this deployment runs (the township plan); a school deployment would configure its own. */
export const CADENCE: CadenceConfig = DEFAULT_CADENCE

const DateOrNull = StoredDate.nullable().default(null)
const PerDutyDates = z.object({
  guardian_contact: DateOrNull,
  companionship: DateOrNull,
  home_visit: DateOrNull,
})

const LatestOrNull = z
  .object({ logId: z.string(), answer: z.enum(['confirmed', 'disputed']).nullable() })
  .nullable()
  .default(null)

/** A stored duty state; `rev` counts its writes (see refreshDutyState). */
export const DutyStateDoc = z.object({
  _id: z.string(),
  townshipId: z.string(),
  villageId: z.string(),
  helperId: z.string().nullable(),
  helperName: z.string().nullable(),
  childName: z.string(),
  categories: z.array(z.string()),
  riskLevel: z.enum(RISK_LEVELS),
  status: z.enum(['active', 'archived']),
  pairings: z.array(
    z.object({ helperId: z.string(), start: StoredDate, end: StoredDate.nullable() }),
  ),
  archivedAt: StoredDate.nullable(),
  lastLog: PerDutyDates,
  latest: z
    .object({
      guardian_contact: LatestOrNull,
      companionship: LatestOrNull,
      home_visit: LatestOrNull,
    })
    .default(NO_LATEST),
  months: z
    .record(
      z.string(),
      z.object({
        guardian_contact: z.number(),
        companionship: z.number(),
        home_visit: z.number(),
        confirmed: z.number(),
        disputed: z.number(),
      }),
    )
    .default({}),
  due: PerDutyDates,
  nextDueAt: StoredDate.nullable(),
  updatedAt: StoredDate,
  rev: z.number().int().default(0),
})
export type DutyStateDoc = z.infer<typeof DutyStateDoc>

/** The child as the duty state reads it: only these fields of the stored child. */
const ChildFacts = z.object({
  _id: z.string(),
  townshipId: z.string(),
  villageId: z.string(),
  name: z.string(),
  categories: z.array(z.string()).default([]),
  riskLevel: z.enum(RISK_LEVELS),
  status: z.enum(['active', 'archived']),
  archive: z.object({ at: StoredDate }).nullable().default(null),
})

const LogSummaryRow = z.object({
  _id: z.object({ y: z.number(), m: z.number(), d: z.enum(DUTIES) }),
  n: z.number(),
  confirmed: z.number(),
  disputed: z.number(),
  last: StoredDate,
  logId: z.string(),
  answer: z.enum(['confirmed', 'disputed']).nullable().default(null),
})

/** What a child's duty state keeps of their logs: the latest of each duty and the tallies per month. */
export type LogSummary = {
  dates: PerDuty<Date | null>
  latest: PerDuty<LatestLog | null>
  months: MonthTallies
}

/**
 * A child's logs summarised in one aggregate (indexed by childId): per China month and duty, how many
 * and how many a guardian confirmed or disputed, and the newest (sorted first, so `$first`), from which
 * the latest of each duty, with its id and answer, is picked.
 */
export async function logSummaryOf(childId: string): Promise<LogSummary> {
  const db = getDb()
  const $ = db.command.aggregate
  const shifted = $.add(['$occurredAt', CHINA_OFFSET_MS])
  const answered = (a: string) => $.sum($.cond({ if: $.eq(['$answer', a]), then: 1, else: 0 }))
  const res = (await db
    .collection(COLLECTIONS.contactLogs)
    .aggregate()
    .match({ childId })
    .sort({ occurredAt: -1 })
    .project({
      duty: 1,
      occurredAt: 1,
      answer: '$confirmation.answer',
      y: $.year(shifted),
      m: $.month(shifted),
    })
    .group({
      _id: { y: '$y', m: '$m', d: '$duty' },
      n: $.sum(1),
      confirmed: answered('confirmed'),
      disputed: answered('disputed'),
      last: $.first('$occurredAt'),
      logId: $.first('$_id'),
      answer: $.first('$answer'),
    })
    .limit(10_000)
    .end()) as unknown
  const out: LogSummary = { dates: { ...NO_LOGS }, latest: { ...NO_LATEST }, months: {} }
  for (const r of z.object({ list: z.array(LogSummaryRow) }).parse(res).list) {
    const key = `${String(r._id.y).padStart(4, '0')}-${String(r._id.m).padStart(2, '0')}`
    const t = (out.months[key] ??= emptyTally())
    t[r._id.d] += r.n
    t.confirmed += r.confirmed
    t.disputed += r.disputed
    const prev = out.dates[r._id.d]
    if (!prev || prev.getTime() < r.last.getTime()) {
      out.dates[r._id.d] = r.last
      out.latest[r._id.d] = { logId: r.logId, answer: r.answer }
    }
  }
  return out
}

/** The rollup contribution of a stored (or about to be stored) state. */
function contributionOf(state: DutyStateRecord | null): Contribution | null {
  return state ? stateContribution(state, CADENCE) : null
}

/** Stores a child's state and moves the rollups by the change in its contribution: inside `tx`. */
async function writeStateInTx(
  tx: Tx,
  before: DutyStateRecord | null,
  next: DutyStateRecord,
  rev: number,
  now: Date,
): Promise<void> {
  await tx
    .collection(COLLECTIONS.dutyStates)
    .doc(next._id)
    .set({ data: toStored(next, rev) })
  await applyContributionInTx(tx, contributionOf(before), contributionOf(next), now)
}

/** The document to store: the record without its id, plus the next revision. */
function toStored(state: DutyStateRecord, rev: number): Record<string, unknown> {
  const { _id, ...rest } = state
  return { ...rest, rev }
}

class StaleRead extends Error {}

/**
 * Recomputes and stores the duty state of one child (after a change to the child, a pairing or a log):
 * reads the stored revision, then the child, its pairings and its latest log per duty (3 indexed
 * queries, in parallel), then writes in one transaction.
 *
 * Two refreshes (or a refresh and a contact log) may interleave. Every writer bumps `rev`; a refresh
 * writes only if `rev` is still what it was before its reads, otherwise it reads again. So the last
 * write is always computed from reads made after every earlier write: an old read never wins.
 */
export async function refreshDutyState(childId: string, now: Date): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    // The revision is read before the sources (not alongside): a write landing between the two
    // then shows up as a changed revision at commit.
    const stored = await findById(DutyStateDoc, COLLECTIONS.dutyStates, childId)
    const [child, pairings, logs] = await Promise.all([
      findById(ChildFacts, COLLECTIONS.children, childId),
      pairingsOfChild(childId),
      logSummaryOf(childId),
    ])
    if (!child) return // no such child: nothing to keep a state for
    const facts: DutyChildFacts = child
    const state = buildDutyState(
      facts,
      pairings,
      logs.dates,
      CADENCE,
      now,
      logs.latest,
      logs.months,
    )
    const seen = stored?.rev ?? 0
    try {
      await runTransaction(async (tx) => {
        const current = await txGet(DutyStateDoc, tx, COLLECTIONS.dutyStates, childId)
        if ((current?.rev ?? 0) !== seen) throw new StaleRead()
        await writeStateInTx(tx, current, state, seen + 1, now)
      })
      return
    } catch (err) {
      if (!(err instanceof StaleRead) || attempt >= 5) throw err
    }
  }
}

/**
 * Inside a contact log's transaction: records the new log on the child's stored state (kept only if
 * it is the latest of its duty) and recomputes the due dates. Returns false when the child has no
 * stored state yet; the caller then refreshes it after the transaction.
 */
export async function recordLogInTx(
  tx: Tx,
  childId: string,
  duty: Duty,
  occurredAt: Date,
  now: Date,
  logId: string,
): Promise<boolean> {
  const current = await txGet(DutyStateDoc, tx, COLLECTIONS.dutyStates, childId)
  if (!current) return false
  const { rev, ...state } = current
  await writeStateInTx(
    tx,
    state,
    withLog(state, duty, occurredAt, CADENCE, now, logId),
    rev + 1,
    now,
  )
  return true
}

/**
 * Inside a guardian's answer transaction: counts the answer in its month, and shows it on the child's
 * board when the log is its duty's latest.
 */
export async function recordAnswerInTx(
  tx: Tx,
  log: { _id: string; childId: string; duty: Duty; occurredAt: Date },
  answer: 'confirmed' | 'disputed',
  now: Date,
): Promise<void> {
  const current = await txGet(DutyStateDoc, tx, COLLECTIONS.dutyStates, log.childId)
  if (!current) return
  const { rev, ...state } = current
  await writeStateInTx(tx, state, withAnswer(state, log, answer), rev + 1, now)
}
