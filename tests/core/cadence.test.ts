// The "three ones" cadence engine: what a child is owed, per duty and period, and its status.
import { describe, expect, it } from 'vitest'
import {
  assessDuties,
  CadenceConfigSchema,
  DEFAULT_CADENCE,
  DUTIES,
  DUTY_LABELS,
  DUTY_STATUS_LABELS,
  DUTY_STATUSES,
  DutyStateSchema,
  isPeriodOwed,
  needsEscalation,
  pairingNextDueAt,
  SCHOOL_CADENCE_EXAMPLE,
  type CadenceConfig,
  type Duty,
  type DutyLog,
  type DutyState,
  type DutyStatus,
  type PairingSpan,
} from '../../src/core/cadence'
import { fromChinaDate, parsePeriodKey } from '../../src/core/time'

/** An instant written as China wall-clock time: '2026-03-31T23:59' or a bare date (midnight). */
const cn = (s: string) => (s.length === 10 ? fromChinaDate(s) : new Date(`${s}+08:00`))

const paired = (start: string, end: string | null = null, helperId = 'helper-a'): PairingSpan => ({
  helperId,
  start: cn(start),
  end: end === null ? null : cn(end),
})

/** A child paired long before any case below, so earlier periods are owed. */
const LONG_AGO = paired('2025-06-01T09:00')

type Given = {
  pairings?: PairingSpan[]
  archivedAt?: string
  logs?: Array<[Duty, string]>
  cadence?: CadenceConfig
}

function whenAssessed(given: Given, now: string) {
  return assessDuties({
    pairings: given.pairings ?? [LONG_AGO],
    archivedAt: given.archivedAt ? cn(given.archivedAt) : null,
    logs: (given.logs ?? []).map(([duty, at]): DutyLog => ({ duty, occurredAt: cn(at) })),
    cadence: given.cadence ?? DEFAULT_CADENCE,
    now: cn(now),
  })
}

type Then = {
  owed?: boolean
  status: DutyStatus | null
  missed?: number
  period?: string
  /** China dates of the (exclusive) ends, i.e. the midnight after the last day */
  dueAt?: string | null
  nextDueAt?: string | null
  overdueSince?: string | null
}

function expectState(state: DutyState, then: Then) {
  expect(state.status).toBe(then.status)
  expect(state.owed).toBe(then.owed ?? then.status !== null)
  if (then.missed !== undefined) expect(state.missedPeriods).toBe(then.missed)
  if (then.period !== undefined) expect(state.period.key).toBe(then.period)
  const instant = (s: string | null) => (s === null ? null : cn(s).getTime())
  if (then.dueAt !== undefined) expect(state.dueAt?.getTime() ?? null).toBe(instant(then.dueAt))
  if (then.nextDueAt !== undefined) {
    expect(state.nextDueAt?.getTime() ?? null).toBe(instant(then.nextDueAt))
  }
  if (then.overdueSince !== undefined) {
    expect(state.overdueSince?.getTime() ?? null).toBe(instant(then.overdueSince))
  }
}

type Case = [name: string, duty: Duty, given: Given, now: string, then: Then]

