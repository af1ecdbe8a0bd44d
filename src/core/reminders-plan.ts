// What the daily reminder sweep says to whom: triggers, digests and escalations from stored duty states. Pure.
//
// A reminder is owed on a *trigger*: a (period, stage) pair a duty has reached, e.g. ('2026-03', due_2)
// when two days of March are left (today included) and a child's guardian contact is still open, or
// ('2026-02', overdue) in the first days of March for a contact February missed. A recipient gets one
// message per run covering all their new triggers; the outbox remembers which triggers a message
// covered, so a trigger is announced once however many runs (or retries) see it.
import {
  DUTIES,
  DUTY_LABELS,
  needsEscalation,
  type CadenceConfig,
  type Duty,
  type DutyStates,
} from './cadence'
import { givenName } from './masking'
import type { SweepConfig, TemplateKey } from './subscriptions-config'
import {
  chinaDate,
  chinaDayDiff,
  chinaDayNumber,
  lastDayOf,
  periodOf,
  previousPeriod,
  type Period,
} from './time'

export type Stage = `due_${number}` | 'overdue' | 'summary' | 'urgent'

export type Trigger = {
  periodKey: string
  stage: Stage
  /** when the period ends (orders triggers: the earliest period first) */
  periodEnd: Date
}

export type ChildDuties = {
  childId: string
  childName: string
  villageId: string
  states: DutyStates
}

/** Days of a period left on `now`'s China day, today included (the cadence's `dueSoonDays` count). */
export function daysLeft(period: Period, now: Date): number {
  return chinaDayDiff(now, period.end)
}

/**
 * The soon stage a period has reached: the smallest configured stage ≥ days left, announced from that
 * day until the next smaller stage (so a missed run catches up the next day). Null when none applies.
 */
export function soonStage(left: number, stages: readonly number[]): number | null {
  const sorted = [...stages].sort((a, b) => a - b)
  for (const s of sorted) if (left >= 1 && left <= s) return s
  return null
}

/** Whether `now` is in the first `catchUpDays` China days of the period that contains it. */
export function earlyInPeriod(period: Period, now: Date, catchUpDays: number): boolean {
  return chinaDayDiff(period.start, now) < catchUpDays
}

const STAGE_RANK = (s: Stage): number =>
  s === 'urgent' ? 0 : s === 'overdue' ? 1 : s === 'summary' ? 2 : 2 + Number(s.slice(4))

/** Most urgent first: overdue before soon stages (smaller first), then the earliest period, then key. */
export function compareTriggers(a: Trigger, b: Trigger): number {
  return (
    STAGE_RANK(a.stage) - STAGE_RANK(b.stage) ||
    a.periodEnd.getTime() - b.periodEnd.getTime() ||
    (a.periodKey < b.periodKey ? -1 : a.periodKey > b.periodKey ? 1 : 0)
  )
}

/** The deterministic outbox key of one (recipient, template, period, stage). */
export function triggerKey(recipientId: string, template: TemplateKey, t: Trigger): string {
  return `${recipientId}|${template}|${t.periodKey}|${t.stage}`
}

type DutyFinding = {
  duty: Duty
  trigger: Trigger | null
  /** owed this period and not logged in it yet */
  open: boolean
  overdue: boolean
  justOverdue: Trigger | null
  escalate: boolean
}

function findDuty(
  states: DutyStates,
  duty: Duty,
  now: Date,
  sweep: SweepConfig,
): DutyFinding | null {
  const s = states[duty]
  if (!s.owed || s.status === 'done' || s.status === null) return null
  const open = true
  const overdue = s.status === 'overdue'
  const left = daysLeft(s.period, now)
  const stage = soonStage(left, sweep.dueSoonStages)
  const trigger: Trigger | null =
    stage === null
      ? null
      : { periodKey: s.period.key, stage: `due_${stage}`, periodEnd: s.period.end }
  let justOverdue: Trigger | null = null
  if (overdue && earlyInPeriod(s.period, now, sweep.overdueCatchUpDays)) {
    const missed = previousPeriod(s.period)
    justOverdue = { periodKey: missed.key, stage: 'overdue', periodEnd: missed.end }
  }
  return {
    duty,
    trigger,
    open,
    overdue,
    justOverdue,
    escalate: justOverdue !== null && needsEscalation(s, sweep.escalateAfterPeriods),
  }
}

export type HelperDigest = {
  triggers: Trigger[]
  /** children with an owed duty not done this period */
  children: number
  overdueChildren: number
  /** the duties those children still need, in the programme's order */
  duties: Duty[]
  /** last China day of the earliest period still needing a log, 'YYYY-MM-DD' */
  dueBy: string | null
  daysLeft: number | null
  /** given name of the most urgent child (a message never carries a full name) */
  firstGivenName: string | null
}

