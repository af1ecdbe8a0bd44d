// The stored duty state: how it is built, why its due dates stay right as time passes, and the board's order.
import { describe, expect, it } from 'vitest'
import {
  DEFAULT_CADENCE,
  DUTIES,
  DUTY_STATUSES,
  SCHOOL_CADENCE_EXAMPLE,
  type CadenceConfig,
  type Duty,
  type DutyStatus,
} from '../../src/core/cadence'
import {
  assessStored,
  buildDutyState,
  compareUrgency,
  CursorSchema,
  DutiesListInput,
  encodeCursor,
  NO_LOGS,
  statusCondition,
  urgencyOf,
  withLog,
  type DateRange,
  type DutyChildFacts,
  type DutyPairingFacts,
  type DutyStateRecord,
  type PerDuty,
  type StatusCondition,
} from '../../src/core/duties'
import { fromChinaDate } from '../../src/core/time'

/** An instant written as China wall-clock time: '2026-03-31T23:59' or a bare date (midnight). */
const cn = (s: string) => (s.length === 10 ? fromChinaDate(s) : new Date(`${s}+08:00`))

const CHILD: DutyChildFacts = {
  _id: 'c1',
  townshipId: 't1',
  villageId: 'v1',
  name: '王小明',
  categories: ['poverty'],
  riskLevel: 'high',
  status: 'active',
  archive: null,
}

const pairing = (start: string, end: string | null = null, helperId = 'h1'): DutyPairingFacts => ({
  helperId,
  helperName: helperId === 'h1' ? '张丽华' : '陈志强',
  start: cn(start),
  end: end === null ? null : cn(end),
  active: end === null,
})

const logs = (given: Partial<Record<Duty, string>>): PerDuty<Date | null> => ({
  guardian_contact: given.guardian_contact ? cn(given.guardian_contact) : null,
  companionship: given.companionship ? cn(given.companionship) : null,
  home_visit: given.home_visit ? cn(given.home_visit) : null,
})

describe('buildDutyState', () => {
  it('keeps the child’s display facts, the current helper and the pairing spans oldest first', () => {
    const state = buildDutyState(
      CHILD,
      [pairing('2026-03-05', null, 'h2'), pairing('2026-01-05', '2026-03-05', 'h1')],
      NO_LOGS,
      DEFAULT_CADENCE,
      cn('2026-03-10T10:00'),
    )
    expect(state).toMatchObject({
      _id: 'c1',
      townshipId: 't1',
      villageId: 'v1',
      helperId: 'h2',
      helperName: '陈志强',
      childName: '王小明',
      categories: ['poverty'],
      riskLevel: 'high',
      status: 'active',
      archivedAt: null,
      pairings: [
        { helperId: 'h1', start: cn('2026-01-05'), end: cn('2026-03-05') },
        { helperId: 'h2', start: cn('2026-03-05'), end: null },
      ],
    })
  })

  it.each<
    [
      string,
      DutyPairingFacts[],
      Partial<Record<Duty, string>>,
      string,
      Record<Duty, string | null>,
      string | null,
    ]
  >([
    [
      'paired on 1 June 2025, nothing logged: the first missed periods’ ends, June and Q2 (overdue)',
      [pairing('2025-06-01')],
      {},
      '2026-03-10T10:00',
      { guardian_contact: '2025-07-01', companionship: '2025-07-01', home_visit: '2025-07-01' },
      '2025-07-01',
    ],
    [
      'everything done this period: the next periods’ ends',
      [pairing('2025-06-01')],
      {
        guardian_contact: '2026-03-02T10:00',
        companionship: '2026-01-10T10:00',
        home_visit: '2026-02-10T10:00',
      },
      '2026-03-10T10:00',
      { guardian_contact: '2026-05-01', companionship: '2026-07-01', home_visit: '2026-07-01' },
      '2026-05-01',
    ],
    [
      'paired on 23 March: March and Q1 not owed, so April and Q2',
      [pairing('2026-03-23')],
      {},
      '2026-03-25T10:00',
      { guardian_contact: '2026-05-01', companionship: '2026-07-01', home_visit: '2026-07-01' },
      '2026-05-01',
    ],
    [
      'never paired: nothing due',
      [],
      {},
      '2026-03-10T10:00',
      { guardian_contact: null, companionship: null, home_visit: null },
      null,
    ],
    [
      'pairing ended without a successor: nothing due',
      [pairing('2025-06-01', '2026-03-05')],
      {},
      '2026-03-10T10:00',
      { guardian_contact: null, companionship: null, home_visit: null },
      null,
    ],
  ])('%s', (_name, pairings, given, now, due, next) => {
    const state = buildDutyState(CHILD, pairings, logs(given), DEFAULT_CADENCE, cn(now))
    const at = (s: string | null) => (s === null ? null : cn(s).getTime())
    expect({
      guardian_contact: state.due.guardian_contact?.getTime() ?? null,
      companionship: state.due.companionship?.getTime() ?? null,
      home_visit: state.due.home_visit?.getTime() ?? null,
    }).toEqual({
      guardian_contact: at(due.guardian_contact),
      companionship: at(due.companionship),
      home_visit: at(due.home_visit),
    })
    expect(state.nextDueAt?.getTime() ?? null).toBe(at(next))
  })

  it('owes nothing for an archived child, whatever its pairing', () => {
    const archived: DutyChildFacts = {
      ...CHILD,
      status: 'archived',
      archive: { at: cn('2026-03-05T10:00') },
    }
    const state = buildDutyState(
      archived,
      [pairing('2025-06-01')],
      NO_LOGS,
      DEFAULT_CADENCE,
      cn('2026-03-10T10:00'),
    )
    expect(state.archivedAt).toEqual(cn('2026-03-05T10:00'))
    expect(state.nextDueAt).toBeNull()
    expect(
      Object.values(assessStored(state, DEFAULT_CADENCE, cn('2026-03-10T10:00'))).map(
        (s) => s.status,
      ),
    ).toEqual([null, null, null])
  })
})