describe('status of a duty (township cadence: contact monthly, visits quarterly, due soon 7 days)', () => {
  it.each<Case>([
    [
      'a contact logged this month is done, and next due at the end of next month',
      'guardian_contact',
      { logs: [['guardian_contact', '2026-03-05T10:00']] },
      '2026-03-20T09:00',
      {
        status: 'done',
        missed: 0,
        period: '2026-03',
        dueAt: '2026-04-01',
        nextDueAt: '2026-05-01',
      },
    ],
    [
      'a log at exactly now counts',
      'guardian_contact',
      { logs: [['guardian_contact', '2026-03-05T10:00']] },
      '2026-03-05T10:00',
      { status: 'done' },
    ],
    [
      'no log yet this month, last month done, 12 days left: open',
      'guardian_contact',
      { logs: [['guardian_contact', '2026-02-10T10:00']] },
      '2026-03-20T09:00',
      {
        status: 'open',
        missed: 0,
        dueAt: '2026-04-01',
        nextDueAt: '2026-04-01',
        overdueSince: null,
      },
    ],
    [
      '8 days left (24th–31st): still open',
      'guardian_contact',
      { logs: [['guardian_contact', '2026-02-10T10:00']] },
      '2026-03-24T23:59',
      { status: 'open' },
    ],
    [
      '7 days left (25th–31st), today counted: due soon',
      'guardian_contact',
      { logs: [['guardian_contact', '2026-02-10T10:00']] },
      '2026-03-25T00:00',
      { status: 'due_soon', dueAt: '2026-04-01' },
    ],
    [
      'the last minute of the month: due soon',
      'guardian_contact',
      { logs: [['guardian_contact', '2026-02-10T10:00']] },
      '2026-03-31T23:59',
      { status: 'due_soon' },
    ],
    [
      'last month had no contact: overdue, one period missed, overdue since the end of February',
      'guardian_contact',
      { logs: [['guardian_contact', '2026-01-15T10:00']] },
      '2026-03-05T09:00',
      {
        status: 'overdue',
        missed: 1,
        overdueSince: '2026-03-01',
        dueAt: '2026-04-01',
        nextDueAt: '2026-04-01',
      },
    ],
    [
      'two months without contact: overdue, two periods missed in a row',
      'guardian_contact',
      { logs: [['guardian_contact', '2025-12-15T10:00']] },
      '2026-03-05T09:00',
      { status: 'overdue', missed: 2, overdueSince: '2026-02-01' },
    ],
    [
      'overdue stays overdue in the last days of the month (not merely due soon)',
      'guardian_contact',
      { logs: [['guardian_contact', '2026-01-15T10:00']] },
      '2026-03-28T09:00',
      { status: 'overdue', missed: 1 },
    ],
    [
      'a missed month made up this month: done, nothing missed since the latest log',
      'guardian_contact',
      {
        logs: [
          ['guardian_contact', '2026-01-15T10:00'],
          ['guardian_contact', '2026-03-02T10:00'],
        ],
      },
      '2026-03-05T09:00',
      { status: 'done', missed: 0, overdueSince: null },
    ],
    [
      'never logged since pairing in June 2025: nine months missed, overdue since the end of June',
      'guardian_contact',
      {},
      '2026-03-05T09:00',
      { status: 'overdue', missed: 9, overdueSince: '2025-07-01' },
    ],
    [
      'a home visit logged in Q1 is done for the whole quarter',
      'home_visit',
      { logs: [['home_visit', '2026-01-03T10:00']] },
      '2026-03-20T09:00',
      { status: 'done', period: '2026-Q1', dueAt: '2026-04-01', nextDueAt: '2026-07-01' },
    ],
    [
      'companionship last logged in Q3 2025: Q4 missed, overdue in Q1',
      'companionship',
      { logs: [['companionship', '2025-09-30T18:00']] },
      '2026-01-10T09:00',
      { status: 'overdue', missed: 1, overdueSince: '2026-01-01', period: '2026-Q1' },
    ],
  ])('given %s', (_name, duty, given, now, then) => {
    expectState(whenAssessed(given, now)[duty], then)
  })

  it('given logs of other duties only, when assessed, then they do not count for this duty', () => {
    const states = whenAssessed(
      {
        logs: [
          ['home_visit', '2026-03-05T10:00'],
          ['companionship', '2026-03-06T10:00'],
          ['guardian_contact', '2026-02-06T10:00'],
        ],
      },
      '2026-03-10T09:00',
    )
    expect(states.guardian_contact.status).toBe('open')
    expect(states.home_visit.status).toBe('done')
    expect(states.companionship.status).toBe('done')
    expect(states.guardian_contact.lastLogAt?.getTime()).toBe(cn('2026-02-06T10:00').getTime())
  })
})

