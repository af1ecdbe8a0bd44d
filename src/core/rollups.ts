// Supervision rollups: per-village counters the dashboard reads instead of scanning children, states and logs.
//
// Every counter is a sum of contributions, one per source document: a child record, a child's duty
// state, a measure. A writer computes the contribution of the document before and after its change
// and adds the difference to the rollup in the same transaction, so at every commit
//   rollup = Σ contribution(document)
// which `rollupsOf` recomputes from scratch (seeding, tests, repair). The dashboard then reads a few
// small documents per village whatever the number of children.
//
// Owed duty periods are open-ended (a child paired today owes every future month), so they are kept
// as runs: +1 where a run of owed periods starts, +1 at the first period after it ends. Owed children
// in period K = Σ starts ≤ K − Σ ends ≤ K.
import { DUTIES, isPeriodOwed, type CadenceConfig, type Duty, type PairingSpan } from './cadence'
import type { Category, MeasureKind } from './domain'
import { nextPeriod, periodOf, type Period, type PeriodKind } from './time'

/** Rollup documents per village: a child always lands in the same one, so concurrent writers rarely meet. */
export const ROLLUP_SHARDS = 4

/** A counter name → value map; zero counters are left out. */
export type Counters = Record<string, number>

/** Logs of one China month: per duty, and how many a guardian confirmed or disputed. */
export type MonthTally = Record<Duty, number> & { confirmed: number; disputed: number }

/** `YYYY-MM` (China month) → that month's tally. Kept on the duty state. */
export type MonthTallies = Record<string, MonthTally>

export const ROLLUP_KEYS = {
  children: 'ch',
  category: (c: Category | string) => `cat:${c}`,
  need: (k: MeasureKind | string) => `need:${k}`,
  liveMeasure: (k: MeasureKind | string) => `ml:${k}`,
  owedStart: (d: Duty, period: string) => `os:${d}:${period}`,
  owedEnd: (d: Duty, period: string) => `oe:${d}:${period}`,
  done: (d: Duty, period: string) => `dn:${d}:${period}`,
  logs: (month: string) => `lg:${month}`,
  confirmed: (month: string) => `cf:${month}`,
  disputed: (month: string) => `dp:${month}`,
} as const

/** The rollups only summarise months and quarters (a school cadence of weeks is not on the dashboard). */
const SUMMARISED: ReadonlySet<PeriodKind> = new Set(['month', 'quarter'])

// ------------------------------------------------------------------------------- where a child counts

/** Which rollup document of its village a child's contributions go to (stable for the child). */
export function rollupShard(childId: string): number {
  let h = 0
  for (let i = 0; i < childId.length; i++) h = (h * 31 + childId.charCodeAt(i)) >>> 0
  return h % ROLLUP_SHARDS
}

export function rollupId(villageId: string, childId: string): string {
  return `${villageId}~${rollupShard(childId)}`
}

/** A document's contribution: which rollup it adds to, and what. */
export type Contribution = {
  id: string
  townshipId: string
  villageId: string
  counters: Counters
}

function add(c: Counters, key: string, n = 1): void {
  const v = (c[key] ?? 0) + n
  if (v === 0) delete c[key]
  else c[key] = v
}

// ------------------------------------------------------------------------------- contributions

export type ChildFacts = {
  _id: string
  townshipId: string
  villageId: string
  status: 'active' | 'archived'
  categories: readonly string[]
  needs: readonly string[]
}

/** An active child counts once, under each of their categories and needs. */
export function childContribution(child: ChildFacts): Contribution {
  const counters: Counters = {}
  if (child.status === 'active') {
    add(counters, ROLLUP_KEYS.children)
    for (const c of new Set(child.categories)) add(counters, ROLLUP_KEYS.category(c))
    for (const k of new Set(child.needs)) add(counters, ROLLUP_KEYS.need(k))
  }
  return { ...where(child.townshipId, child.villageId, child._id), counters }
}

export type MeasureFacts = {
  townshipId: string
  villageId: string
  childId: string
  kind: string
  status: string
}

/** A live measure (planned or in progress) covers its need. */
export function measureContribution(
  m: MeasureFacts,
  liveStatuses: readonly string[],
): Contribution {
  const counters: Counters = {}
  if (liveStatuses.includes(m.status)) add(counters, ROLLUP_KEYS.liveMeasure(m.kind))
  return { ...where(m.townshipId, m.villageId, m.childId), counters }
}

export type StateFacts = {
  _id: string
  townshipId: string
  villageId: string
  pairings: readonly PairingSpan[]
  archivedAt: Date | null
  months: MonthTallies
}

/**
 * A child's duty state: the runs of owed periods of each duty, each owed period with a log (done),
 * and the logs of each month with their guardians' answers.
 */
export function stateContribution(state: StateFacts, cadence: CadenceConfig): Contribution {
  const counters: Counters = {}
  for (const d of DUTIES) {
    const { period: kind, firstPeriodMinDays } = cadence[d]
    if (!SUMMARISED.has(kind)) continue
    const runs = owedRuns(state.pairings, state.archivedAt, kind, firstPeriodMinDays)
    for (const r of runs) {
      add(counters, ROLLUP_KEYS.owedStart(d, r.from))
      if (r.to !== null) add(counters, ROLLUP_KEYS.owedEnd(d, r.to))
    }
    const logged = new Set<string>()
    for (const [month, tally] of Object.entries(state.months)) {
      if (tally[d] > 0) logged.add(periodOf(kind, monthStart(month)).key)
    }
    for (const key of logged) if (inRuns(runs, key)) add(counters, ROLLUP_KEYS.done(d, key))
  }
  for (const [month, tally] of Object.entries(state.months)) {
    const logs = DUTIES.reduce((s, d) => s + tally[d], 0)
    add(counters, ROLLUP_KEYS.logs(month), logs)
    add(counters, ROLLUP_KEYS.confirmed(month), tally.confirmed)
    add(counters, ROLLUP_KEYS.disputed(month), tally.disputed)
  }
  return { ...where(state.townshipId, state.villageId, state._id), counters }
}