describe('withLog', () => {
  const base = buildDutyState(
    CHILD,
    [pairing('2026-03-01')],
    NO_LOGS,
    DEFAULT_CADENCE,
    cn('2026-03-10T10:00'),
  )

  it('records a new latest log and moves the due date to the next period', () => {
    const next = withLog(
      base,
      'guardian_contact',
      cn('2026-03-09T18:00'),
      DEFAULT_CADENCE,
      cn('2026-03-10T10:00'),
      'log-1',
    )
    expect(next.lastLog.guardian_contact).toEqual(cn('2026-03-09T18:00'))
    expect(next.due.guardian_contact).toEqual(cn('2026-05-01'))
    expect(next.nextDueAt).toEqual(cn('2026-04-01'))
  })

  it('keeps a later log when an earlier one arrives (a back-dated entry)', () => {
    const once = withLog(
      base,
      'home_visit',
      cn('2026-03-09T18:00'),
      DEFAULT_CADENCE,
      cn('2026-03-10T10:00'),
      'log-1',
    )
    const twice = withLog(
      once,
      'home_visit',
      cn('2026-03-02T18:00'),
      DEFAULT_CADENCE,
      cn('2026-03-10T10:00'),
      'log-1',
    )
    expect(twice.lastLog.home_visit).toEqual(cn('2026-03-09T18:00'))
  })
})

/** Whether a stored state satisfies a status condition, as the database evaluates it. */
function satisfies(state: DutyStateRecord, cond: StatusCondition): boolean {
  const value = (field: DateRange['field']): Date | null => {
    if (field === 'nextDueAt') return state.nextDueAt
    const [group, duty] = field.split('.') as ['due' | 'lastLog', Duty]
    return state[group][duty]
  }
  const holds = (r: DateRange) => {
    const v = value(r.field)
    if (v === null) return false
    return (
      (r.gt === undefined || v.getTime() > r.gt.getTime()) &&
      (r.gte === undefined || v.getTime() >= r.gte.getTime()) &&
      (r.lte === undefined || v.getTime() <= r.lte.getTime())
    )
  }
  return cond.all.every(holds) && (cond.any.length === 0 || cond.any.some(holds))
}

/** Children written once, then read at many later moments with no write in between. */
const SCENARIOS: Array<[string, DutyPairingFacts[], Partial<Record<Duty, string>>, string]> = [
  ['paired long ago, nothing logged', [pairing('2025-06-01')], {}, '2026-01-15T10:00'],
  [
    'paired long ago, all done in January',
    [pairing('2025-06-01')],
    {
      guardian_contact: '2026-01-03T10:00',
      companionship: '2026-01-04T10:00',
      home_visit: '2026-01-05T10:00',
    },
    '2026-01-15T10:00',
  ],
  ['paired on 1 March', [pairing('2026-03-01')], {}, '2026-03-01T10:00'],
  ['paired on 23 March (too late for March)', [pairing('2026-03-23')], {}, '2026-03-23T10:00'],
  [
    'paired on 23 March, logged at once',
    [pairing('2026-03-23')],
    { guardian_contact: '2026-03-23T12:00' },
    '2026-03-23T12:00',
  ],
  [
    'handed over in March',
    [pairing('2025-12-01', '2026-03-20'), pairing('2026-03-20', null, 'h2')],
    { guardian_contact: '2026-02-10T10:00' },
    '2026-03-20T10:00',
  ],
  ['unpaired', [], {}, '2026-03-10T10:00'],
  [
    'contact logged at 23:59 on 31 March',
    [pairing('2025-06-01')],
    { guardian_contact: '2026-03-31T23:59' },
    '2026-03-31T23:59',
  ],
]

/** Moments after the write: days through the next months, and both sides of China midnight at period ends. */
function laterMoments(from: Date): Date[] {
  const out: Date[] = []
  for (let d = 0; d <= 200; d += 1) out.push(new Date(from.getTime() + d * 86_400_000 + 3_600_000))
  for (const edge of [
    '2026-02-01',
    '2026-03-25',
    '2026-04-01',
    '2026-05-01',
    '2026-06-24',
    '2026-07-01',
  ]) {
    const t = cn(edge).getTime()
    out.push(new Date(t - 60_000), new Date(t), new Date(t + 60_000))
  }
  return out.filter((t) => t.getTime() >= from.getTime())
}