describe('period boundaries at midnight, China time', () => {
  it.each<Case>([
    [
      'a contact at 2026-03-31 23:59 counts for March: in April nothing is missed',
      'guardian_contact',
      { logs: [['guardian_contact', '2026-03-31T23:59']] },
      '2026-04-10T09:00',
      { status: 'open', missed: 0, period: '2026-04' },
    ],
    [
      'a contact at 2026-04-01 00:00 counts for April: in May nothing is missed',
      'guardian_contact',
      { logs: [['guardian_contact', '2026-04-01T00:00']] },
      '2026-05-10T09:00',
      { status: 'open', missed: 0, period: '2026-05' },
    ],
    [
      'a contact at 2026-04-01 00:00 is done for April',
      'guardian_contact',
      { logs: [['guardian_contact', '2026-04-01T00:00']] },
      '2026-04-01T00:00',
      { status: 'done', period: '2026-04' },
    ],
    [
      'companionship at 2026-03-31 23:59 counts for Q1: Q2 is merely open',
      'companionship',
      { logs: [['companionship', '2026-03-31T23:59']] },
      '2026-04-10T09:00',
      { status: 'open', missed: 0, period: '2026-Q2' },
    ],
    [
      'companionship at 2026-04-01 00:00 counts for Q2',
      'companionship',
      { logs: [['companionship', '2026-04-01T00:00']] },
      '2026-04-10T09:00',
      { status: 'done', period: '2026-Q2' },
    ],
    [
      'a home visit at 2025-12-31 23:59 counts for Q4 2025: Q1 2026 is open',
      'home_visit',
      { logs: [['home_visit', '2025-12-31T23:59']] },
      '2026-01-01T00:00',
      { status: 'open', missed: 0, period: '2026-Q1' },
    ],
  ])('given %s', (_name, duty, given, now, then) => {
    expectState(whenAssessed(given, now)[duty], then)
  })

  it('given a log stored as 2026-03-31T16:00Z (UTC still March), then it is April in China', () => {
    const states = assessDuties({
      pairings: [LONG_AGO],
      archivedAt: null,
      logs: [
        { duty: 'guardian_contact', occurredAt: new Date('2026-02-15T02:00:00Z') },
        { duty: 'guardian_contact', occurredAt: new Date('2026-03-31T16:00:00Z') },
      ],
      cadence: DEFAULT_CADENCE,
      now: new Date('2026-03-31T20:00:00Z'),
    })
    expect(states.guardian_contact.period.key).toBe('2026-04')
    expect(states.guardian_contact.status).toBe('done')
  })

  it('given the last contact at 23:59 on 28 February, when April begins at 00:00, then March is overdue', () => {
    const states = whenAssessed(
      { logs: [['guardian_contact', '2026-02-28T23:59']] },
      '2026-04-01T00:00',
    )
    expectState(states.guardian_contact, {
      status: 'overdue',
      missed: 1,
      overdueSince: '2026-04-01',
    })
  })
})

describe('logs dated after now', () => {
  it.each<Case>([
    [
      'a log dated later this month is ignored: still open',
      'guardian_contact',
      {
        logs: [
          ['guardian_contact', '2026-02-10T10:00'],
          ['guardian_contact', '2026-03-10T10:00'],
        ],
      },
      '2026-03-05T09:00',
      { status: 'open' },
    ],
    [
      'a log dated next month does not make up last month',
      'guardian_contact',
      {
        logs: [
          ['guardian_contact', '2026-01-10T10:00'],
          ['guardian_contact', '2026-04-02T10:00'],
        ],
      },
      '2026-03-05T09:00',
      { status: 'overdue', missed: 1 },
    ],
  ])('given %s', (_name, duty, given, now, then) => {
    const state = whenAssessed(given, now)[duty]
    expectState(state, then)
    expect(state.lastLogAt === null || state.lastLogAt.getTime() <= cn(now).getTime()).toBe(true)
  })
})

