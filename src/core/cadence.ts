// The "three ones" (三个一) cadence engine: which duties a child is owed, in which period, and their status.
//
// Pure: the caller passes the child's pairings, archive date, latest logs, the cadence and `now`.
// Every rule below is stated, with its reason, in docs/cadence.md.
import * as z from 'zod'
import {
  chinaDayDiff,
  inPeriod,
  InstantSchema,
  nextPeriod,
  PERIOD_KINDS,
  PERIOD_MIN_DAYS,
  PeriodSchema,
  periodOf,
  previousPeriod,
  type Period,
} from './time'

export const DUTIES = ['guardian_contact', 'companionship', 'home_visit'] as const
export type Duty = (typeof DUTIES)[number]

export const DUTY_LABELS: Record<Duty, string> = {
  guardian_contact: '联系监护人',
  companionship: '情感陪伴',
  home_visit: '上门走访',
}

export const DUTY_STATUSES = ['done', 'open', 'due_soon', 'overdue'] as const
export type DutyStatus = (typeof DUTY_STATUSES)[number]

export const DUTY_STATUS_LABELS: Record<DutyStatus, string> = {
  done: '已完成',
  open: '待完成',
  due_soon: '即将到期',
  overdue: '逾期',
}

/** Shown where a duty is not owed this period (child archived, unpaired, or paired too late in it). */
export const NOT_OWED_LABEL = '本期不考核'

export const DutyCadenceSchema = z
  .object({
    period: z.enum(PERIOD_KINDS),
    /** due_soon when at most this many China calendar days of the period remain, today included */
    dueSoonDays: z.number().int().min(0),
    /** a period the child entered unpaired is owed only if the pairing left at least this many days of it */
    firstPeriodMinDays: z.number().int().min(1),
  })
  .strict()
  .superRefine((c, ctx) => {
    // Otherwise a duty would be due_soon from the first day of every period and never `open`.
    if (c.dueSoonDays >= PERIOD_MIN_DAYS[c.period]) {
      ctx.addIssue({
        code: 'custom',
        path: ['dueSoonDays'],
        message: `提前提醒天数应少于${PERIOD_MIN_DAYS[c.period]}天`,
      })
    }
    // Otherwise a pairing made after a period began could never owe that period, which is allowed
    // by the rule but almost certainly a typo in the settings.
    if (c.firstPeriodMinDays > PERIOD_MIN_DAYS[c.period]) {
      ctx.addIssue({
        code: 'custom',
        path: ['firstPeriodMinDays'],
        message: `首期最少天数不应超过${PERIOD_MIN_DAYS[c.period]}天`,
      })
    }
  })
export type DutyCadence = z.infer<typeof DutyCadenceSchema>

/** The cadence is configuration: a township and a school deployment differ only in this value. */
export const CadenceConfigSchema = z
  .object({
    guardian_contact: DutyCadenceSchema,
    companionship: DutyCadenceSchema,
    home_visit: DutyCadenceSchema,
  })
  .strict()
export type CadenceConfig = z.infer<typeof CadenceConfigSchema>

/** The township plan (BRIEF.md): contact monthly, companionship and home visit quarterly. */
export const DEFAULT_CADENCE: CadenceConfig = {
  guardian_contact: { period: 'month', dueSoonDays: 7, firstPeriodMinDays: 10 },
  companionship: { period: 'quarter', dueSoonDays: 7, firstPeriodMinDays: 30 },
  home_visit: { period: 'quarter', dueSoonDays: 7, firstPeriodMinDays: 30 },
}

/**
 * A school deployment, from the school variants of the programme text: the class teacher phones the
 * family every two weeks (班主任每两周同家长通一次电话) and talks with the child every week
 * (每周同留守儿童交谈一次); home visits stay quarterly. A school that contacts relatives weekly
 * (每周同其亲戚联系一次) sets guardian_contact to { period: 'week', dueSoonDays: 2, firstPeriodMinDays: 3 }.
 */
export const SCHOOL_CADENCE_EXAMPLE: CadenceConfig = {
  guardian_contact: { period: 'biweek', dueSoonDays: 3, firstPeriodMinDays: 5 },
  companionship: { period: 'week', dueSoonDays: 2, firstPeriodMinDays: 3 },
  home_visit: { period: 'quarter', dueSoonDays: 7, firstPeriodMinDays: 30 },
}

/** One pairing of the child, whoever the helper; `end` null while it is active. */
export const PairingSpanSchema = z.object({
  helperId: z.string(),
  start: InstantSchema,
  end: InstantSchema.nullable(),
})
export type PairingSpan = z.infer<typeof PairingSpanSchema>

/**
 * A contact log, reduced to what the engine reads. The engine needs only the latest log of each
 * duty not after `now`, so a caller may pass "last log per duty" kept on the child instead of all logs.
 */
export const DutyLogSchema = z.object({
  duty: z.enum(DUTIES),
  occurredAt: InstantSchema,
})
export type DutyLog = z.infer<typeof DutyLogSchema>

export type CadenceInput = {
  /** every pairing the child ever had, any order, any helper */
  pairings: readonly PairingSpan[]
  /** when the child left the programme, or null */
  archivedAt: Date | null
  logs: readonly DutyLog[]
  cadence: CadenceConfig
  now: Date
}

