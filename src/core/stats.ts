// Supervision statistics (督导评估): the dashboard and officer-home contracts, the period rules and the village score.
import * as z from 'zod'
import type { ActionSpecs } from './action-spec'
import { DUTIES, type CadenceConfig, type Duty } from './cadence'
import { CATEGORIES, MEASURE_KINDS, type Category, type MeasureKind } from './domain'
import { IdSchema } from './org'
import { owedIn, ROLLUP_KEYS, type Counters } from './rollups'
import { InstantSchema, parsePeriodKey, periodOf, previousPeriod, type Period } from './time'

/** A dashboard period: a calendar month ('2026-03') or quarter ('2026-Q1') in China time. */
export const StatsPeriodKeySchema = z
  .string()
  .trim()
  .regex(/^\d{4}-(0[1-9]|1[0-2]|Q[1-4])$/, '请选择月份（如2026-03）或季度（如2026-Q1）')

/** The period a key names, or the current month when none is given. */
export function statsPeriod(key: string | undefined, now: Date): Period {
  const p = key ? parsePeriodKey(key) : null
  return p ?? periodOf('month', now)
}

/** The `count` periods ending with `p`, oldest first (the trend). */
export function trendPeriods(p: Period, count: number): Period[] {
  const out = [p]
  while (out.length < count) out.unshift(previousPeriod(out[0] as Period))
  return out
}

/**
 * The duty periods a dashboard period covers for a duty whose cadence period is `dutyKind`:
 * the duty's periods that start inside `p`, or (a quarterly duty seen in a monthly dashboard) the
 * one duty period containing `p`. A quarter therefore counts the three months of the monthly duty.
 */
export function dutyPeriodsIn(p: Period, dutyKind: Period['kind']): Period[] {
  const first = periodOf(dutyKind, p.start)
  if (first.end.getTime() >= p.end.getTime()) return [first]
  const out: Period[] = []
  for (let q = first; q.start.getTime() < p.end.getTime(); q = periodOf(dutyKind, q.end))
    out.push(q)
  return out
}

export const DutyCountsSchema = z.object({
  /** child-periods owed */
  due: z.number().int(),
  /** owed and logged */
  done: z.number().int(),
  /** owed, period not over yet, not logged */
  open: z.number().int(),
  /** owed, period over, not logged (逾期) */
  overdue: z.number().int(),
  /** done / due, 0..1; null when nothing is due */
  rate: z.number().nullable(),
})
export type DutyCounts = z.infer<typeof DutyCountsSchema>

export function dutyRate(c: { due: number; done: number }): number | null {
  return c.due === 0 ? null : Math.round((c.done / c.due) * 1000) / 1000
}

const PerDutyCounts = z.object({
  guardian_contact: DutyCountsSchema,
  companionship: DutyCountsSchema,
  home_visit: DutyCountsSchema,
})

export const VillageStatsSchema = z.object({
  /** null on the scope total row */
  villageId: z.string().nullable(),
  villageName: z.string(),
  children: z.object({
    /** active children now */
    total: z.number().int(),
    byCategory: z.record(z.enum(CATEGORIES), z.number().int()),
  }),
  duties: PerDutyCounts,
  contacts: z.object({
    /** logs that occurred in the period */
    total: z.number().int(),
    confirmed: z.number().int(),
    disputed: z.number().int(),
    /** confirmed / total, null when no logs */
    confirmedShare: z.number().nullable(),
  }),
  reports: z.object({
    /** raised in the period */
    raised: z.number().int(),
    /** not closed now */
    open: z.number().int(),
    /** still `reported` 24 h after being raised, now */
    escalated: z.number().int(),
    /** closed in the period: median hours from raised to closed */
    closed: z.number().int(),
    medianHandlingHours: z.number().nullable(),
  }),
  needs: z.object({
    /** needs recorded on active children */
    total: z.number().int(),
    /** needs without a live measure (缺什么帮什么) */
    unmet: z.number().int(),
    unmetByKind: z.record(z.enum(MEASURE_KINDS), z.number().int()),
  }),
})
export type VillageStats = z.infer<typeof VillageStatsSchema>

export const TrendPointSchema = z.object({
  periodKey: z.string(),
  duties: PerDutyCounts,
  /** all duties together: done / due */
  rate: z.number().nullable(),
  confirmedShare: z.number().nullable(),
})
export type TrendPoint = z.infer<typeof TrendPointSchema>