describe('a pairing that starts mid-period (first pairing of the child)', () => {
  it.each<Case>([
    [
      'paired on 22 March, 10 days left (minimum 10): March is owed',
      'guardian_contact',
      { pairings: [paired('2026-03-22T15:00')] },
      '2026-03-25T09:00',
      { status: 'due_soon', missed: 0, dueAt: '2026-04-01' },
    ],
    [
      'paired on 23 March, 9 days left: March is not owed; the first due date is the end of April',
      'guardian_contact',
      { pairings: [paired('2026-03-23T08:00')] },
      '2026-03-25T09:00',
      { status: null, owed: false, dueAt: null, nextDueAt: '2026-05-01', missed: 0 },
    ],
    [
      'paired at 00:00 on the 1st: the whole month is owed',
      'guardian_contact',
      { pairings: [paired('2026-03-01T00:00')] },
      '2026-03-02T09:00',
      { status: 'open', missed: 0 },
    ],
    [
      'paired on 23 March, seen in April: the first owed period is April, nothing missed',
      'guardian_contact',
      { pairings: [paired('2026-03-23T08:00')] },
      '2026-04-05T09:00',
      { status: 'open', missed: 0, period: '2026-04' },
    ],
    [
      'paired on 22 March and no contact in March: overdue in April',
      'guardian_contact',
      { pairings: [paired('2026-03-22T08:00')] },
      '2026-04-05T09:00',
      { status: 'overdue', missed: 1, overdueSince: '2026-04-01' },
    ],
    [
      'paired on 2 March, 30 days of Q1 left (minimum 30): Q1 home visit owed',
      'home_visit',
      { pairings: [paired('2026-03-02T08:00')] },
      '2026-03-10T09:00',
      { status: 'open', dueAt: '2026-04-01' },
    ],
    [
      'paired on 3 March, 29 days of Q1 left: Q1 home visit not owed, first due end of Q2',
      'home_visit',
      { pairings: [paired('2026-03-03T08:00')] },
      '2026-03-10T09:00',
      { status: null, owed: false, nextDueAt: '2026-07-01' },
    ],
    [
      'a log made anyway in a period not owed is kept as the last log',
      'guardian_contact',
      { pairings: [paired('2026-03-28T08:00')], logs: [['guardian_contact', '2026-03-29T10:00']] },
      '2026-03-30T09:00',
      { status: null, owed: false, nextDueAt: '2026-05-01' },
    ],
  ])('given %s', (_name, duty, given, now, then) => {
    expectState(whenAssessed(given, now)[duty], then)
  })
})

describe('a hand-over between helpers (duties belong to the child)', () => {
  const handOver = [
    paired('2025-06-01T09:00', '2026-03-20T10:00', 'helper-a'),
    paired('2026-03-20T10:00', null, 'helper-b'),
  ]

  it.each<Case>([
    [
      "the previous helper's contact earlier this month still counts",
      'guardian_contact',
      { pairings: handOver, logs: [['guardian_contact', '2026-03-05T10:00']] },
      '2026-03-25T09:00',
      { status: 'done' },
    ],
    [
      'a hand-over on 20 March: Q1 stays owed (the child was paired when Q1 began)',
      'companionship',
      { pairings: handOver, logs: [['companionship', '2025-12-01T10:00']] },
      '2026-03-25T09:00',
      { status: 'due_soon', dueAt: '2026-04-01' },
    ],
    [
      'a hand-over with a few days unpaired inside the month: the month stays owed',
      'guardian_contact',
      {
        pairings: [
          paired('2025-06-01T09:00', '2026-03-10T10:00', 'helper-a'),
          paired('2026-03-15T10:00', null, 'helper-b'),
        ],
        logs: [['guardian_contact', '2026-02-10T10:00']],
      },
      '2026-03-20T09:00',
      { status: 'open', owed: true },
    ],
    [
      'the new helper inherits a month the previous one missed',
      'guardian_contact',
      { pairings: handOver, logs: [['guardian_contact', '2026-01-10T10:00']] },
      '2026-03-25T09:00',
      { status: 'overdue', missed: 1 },
    ],
    [
      're-paired on 25 March after two months unpaired: the start rule applies again, March not owed',
      'guardian_contact',
      {
        pairings: [
          paired('2025-06-01T09:00', '2026-01-20T10:00', 'helper-a'),
          paired('2026-03-25T10:00', null, 'helper-b'),
        ],
      },
      '2026-03-26T09:00',
      { status: null, owed: false, missed: 0, nextDueAt: '2026-05-01' },
    ],
    [
      're-paired after a gap, seen in April: the unpaired months are not counted as missed',
      'guardian_contact',
      {
        pairings: [
          paired('2025-06-01T09:00', '2026-01-20T10:00', 'helper-a'),
          paired('2026-03-25T10:00', null, 'helper-b'),
        ],
      },
      '2026-04-03T09:00',
      { status: 'open', missed: 0 },
    ],
  ])('given %s', (_name, duty, given, now, then) => {
    expectState(whenAssessed(given, now)[duty], then)
  })

  it('given the same history as the hand-over but only the new pairing, then Q1 is not owed', () => {
    const states = whenAssessed({ pairings: [paired('2026-03-20T10:00')] }, '2026-03-25T09:00')
    expectState(states.companionship, { status: null, owed: false })
  })
})