export const DutyStateSchema = z.object({
  duty: z.enum(DUTIES),
  /** the period containing `now` */
  period: PeriodSchema,
  /** false: nothing is owed this period (archived, unpaired at its end, or paired too late in it) */
  owed: z.boolean(),
  /** null exactly when not owed */
  status: z.enum(DUTY_STATUSES).nullable(),
  /** the latest log of this duty not after now, in any period, by any helper */
  lastLogAt: InstantSchema.nullable(),
  /** end of the current period (exclusive) when owed */
  dueAt: InstantSchema.nullable(),
  /** end of the first owed period, from the current one on, that still needs a log */
  nextDueAt: InstantSchema.nullable(),
  /** when overdue: end of the earliest of the consecutive missed periods */
  overdueSince: InstantSchema.nullable(),
  /** owed periods in a row that ended without a log since the latest log (0 once the current one is done) */
  missedPeriods: z.number().int().min(0),
})
export type DutyState = z.infer<typeof DutyStateSchema>

export type DutyStates = Record<Duty, DutyState>

/** The status of each of the three duties of one child at `now`. */
export function assessDuties(input: CadenceInput): DutyStates {
  return {
    guardian_contact: assessDuty('guardian_contact', input),
    companionship: assessDuty('companionship', input),
    home_visit: assessDuty('home_visit', input),
  }
}

/**
 * The date a pairing sorts and is reminded by: the earliest due date among its duties that still
 * need a log. An overdue duty counts with the end of its first missed period (a past date), so
 * overdue pairings come first in an ascending index. Null when nothing is owed now or next period.
 */
export function pairingNextDueAt(states: DutyStates): Date | null {
  let earliest: Date | null = null
  for (const duty of DUTIES) {
    const s = states[duty]
    const due = s.overdueSince ?? s.nextDueAt
    if (due && (!earliest || due.getTime() < earliest.getTime())) earliest = due
  }
  return earliest
}

/** Escalation ("overdue for two periods in a row"): overdue now, and at least `periods` missed. */
export function needsEscalation(state: DutyState, periods = 2): boolean {
  return state.status === 'overdue' && state.missedPeriods >= periods
}

/**
 * Whether a period is owed for a duty:
 *  1. the child is not archived before the period ends;
 *  2. the child has an active pairing at the period's end (whoever the helper);
 *  3. the child was already paired when the period began, or the first pairing inside it left at
 *     least `firstPeriodMinDays` China calendar days of it (its start day counted).
 */
export function isPeriodOwed(
  period: Period,
  pairings: readonly PairingSpan[],
  archivedAt: Date | null,
  firstPeriodMinDays: number,
): boolean {
  const start = period.start.getTime()
  const end = period.end.getTime()
  if (archivedAt && archivedAt.getTime() < end) return false
  // A pairing ending exactly at the period end covered the whole period.
  if (
    !pairings.some((p) => p.start.getTime() < end && (p.end === null || p.end.getTime() >= end))
  ) {
    return false
  }
  const pairedAtStart = pairings.some(
    (p) => p.start.getTime() <= start && (p.end === null || p.end.getTime() > start),
  )
  if (pairedAtStart) return true
  let firstPaired = end
  for (const p of pairings) {
    const s = p.start.getTime()
    if (s >= start && s < end && s < firstPaired && (p.end === null || p.end.getTime() > s)) {
      firstPaired = s
    }
  }
  return chinaDayDiff(new Date(firstPaired), period.end) >= firstPeriodMinDays
}

function assessDuty(duty: Duty, input: CadenceInput): DutyState {
  const { pairings, archivedAt, cadence, now } = input
  const cfg = cadence[duty]
  const owed = (p: Period) => isPeriodOwed(p, pairings, archivedAt, cfg.firstPeriodMinDays)

  // Logs dated after `now` are ignored: they are data-entry errors or a clock that moved back.
  let lastLogAt: Date | null = null
  for (const log of input.logs) {
    if (log.duty !== duty || log.occurredAt.getTime() > now.getTime()) continue
    if (!lastLogAt || log.occurredAt.getTime() > lastLogAt.getTime()) lastLogAt = log.occurredAt
  }

  const current = periodOf(cfg.period, now)
  const currentOwed = owed(current)
  const currentLogged = lastLogAt !== null && inPeriod(current, lastLogAt)

  // Walk back from the period just ended. Every period after the last log's period has no log
  // (there is no later log), so the walk stops at that period or at the first period not owed.
  let missedPeriods = 0
  let earliestMissed: Period | null = null
  for (let p = previousPeriod(current); ; p = previousPeriod(p)) {
    if (lastLogAt && lastLogAt.getTime() >= p.start.getTime()) break
    if (!owed(p)) break
    missedPeriods += 1
    earliestMissed = p
  }

  const next = nextPeriod(current)
  const nextDueAt = currentOwed && !currentLogged ? current.end : owed(next) ? next.end : null

  if (!currentOwed) {
    return {
      duty,
      period: current,
      owed: false,
      status: null,
      lastLogAt,
      dueAt: null,
      nextDueAt,
      overdueSince: null,
      missedPeriods,
    }
  }

  let status: DutyStatus
  if (currentLogged) status = 'done'
  else if (missedPeriods > 0) status = 'overdue'
  else if (chinaDayDiff(now, current.end) <= cfg.dueSoonDays) status = 'due_soon'
  else status = 'open'

  return {
    duty,
    period: current,
    owed: true,
    status,
    lastLogAt,
    dueAt: current.end,
    nextDueAt,
    overdueSince: status === 'overdue' && earliestMissed ? earliestMissed.end : null,
    missedPeriods,
  }
}