function where(townshipId: string, villageId: string, childId: string) {
  return { id: rollupId(villageId, childId), townshipId, villageId }
}

/** The instant a `YYYY-MM` China month starts. */
function monthStart(month: string): Date {
  return new Date(`${month}-01T00:00:00+08:00`)
}

/** A run of owed periods: from `from` up to, not including, `to` (null: still running). */
export type OwedRun = { from: string; to: string | null }

/**
 * The runs of periods owed under the cadence rule (`isPeriodOwed`). Periods are walked from the first
 * pairing to just past the last event (a pairing start or end, the archive); after that nothing changes,
 * so the last run is open-ended exactly when a pairing is still open and the child is not archived.
 */
export function owedRuns(
  pairings: readonly PairingSpan[],
  archivedAt: Date | null,
  kind: PeriodKind,
  firstPeriodMinDays: number,
): OwedRun[] {
  if (pairings.length === 0) return []
  let first = Infinity
  let last = -Infinity
  for (const p of pairings) {
    first = Math.min(first, p.start.getTime())
    last = Math.max(last, p.start.getTime(), p.end?.getTime() ?? -Infinity)
  }
  if (archivedAt) last = Math.max(last, archivedAt.getTime())
  const stop = nextPeriod(nextPeriod(periodOf(kind, new Date(last))))
  const runs: OwedRun[] = []
  let open: string | null = null
  let p: Period = periodOf(kind, new Date(first))
  for (; p.start.getTime() <= stop.start.getTime(); p = nextPeriod(p)) {
    const owed = isPeriodOwed(p, pairings, archivedAt, firstPeriodMinDays)
    if (owed && open === null) open = p.key
    if (!owed && open !== null) {
      runs.push({ from: open, to: p.key })
      open = null
    }
  }
  if (open !== null) {
    const tailOwed = !archivedAt && pairings.some((s) => s.end === null)
    runs.push({ from: open, to: tailOwed ? null : p.key })
  }
  return runs
}

function inRuns(runs: readonly OwedRun[], key: string): boolean {
  return runs.some((r) => r.from <= key && (r.to === null || key < r.to))
}

// ------------------------------------------------------------------------------- applying and summing

/** A change to one rollup document. */
export type RollupDelta = { id: string; townshipId: string; villageId: string; counters: Counters }

/** What to add to which rollup when a document's contribution goes from `before` to `after`. */
export function rollupDeltas(
  before: Contribution | null,
  after: Contribution | null,
): RollupDelta[] {
  const out = new Map<string, RollupDelta>()
  const put = (c: Contribution, sign: 1 | -1) => {
    let d = out.get(c.id)
    if (!d)
      out.set(
        c.id,
        (d = { id: c.id, townshipId: c.townshipId, villageId: c.villageId, counters: {} }),
      )
    for (const [k, v] of Object.entries(c.counters)) add(d.counters, k, sign * v)
  }
  if (before) put(before, -1)
  if (after) put(after, 1)
  return [...out.values()].filter((d) => Object.keys(d.counters).length > 0)
}

/** Counters plus a delta (zeros dropped). */
export function addCounters(base: Counters, delta: Counters): Counters {
  const out = { ...base }
  for (const [k, v] of Object.entries(delta)) add(out, k, v)
  return out
}

/** The rollups of a set of documents from scratch: what the stored rollups must always equal. */
export function rollupsOf(contributions: Iterable<Contribution>): Map<string, RollupDelta> {
  const out = new Map<string, RollupDelta>()
  for (const c of contributions) {
    const r = out.get(c.id)
    if (r) r.counters = addCounters(r.counters, c.counters)
    else out.set(c.id, { ...c, counters: { ...c.counters } })
  }
  return out
}

// ------------------------------------------------------------------------------- reading

/** Children owed duty `d` in period `key`: runs started at or before it minus runs ended at or before it. */
export function owedIn(c: Counters, d: Duty, key: string): number {
  let n = 0
  const starts = ROLLUP_KEYS.owedStart(d, '')
  const ends = ROLLUP_KEYS.owedEnd(d, '')
  for (const [k, v] of Object.entries(c)) {
    if (k.startsWith(starts) && k.slice(starts.length) <= key) n += v
    else if (k.startsWith(ends) && k.slice(ends.length) <= key) n -= v
  }
  return n
}

/** Empty tallies of a month. */
export function emptyTally(): MonthTally {
  return { guardian_contact: 0, companionship: 0, home_visit: 0, confirmed: 0, disputed: 0 }
}

/** A child's month tallies counted from their logs (seeding, recounts). */
export function tallyLogs(
  logs: Iterable<{
    duty: Duty
    occurredAt: Date
    confirmation?: { answer: 'confirmed' | 'disputed' } | null
  }>,
): MonthTallies {
  const months: MonthTallies = {}
  for (const log of logs) {
    const t = (months[periodOf('month', log.occurredAt).key] ??= emptyTally())
    t[log.duty] += 1
    if (log.confirmation) t[log.confirmation.answer] += 1
  }
  return months
}