describe('a pairing that ended, a child archived', () => {
  it.each<Case>([
    [
      'the only pairing ended on 10 March: nothing owed in March or after',
      'guardian_contact',
      { pairings: [paired('2025-06-01T09:00', '2026-03-10T10:00')] },
      '2026-03-20T09:00',
      { status: null, owed: false, dueAt: null, nextDueAt: null },
    ],
    [
      'a pairing that ended at 00:00 on 1 April covered March: March was owed (and missed)',
      'guardian_contact',
      {
        pairings: [paired('2025-06-01T09:00', '2026-04-01T00:00')],
        logs: [['guardian_contact', '2026-02-10T10:00']],
      },
      '2026-04-05T09:00',
      { status: null, owed: false, missed: 1, nextDueAt: null, overdueSince: null },
    ],
    [
      'archived on 15 March: nothing owed for March',
      'guardian_contact',
      { archivedAt: '2026-03-15T10:00', logs: [['guardian_contact', '2026-01-10T10:00']] },
      '2026-03-20T09:00',
      { status: null, owed: false, dueAt: null, nextDueAt: null },
    ],
    [
      'archived on 15 March: nothing owed for Q1 either',
      'home_visit',
      { archivedAt: '2026-03-15T10:00' },
      '2026-03-20T09:00',
      { status: null, owed: false },
    ],
    [
      'archived at 23:59 on 31 March: March is not owed',
      'guardian_contact',
      { archivedAt: '2026-03-31T23:59', logs: [['guardian_contact', '2026-02-10T10:00']] },
      '2026-03-31T12:00',
      { status: null, owed: false },
    ],
    [
      'archived at 00:00 on 1 April: March is still owed',
      'guardian_contact',
      { archivedAt: '2026-04-01T00:00', logs: [['guardian_contact', '2026-02-10T10:00']] },
      '2026-03-31T12:00',
      { status: 'due_soon', nextDueAt: '2026-04-01' },
    ],
    [
      'archived in April after missing March: April not owed, nothing to escalate',
      'guardian_contact',
      { archivedAt: '2026-04-03T10:00', logs: [['guardian_contact', '2026-02-10T10:00']] },
      '2026-04-10T09:00',
      { status: null, owed: false, missed: 1, overdueSince: null },
    ],
    [
      'never paired: nothing owed',
      'guardian_contact',
      { pairings: [] },
      '2026-03-20T09:00',
      { status: null, owed: false, missed: 0, nextDueAt: null },
    ],
  ])('given %s', (_name, duty, given, now, then) => {
    expectState(whenAssessed(given, now)[duty], then)
  })
})

describe('leap years', () => {
  it.each<Case>([
    [
      'a contact at 23:59 on 29 Feb 2028 counts for February',
      'guardian_contact',
      { logs: [['guardian_contact', '2028-02-29T23:59']] },
      '2028-03-05T09:00',
      { status: 'open', missed: 0, period: '2028-03' },
    ],
    [
      '23 Feb 2028: 7 days left (23rd–29th), due soon',
      'guardian_contact',
      { logs: [['guardian_contact', '2028-01-10T10:00']] },
      '2028-02-23T09:00',
      { status: 'due_soon', dueAt: '2028-03-01' },
    ],
    [
      '22 Feb 2028: 8 days left, open',
      'guardian_contact',
      { logs: [['guardian_contact', '2028-01-10T10:00']] },
      '2028-02-22T09:00',
      { status: 'open' },
    ],
    [
      '22 Feb 2027 (not a leap year): 7 days left, due soon',
      'guardian_contact',
      { logs: [['guardian_contact', '2027-01-10T10:00']] },
      '2027-02-22T09:00',
      { status: 'due_soon' },
    ],
    [
      'paired on 20 Feb 2028: 10 days left, February owed',
      'guardian_contact',
      { pairings: [paired('2028-02-20T09:00')] },
      '2028-02-25T09:00',
      { status: 'due_soon' },
    ],
    [
      'paired on 20 Feb 2027: 9 days left, February not owed',
      'guardian_contact',
      { pairings: [paired('2027-02-20T09:00')] },
      '2027-02-25T09:00',
      { status: null, owed: false, nextDueAt: '2027-04-01' },
    ],
  ])('given %s', (_name, duty, given, now, then) => {
    expectState(whenAssessed(given, now)[duty], then)
  })
})