export const RankingRowSchema = z.object({
  rank: z.number().int(),
  villageId: z.string(),
  villageName: z.string(),
  /** 0–100, see SCORE_RULE */
  score: z.number(),
})

/**
 * The village score (评比), 0–100, one decimal:
 *   60 × duty completion (done / due over all three duties)
 * + 20 × share of the period's contacts a guardian confirmed
 * + 20 × share of needs with a live measure
 * − 5 per urgent report escalated now (floor 0).
 * A component with nothing to measure (no duty due, no contact, no need) counts as fully met.
 */
export const SCORE_RULE =
  '得分 = 60×履职完成率 + 20×监护人确认率 + 20×需求措施覆盖率 − 5×超24小时未接收的强制报告数（最低0分）'

export function villageScore(v: VillageStats): number {
  let due = 0
  let done = 0
  for (const d of DUTIES) {
    due += v.duties[d].due
    done += v.duties[d].done
  }
  const duty = due === 0 ? 1 : done / due
  const confirmed = v.contacts.confirmedShare ?? 1
  const covered = v.needs.total === 0 ? 1 : 1 - v.needs.unmet / v.needs.total
  const raw = 60 * duty + 20 * confirmed + 20 * covered - 5 * v.reports.escalated
  return Math.max(0, Math.round(raw * 10) / 10)
}

/** Villages ranked by score (best first; ties share a rank, then by name). Villages without children are left out. */
export function rankVillages(
  villages: readonly VillageStats[],
): z.infer<typeof RankingRowSchema>[] {
  const rows = villages
    .filter((v) => v.villageId !== null && v.children.total > 0)
    .map((v) => ({
      villageId: v.villageId as string,
      villageName: v.villageName,
      score: villageScore(v),
    }))
    .sort((a, b) => b.score - a.score || a.villageName.localeCompare(b.villageName, 'zh'))
  let rank = 0
  let prev: number | null = null
  return rows.map((r, i) => {
    if (r.score !== prev) rank = i + 1
    prev = r.score
    return { rank, ...r }
  })
}

export const StatsComplianceInput = z
  .object({
    /** default: the current month */
    period: StatsPeriodKeySchema.optional(),
    /** narrows a township officer's view to one village (a village officer always sees their own) */
    villageId: IdSchema.optional(),
  })
  .strict()

export const StatsComplianceOutput = z.object({
  period: z.object({
    kind: z.enum(['month', 'quarter']),
    key: z.string(),
    start: InstantSchema,
    end: InstantSchema,
  }),
  asOf: InstantSchema,
  villages: z.array(VillageStatsSchema),
  /** the whole scope */
  total: VillageStatsSchema,
  /** the last 6 periods of the same kind, oldest first, ending with the chosen one */
  trend: z.array(TrendPointSchema),
  ranking: z.array(RankingRowSchema),
  scoreRule: z.string(),
})
export type StatsComplianceResult = z.infer<typeof StatsComplianceOutput>

export const StatsHomeInput = z.object({}).strict()
export const StatsHomeOutput = z.object({
  asOf: InstantSchema,
  overdue: z.object({
    /** children with at least one duty overdue now */
    children: z.number().int(),
    byDuty: z.object({
      guardian_contact: z.number().int(),
      companionship: z.number().int(),
      home_visit: z.number().int(),
    }),
  }),
  reports: z.object({
    /** reported, not yet received */
    waiting: z.number().int(),
    handling: z.number().int(),
    open: z.number().int(),
    escalated: z.number().int(),
    /** open reports whose push did not reach the caller: flagged in red */
    unpushedToMe: z.array(z.object({ id: z.string(), kind: z.string(), createdAt: InstantSchema })),
  }),
  unreachableHelpers: z.object({
    /** false when the reminders data is not there yet (the list is then empty) */
    available: z.boolean(),
    items: z.array(z.object({ helperId: z.string(), displayName: z.string(), reason: z.string() })),
  }),
  disputedContacts: z.object({
    count: z.number().int(),
    recent: z.array(
      z.object({
        logId: z.string(),
        childId: z.string(),
        helperName: z.string(),
        duty: z.enum(DUTIES),
        occurredAt: InstantSchema,
        disputedAt: InstantSchema,
      }),
    ),
  }),
  /** needs without a live measure in scope */
  unmetNeeds: z.number().int(),
})