export type ChildOverdue = {
  childId: string
  villageId: string
  triggers: Trigger[]
  /** the helper missed this child's duty for `escalateAfterPeriods` periods in a row */
  escalate: boolean
}

export type HelperFindings = {
  digest: HelperDigest
  /** children whose duty became overdue in the catch-up window (officers' overdue digests) */
  overdue: ChildOverdue[]
  escalate: boolean
}

/** Everything the sweep concludes about one helper from their children's duty states at `now`. */
export function assessHelper(
  children: readonly ChildDuties[],
  now: Date,
  sweep: SweepConfig,
): HelperFindings {
  const triggers = new Map<string, Trigger>()
  const duties = new Set<Duty>()
  const overdue: ChildOverdue[] = []
  let count = 0
  let overdueChildren = 0
  let escalate = false
  let earliest: { end: Date; period: Period; name: string; overdue: boolean } | null = null
  for (const c of children) {
    const findings = DUTIES.map((d) => findDuty(c.states, d, now, sweep)).filter(
      (f): f is DutyFinding => f !== null,
    )
    if (findings.length === 0) continue
    count += 1
    const childOverdue = findings.some((f) => f.overdue)
    if (childOverdue) overdueChildren += 1
    const childTriggers: Trigger[] = []
    let childEscalate = false
    for (const f of findings) {
      duties.add(f.duty)
      for (const t of [f.trigger, f.justOverdue]) {
        if (t) triggers.set(`${t.periodKey}|${t.stage}`, t)
      }
      if (f.justOverdue) childTriggers.push(f.justOverdue)
      if (f.escalate) childEscalate = true
      const period = c.states[f.duty].period
      const better =
        !earliest ||
        (f.overdue && !earliest.overdue) ||
        (f.overdue === earliest.overdue && period.end.getTime() < earliest.end.getTime())
      if (better) earliest = { end: period.end, period, name: c.childName, overdue: f.overdue }
    }
    if (childTriggers.length > 0) {
      overdue.push({
        childId: c.childId,
        villageId: c.villageId,
        triggers: childTriggers,
        escalate: childEscalate,
      })
    }
    if (childEscalate) escalate = true
  }
  const e = earliest as { period: Period; name: string } | null
  return {
    digest: {
      triggers: [...triggers.values()].sort(compareTriggers),
      children: count,
      overdueChildren,
      duties: DUTIES.filter((d) => duties.has(d)),
      dueBy: e ? lastDayOf(e.period) : null,
      daysLeft: e ? daysLeft(e.period, now) : null,
      firstGivenName: e ? givenName(e.name) : null,
    },
    overdue,
    escalate,
  }
}

// ------------------------------------------------------------------------------- message values

/** The helper's digest as message roles (summary, dueBy, stage, note); fitted to keywords later. */
export function helperDigestValues(d: HelperDigest, primary: Trigger): Record<string, string> {
  const what = d.duties.length === 1 ? `待${DUTY_LABELS[d.duties[0] as Duty]}` : '有帮扶任务待完成'
  const summary = `${d.children}名儿童${what}`
  const note =
    d.overdueChildren > 0
      ? `其中${d.overdueChildren}名已逾期，请尽快补做`
      : `${d.firstGivenName ?? ''}等还剩${d.daysLeft ?? 0}天，请及时完成`
  return {
    summary,
    dueBy: d.dueBy ?? '',
    stage: primary.stage === 'overdue' ? '已逾期' : '即将到期',
    note,
  }
}

/** Why a helper is messaged, for officers reading the outbox (Chinese, no child names). */
export function helperDigestReason(d: HelperDigest): string {
  const parts = d.triggers.map((t) =>
    t.stage === 'overdue'
      ? `${t.periodKey}已逾期`
      : `${t.periodKey}还剩${t.stage.slice(4)}天内到期`,
  )
  return `${d.children}名儿童待完成（${parts.join('、')}）`
}

export type VillageTally = {
  villageId: string
  villageName: string
  /** children whose duty became overdue in the catch-up window */
  overdueChildren: number
  /** names of helpers escalated (overdue periods in a row) */
  escalated: string[]
  /** children paired now (summary days only; null otherwise) */
  paired: number | null
}

/** Human period label: '2026年3月', '2026年第1季度'. */
export function periodLabel(periodKey: string): string {
  const m = /^(\d{4})-(\d{2})$/.exec(periodKey)
  if (m) return `${m[1]}年${Number(m[2])}月`
  const q = /^(\d{4})-Q(\d)$/.exec(periodKey)
  if (q) return `${q[1]}年第${q[2]}季度`
  return periodKey
}