describe('a school cadence (contact every two weeks, companionship weekly)', () => {
  const school = { cadence: SCHOOL_CADENCE_EXAMPLE }

  it.each<Case>([
    [
      'a contact in fortnight 2026-B24 (16–29 Nov): done on 25 Nov',
      'guardian_contact',
      { ...school, logs: [['guardian_contact', '2026-11-20T10:00']] },
      '2026-11-25T09:00',
      { status: 'done', period: '2026-B24', dueAt: '2026-11-30', nextDueAt: '2026-12-14' },
    ],
    [
      'the next fortnight begins on 30 Nov: open',
      'guardian_contact',
      { ...school, logs: [['guardian_contact', '2026-11-20T10:00']] },
      '2026-11-30T09:00',
      { status: 'open', period: '2026-B25' },
    ],
    [
      'no companionship in week 47: overdue in week 48',
      'companionship',
      { ...school, logs: [['companionship', '2026-11-14T10:00']] },
      '2026-11-25T09:00',
      { status: 'overdue', missed: 1, period: '2026-W48', overdueSince: '2026-11-23' },
    ],
    [
      'Saturday, 2 days of the week left: due soon',
      'companionship',
      { ...school, logs: [['companionship', '2026-11-18T10:00']] },
      '2026-11-28T09:00',
      { status: 'due_soon' },
    ],
    [
      'home visits stay quarterly',
      'home_visit',
      { ...school, logs: [['home_visit', '2026-10-18T10:00']] },
      '2026-11-28T09:00',
      { status: 'done', period: '2026-Q4' },
    ],
  ])('given %s', (_name, duty, given, now, then) => {
    expectState(whenAssessed(given, now)[duty], then)
  })
})

describe('pairingNextDueAt (the date a pairing is indexed and reminded by)', () => {
  it.each<[string, Given, string, string | null]>([
    [
      'everything done: the earliest next period end (contact, end of April)',
      {
        logs: [
          ['guardian_contact', '2026-03-05T10:00'],
          ['companionship', '2026-02-05T10:00'],
          ['home_visit', '2026-01-05T10:00'],
        ],
      },
      '2026-03-20T09:00',
      '2026-05-01',
    ],
    [
      'contact done, visits still open this quarter: the end of Q1',
      {
        logs: [
          ['guardian_contact', '2026-03-05T10:00'],
          ['companionship', '2025-12-05T10:00'],
          ['home_visit', '2025-11-05T10:00'],
        ],
      },
      '2026-03-20T09:00',
      '2026-04-01',
    ],
    [
      'contact overdue since February ended: that past date, so the pairing sorts first',
      {
        logs: [
          ['guardian_contact', '2026-01-05T10:00'],
          ['companionship', '2026-02-05T10:00'],
          ['home_visit', '2026-01-05T10:00'],
        ],
      },
      '2026-03-20T09:00',
      '2026-03-01',
    ],
    [
      'a late first pairing: the end of next month',
      { pairings: [paired('2026-03-28T08:00')] },
      '2026-03-30T09:00',
      '2026-05-01',
    ],
    ['an archived child: null', { archivedAt: '2026-03-10T10:00' }, '2026-03-20T09:00', null],
  ])('given %s', (_name, given, now, expected) => {
    const due = pairingNextDueAt(whenAssessed(given, now))
    expect(due?.getTime() ?? null).toBe(expected === null ? null : cn(expected).getTime())
  })
})

describe('needsEscalation (overdue two periods in a row)', () => {
  const base = whenAssessed({}, '2026-03-05T09:00').guardian_contact
  it.each<[DutyStatus | null, number, number | undefined, boolean]>([
    ['overdue', 2, undefined, true],
    ['overdue', 5, undefined, true],
    ['overdue', 1, undefined, false],
    ['overdue', 1, 1, true],
    ['done', 3, undefined, false],
    [null, 3, undefined, false],
  ])('given status %s with %i missed (threshold %s), then %s', (status, missed, periods, yes) => {
    const state = { ...base, status, missedPeriods: missed }
    expect(periods === undefined ? needsEscalation(state) : needsEscalation(state, periods)).toBe(
      yes,
    )
  })
})