describe('stored due dates as time passes with no write', () => {
  it.each(SCENARIOS)(
    '%s: each status range selects exactly the children in that status',
    (_name, pairings, given, writtenAt) => {
      for (const cadence of [DEFAULT_CADENCE, SCHOOL_CADENCE_EXAMPLE] as CadenceConfig[]) {
        const state = buildDutyState(CHILD, pairings, logs(given), cadence, cn(writtenAt))
        for (const now of laterMoments(cn(writtenAt))) {
          const exact = assessStored(state, cadence, now)
          for (const duty of DUTIES) {
            for (const status of DUTY_STATUSES) {
              const cond = statusCondition(status, duty, cadence, now)
              if (!cond) throw new Error('a duty always has a condition')
              const selected = satisfies(state, cond)
              const isIt = exact[duty].status === status
              // `done` may select a superset (logged in a period not owed); every other range is exact.
              if (status === 'done') expect(!isIt || selected).toBe(true)
              else
                expect([duty, status, now.toISOString(), selected]).toEqual([
                  duty,
                  status,
                  now.toISOString(),
                  isIt,
                ])
            }
          }
          const urgency = urgencyOf(exact)
          for (const status of ['overdue', 'due_soon'] as const) {
            const cond = statusCondition(status, undefined, cadence, now)
            if (!cond) throw new Error('overdue and due_soon have a child-level condition')
            expect([status, now.toISOString(), satisfies(state, cond)]).toEqual([
              status,
              now.toISOString(),
              urgency === status,
            ])
          }
        }
      }
    },
  )

  it('selects “done” for a child paired too late to owe the period, which the caller drops', () => {
    const state = buildDutyState(
      CHILD,
      [pairing('2026-03-23')],
      logs({ guardian_contact: '2026-03-23T12:00' }),
      DEFAULT_CADENCE,
      cn('2026-03-23T12:00'),
    )
    const now = cn('2026-03-24T10:00')
    expect(assessStored(state, DEFAULT_CADENCE, now).guardian_contact.status).toBeNull()
    const cond = statusCondition('done', 'guardian_contact', DEFAULT_CADENCE, now)
    expect(cond && satisfies(state, cond)).toBe(true)
  })

  it('has no child-level condition for open or done (a duty must be chosen)', () => {
    expect(statusCondition('open', undefined, DEFAULT_CADENCE, cn('2026-03-10T10:00'))).toBeNull()
    expect(statusCondition('done', undefined, DEFAULT_CADENCE, cn('2026-03-10T10:00'))).toBeNull()
  })
})

describe('board order', () => {
  const item = (id: string, urgency: DutyStatus | null, due: string | null) => ({
    id,
    urgency,
    nextDueAt: due === null ? null : cn(due),
  })

  it('puts overdue first, then due soon, open, done and nothing owed; then by date, then id', () => {
    const items = [
      item('e', null, null),
      item('d', 'done', '2026-05-01'),
      item('c2', 'open', '2026-04-01'),
      item('c1', 'open', '2026-04-01'),
      item('b', 'due_soon', '2026-04-01'),
      item('a2', 'overdue', '2026-03-01'),
      item('a1', 'overdue', '2026-02-01'),
    ]
    expect([...items].sort(compareUrgency).map((i) => i.id)).toEqual([
      'a1',
      'a2',
      'b',
      'c1',
      'c2',
      'd',
      'e',
    ])
  })

  it('takes the most urgent duty as the child’s urgency', () => {
    const state = buildDutyState(
      CHILD,
      [pairing('2025-06-01')],
      logs({ guardian_contact: '2026-03-02T10:00' }),
      DEFAULT_CADENCE,
      cn('2026-03-10T10:00'),
    )
    const states = assessStored(state, DEFAULT_CADENCE, cn('2026-03-10T10:00'))
    expect(states.guardian_contact.status).toBe('done')
    expect(urgencyOf(states)).toBe('overdue')
  })
})

describe('page cursors and the list input', () => {
  it('round-trips a cursor and refuses anything else', () => {
    const c = { at: cn('2026-04-01'), id: 'child~1' }
    expect(CursorSchema.parse(encodeCursor(c))).toEqual(c)
    expect(CursorSchema.safeParse('2026-04-01~x').success).toBe(false)
    expect(CursorSchema.safeParse('2026-13-45T99:99:99.000Z~x').success).toBe(false)
  })

  it.each([
    [{}, true],
    [{ status: 'overdue' }, true],
    [{ status: 'due_soon', duty: 'home_visit' }, true],
    [{ status: 'open' }, false],
    [{ status: 'done' }, false],
    [{ status: 'late' }, false],
    [{ limit: 0 }, false],
    [{ limit: 101 }, false],
    [{ category: 'rich' }, false],
    [{ helperId: '' }, false],
    [{ unknown: 1 }, false],
  ])('accepts %j: %s', (input, accepted) => {
    expect(DutiesListInput.safeParse(input).success).toBe(accepted)
  })
})