export const STATS_ACTIONS = {
  'stats.compliance': { input: StatsComplianceInput, output: StatsComplianceOutput },
  'stats.home': { input: StatsHomeInput, output: StatsHomeOutput },
} as const satisfies ActionSpecs

// ------------------------------------------------------------------------------- assembling the dashboard (pure)

/** The facts the dashboard is computed from (src/server/actions/stats.ts gathers them in a few reads). */
export type ComplianceFacts = {
  villages: ReadonlyArray<{ id: string; name: string }>
  /** each village's supervision rollup (src/core/rollups.ts): children, needs, measures, duties, logs */
  rollups: ReadonlyMap<string, Counters>
  reports: ReadonlyArray<{
    villageId: string
    status: 'reported' | 'received' | 'handling' | 'closed'
    createdAt: Date
    closedAt: Date | null
  }>
}

function emptyDuties(): Record<Duty, DutyCounts> {
  const out = {} as Record<Duty, DutyCounts>
  for (const d of DUTIES) out[d] = { due: 0, done: 0, open: 0, overdue: 0, rate: null }
  return out
}

/** Adds one row of duty counts into a sum (its rates recomputed). */
function addDuties(sum: Record<Duty, DutyCounts>, row: Record<Duty, DutyCounts>): void {
  for (const d of DUTIES) {
    sum[d].due += row[d].due
    sum[d].done += row[d].done
    sum[d].open += row[d].open
    sum[d].overdue += row[d].overdue
    sum[d].rate = dutyRate(sum[d])
  }
}

/** One village's duty counts for one dashboard period, from its rollup. Pure. */
export function dutyCountsFor(
  p: Period,
  counters: Counters,
  cadence: CadenceConfig,
  now: Date,
): Record<Duty, DutyCounts> {
  const out = emptyDuties()
  for (const d of DUTIES) {
    const kind = cadence[d].period
    if (kind !== 'month' && kind !== 'quarter') continue
    const c = out[d]
    for (const q of dutyPeriodsIn(p, kind)) {
      if (q.start.getTime() > now.getTime()) continue // a period not begun yet owes nothing yet
      const due = owedIn(counters, d, q.key)
      const done = Math.min(due, counters[ROLLUP_KEYS.done(d, q.key)] ?? 0)
      c.due += due
      c.done += done
      if (q.end.getTime() <= now.getTime()) c.overdue += due - done
      else c.open += due - done
    }
    c.rate = dutyRate(c)
  }
  return out
}

/** Logs that occurred in the period's months, and how many a guardian confirmed or disputed. */
function contactsIn(
  p: Period,
  counters: Counters,
): { total: number; confirmed: number; disputed: number } {
  const out = { total: 0, confirmed: 0, disputed: 0 }
  for (const { key } of dutyPeriodsIn(p, 'month')) {
    out.total += counters[ROLLUP_KEYS.logs(key)] ?? 0
    out.confirmed += counters[ROLLUP_KEYS.confirmed(key)] ?? 0
    out.disputed += counters[ROLLUP_KEYS.disputed(key)] ?? 0
  }
  return out
}

function median(values: number[]): number | null {
  if (values.length === 0) return null
  const s = [...values].sort((a, b) => a - b)
  const mid = Math.floor(s.length / 2)
  const m = s.length % 2 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2
  return Math.round(m * 10) / 10
}

function share(part: number, whole: number): number | null {
  return whole === 0 ? null : Math.round((part / whole) * 1000) / 1000
}

const HOUR = 3_600_000