describe('isPeriodOwed', () => {
  const march = parsePeriodKey('2026-03')
  it.each<[string, PairingSpan[], string | null, boolean]>([
    ['paired all month', [LONG_AGO], null, true],
    ['paired from the 22nd', [paired('2026-03-22T23:00')], null, true],
    ['paired from the 23rd', [paired('2026-03-23T00:00')], null, false],
    [
      'paired 1st–5th, again from the 25th',
      [paired('2026-03-01', '2026-03-05'), paired('2026-03-25')],
      null,
      true,
    ],
    ['paired from the 10th, ended the 20th', [paired('2026-03-10', '2026-03-20')], null, false],
    [
      'a pairing ending where it starts is no pairing',
      [paired('2026-03-05', '2026-03-05'), paired('2026-03-25')],
      null,
      false,
    ],
    ['paired all month, archived 1 April 00:00', [LONG_AGO], '2026-04-01', true],
    ['paired all month, archived 31 March', [LONG_AGO], '2026-03-31T12:00', false],
  ])('given %s, then March owed is %s', (_name, pairings, archivedAt, owed) => {
    if (!march) throw new Error('bad key')
    expect(isPeriodOwed(march, pairings, archivedAt ? cn(archivedAt) : null, 10)).toBe(owed)
  })
})

describe('CadenceConfigSchema', () => {
  const contact = (over: object) => ({ ...DEFAULT_CADENCE, guardian_contact: over })
  it.each<[string, unknown, boolean]>([
    ['the township default', DEFAULT_CADENCE, true],
    ['the school example', SCHOOL_CADENCE_EXAMPLE, true],
    ['weekly contact', contact({ period: 'week', dueSoonDays: 2, firstPeriodMinDays: 3 }), true],
    [
      'due soon for the whole week',
      contact({ period: 'week', dueSoonDays: 7, firstPeriodMinDays: 3 }),
      false,
    ],
    [
      'a first-period minimum longer than a month',
      contact({ period: 'month', dueSoonDays: 7, firstPeriodMinDays: 29 }),
      false,
    ],
    [
      'a zero first-period minimum',
      contact({ period: 'month', dueSoonDays: 7, firstPeriodMinDays: 0 }),
      false,
    ],
    [
      'negative due-soon days',
      contact({ period: 'month', dueSoonDays: -1, firstPeriodMinDays: 10 }),
      false,
    ],
    [
      'fractional days',
      contact({ period: 'month', dueSoonDays: 2.5, firstPeriodMinDays: 10 }),
      false,
    ],
    ['a yearly period', contact({ period: 'year', dueSoonDays: 7, firstPeriodMinDays: 10 }), false],
    ['a missing duty', { guardian_contact: DEFAULT_CADENCE.guardian_contact }, false],
    ['an unknown duty', { ...DEFAULT_CADENCE, homework: DEFAULT_CADENCE.home_visit }, false],
  ])('given %s, when parsed, then valid is %s', (_name, value, ok) => {
    expect(CadenceConfigSchema.safeParse(value).success).toBe(ok)
  })

  it('given due soon for the whole week, then the message is in Chinese and names the field', () => {
    const result = CadenceConfigSchema.safeParse(
      contact({ period: 'week', dueSoonDays: 7, firstPeriodMinDays: 3 }),
    )
    expect(result.error?.issues[0]?.path).toEqual(['guardian_contact', 'dueSoonDays'])
    expect(result.error?.issues[0]?.message).toBe('提前提醒天数应少于7天')
  })
})

describe('DutyStateSchema on the wire', () => {
  it.each([
    ['done', { logs: [['guardian_contact', '2026-03-05T10:00']] as Array<[Duty, string]> }],
    ['overdue', { logs: [['guardian_contact', '2026-01-05T10:00']] as Array<[Duty, string]> }],
    ['not owed', { archivedAt: '2026-03-01T10:00' }],
  ])('given a %s state sent as JSON, when parsed, then it is the same state', (_name, given) => {
    const state = whenAssessed(given, '2026-03-20T09:00').guardian_contact
    expect(DutyStateSchema.parse(JSON.parse(JSON.stringify(state)))).toEqual(state)
  })

  it('every duty and status has a Chinese label', () => {
    for (const duty of DUTIES) expect(DUTY_LABELS[duty]).toMatch(/^[\u4e00-\u9fa5]+$/)
    for (const status of DUTY_STATUSES)
      expect(DUTY_STATUS_LABELS[status]).toMatch(/^[\u4e00-\u9fa5]+$/)
  })
})