function stagePhrase(triggers: readonly Trigger[]): string {
  if (triggers.some((t) => t.stage === 'summary'))
    return triggers.some((t) => t.stage === 'summary' && t.periodKey.includes('Q'))
      ? '季度汇总'
      : '月度汇总'
  return '逾期通报'
}

/** The village officer's digest: their village's newly overdue children and escalated helpers by name. */
export function villageOfficerValues(
  tally: VillageTally,
  triggers: readonly Trigger[],
): Record<string, string> {
  const summaryDay = triggers.some((t) => t.stage === 'summary')
  const summary =
    tally.overdueChildren === 0
      ? '上期帮扶任务全部按时完成'
      : summaryDay && tally.paired !== null
        ? `上期逾期${tally.overdueChildren}人，在帮${tally.paired}人`
        : `${tally.overdueChildren}名儿童上期帮扶任务逾期`
  const note =
    tally.escalated.length > 0
      ? `${tally.escalated.join('、')}连续两期未完成`
      : tally.overdueChildren > 0
        ? '请督促帮扶人尽快补做'
        : '感谢各位帮扶人'
  return {
    summary,
    period: periodLabel(primaryPeriod(triggers)),
    stage: stagePhrase(triggers),
    note,
  }
}

/** The township officer's digest: per-village counts (most first), escalations counted. */
export function townshipOfficerValues(
  tallies: readonly VillageTally[],
  triggers: readonly Trigger[],
): Record<string, string> {
  const withOverdue = tallies
    .filter((t) => t.overdueChildren > 0)
    .sort(
      (a, b) => b.overdueChildren - a.overdueChildren || (a.villageName < b.villageName ? -1 : 1),
    )
  const summary =
    withOverdue.length === 0
      ? '各村上期帮扶任务全部完成'
      : withOverdue.map((t) => `${t.villageName}${t.overdueChildren}人`).join(' ')
  const escalated = tallies.reduce((n, t) => n + t.escalated.length, 0)
  const total = withOverdue.reduce((n, t) => n + t.overdueChildren, 0)
  return {
    summary,
    period: periodLabel(primaryPeriod(triggers)),
    stage: stagePhrase(triggers),
    note:
      escalated > 0 ? `共逾期${total}人，${escalated}名帮扶人连续两期未完成` : `共逾期${total}人`,
  }
}

function primaryPeriod(triggers: readonly Trigger[]): string {
  const sorted = [...triggers].sort(
    (a, b) => a.periodEnd.getTime() - b.periodEnd.getTime() || (a.periodKey < b.periodKey ? -1 : 1),
  )
  // A quarter closing with its last month: name the quarter (the wider summary).
  const quarter = sorted.find((t) => t.periodKey.includes('Q'))
  return (quarter ?? sorted[0])?.periodKey ?? ''
}

// ------------------------------------------------------------------------------- officer triggers

/** Monday to Friday on the China calendar (public holidays are not modelled; see docs/api-reminders.md). */
export function isWorkingDay(now: Date): boolean {
  // Day 0 (1970-01-01) was a Thursday.
  const dow = (chinaDayNumber(now) + 4) % 7 // 0 Sunday … 6 Saturday
  return dow >= 1 && dow <= 5
}

/** Whether `now` is the first working day (Mon–Fri) of its China calendar month. */
export function isFirstWorkingDayOfMonth(now: Date): boolean {
  if (!isWorkingDay(now)) return false
  const month = periodOf('month', now)
  for (let d = new Date(month.start.getTime()); d < now; d = new Date(d.getTime() + 86_400_000)) {
    if (chinaDate(d) === chinaDate(now)) break
    if (isWorkingDay(d)) return false
  }
  return true
}

/**
 * The summary triggers of `now`: on the first working day of a month, the month just closed; when that
 * month also opens a quarter, the quarter just closed too.
 */
export function summaryTriggers(now: Date, cadence: CadenceConfig): Trigger[] {
  if (!isFirstWorkingDayOfMonth(now)) return []
  const kinds = new Set(DUTIES.map((d) => cadence[d].period))
  const out: Trigger[] = []
  for (const kind of kinds) {
    const current = periodOf(kind, now)
    // Only when this month opens the period (a quarter's summary comes with its first month).
    if (periodOf('month', now).start.getTime() !== current.start.getTime()) continue
    const closed = previousPeriod(current)
    out.push({ periodKey: closed.key, stage: 'summary', periodEnd: closed.end })
  }
  return out.sort(compareTriggers)
}