/** The whole dashboard from its facts. Pure: the handler only gathers the facts. */
export function buildCompliance(
  p: Period,
  facts: ComplianceFacts,
  cadence: CadenceConfig,
  now: Date,
  trendCount = 6,
): Omit<StatsComplianceResult, 'asOf' | 'scoreRule'> {
  const inP = (t: Date) => t.getTime() >= p.start.getTime() && t.getTime() < p.end.getTime()

  const villages: VillageStats[] = facts.villages.map((v) => {
    const counters = facts.rollups.get(v.id) ?? {}
    const byCategory = {} as Record<Category, number>
    for (const c of CATEGORIES) byCategory[c] = counters[ROLLUP_KEYS.category(c)] ?? 0
    const { total, confirmed, disputed } = contactsIn(p, counters)
    const reports = facts.reports.filter((r) => r.villageId === v.id)
    const closedInP = reports.filter((r) => r.closedAt && inP(r.closedAt))
    const unmetByKind = {} as Record<MeasureKind, number>
    let needsTotal = 0
    let unmet = 0
    for (const k of MEASURE_KINDS) {
      const need = counters[ROLLUP_KEYS.need(k)] ?? 0
      needsTotal += need
      unmetByKind[k] = Math.max(0, need - (counters[ROLLUP_KEYS.liveMeasure(k)] ?? 0))
      unmet += unmetByKind[k]
    }
    return {
      villageId: v.id,
      villageName: v.name,
      children: { total: counters[ROLLUP_KEYS.children] ?? 0, byCategory },
      duties: dutyCountsFor(p, counters, cadence, now),
      contacts: { total, confirmed, disputed, confirmedShare: share(confirmed, total) },
      reports: {
        raised: reports.filter((r) => inP(r.createdAt)).length,
        open: reports.filter((r) => r.status !== 'closed').length,
        escalated: reports.filter(
          (r) => r.status === 'reported' && now.getTime() - r.createdAt.getTime() >= 24 * HOUR,
        ).length,
        closed: closedInP.length,
        medianHandlingHours: median(
          closedInP.map((r) => ((r.closedAt as Date).getTime() - r.createdAt.getTime()) / HOUR),
        ),
      },
      needs: { total: needsTotal, unmet, unmetByKind },
    }
  })

  const total = sumVillages(villages, facts, p)
  const trend = trendPeriods(p, trendCount).map((q): TrendPoint => {
    const sum = emptyDuties()
    const contacts = { total: 0, confirmed: 0 }
    for (const v of facts.villages) {
      const counters = facts.rollups.get(v.id) ?? {}
      const row = dutyCountsFor(q, counters, cadence, now)
      const c = contactsIn(q, counters)
      contacts.total += c.total
      contacts.confirmed += c.confirmed
      addDuties(sum, row)
    }
    const due = DUTIES.reduce((s, d) => s + sum[d].due, 0)
    const done = DUTIES.reduce((s, d) => s + sum[d].done, 0)
    return {
      periodKey: q.key,
      duties: sum,
      rate: dutyRate({ due, done }),
      confirmedShare: share(contacts.confirmed, contacts.total),
    }
  })
  return {
    period: {
      kind: p.kind === 'quarter' ? 'quarter' : 'month',
      key: p.key,
      start: p.start,
      end: p.end,
    },
    villages,
    total,
    trend,
    ranking: rankVillages(villages),
  }
}

function sumVillages(
  villages: readonly VillageStats[],
  facts: ComplianceFacts,
  p: Period,
): VillageStats {
  const byCategory = {} as Record<Category, number>
  for (const c of CATEGORIES)
    byCategory[c] = villages.reduce((s, v) => s + v.children.byCategory[c], 0)
  const duties = emptyDuties()
  for (const v of villages) addDuties(duties, v.duties)
  const sum = (f: (v: VillageStats) => number) => villages.reduce((s, v) => s + f(v), 0)
  const unmetByKind = {} as Record<MeasureKind, number>
  for (const k of MEASURE_KINDS) unmetByKind[k] = sum((v) => v.needs.unmetByKind[k])
  const inP = (t: Date) => t.getTime() >= p.start.getTime() && t.getTime() < p.end.getTime()
  const ids = new Set(villages.map((v) => v.villageId))
  const closed = facts.reports.filter((r) => ids.has(r.villageId) && r.closedAt && inP(r.closedAt))
  const confirmed = sum((v) => v.contacts.confirmed)
  const totalLogs = sum((v) => v.contacts.total)
  return {
    villageId: null,
    villageName: villages.length === 1 ? (villages[0]?.villageName ?? '') : '合计',
    children: { total: sum((v) => v.children.total), byCategory },
    duties,
    contacts: {
      total: totalLogs,
      confirmed,
      disputed: sum((v) => v.contacts.disputed),
      confirmedShare: share(confirmed, totalLogs),
    },
    reports: {
      raised: sum((v) => v.reports.raised),
      open: sum((v) => v.reports.open),
      escalated: sum((v) => v.reports.escalated),
      closed: closed.length,
      medianHandlingHours: median(
        closed.map((r) => ((r.closedAt as Date).getTime() - r.createdAt.getTime()) / HOUR),
      ),
    },
    needs: { total: sum((v) => v.needs.total), unmet: sum((v) => v.needs.unmet), unmetByKind },
  }
}
