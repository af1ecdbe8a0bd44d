// The duty board (duties.list) through the api function: urgency order, officer filters and paging, time passing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startStack, type Stack } from '../support/stack'

let stack: Stack

/** China wall-clock time as an instant: '2026-03-10T10:00' → 2026-03-10T02:00Z. */
const cn = (s: string) => new Date(`${s}:00+08:00`)
const NOW = cn('2026-03-10T10:00')

type DutyView = {
  status: string | null
  owed: boolean
  periodKey: string
  dueBy: string | null
  missedPeriods: number
}
type Item = {
  child: {
    id: string
    name: string
    villageId: string
    villageName: string
    categories: string[]
    riskLevel: string
  }
  helper: { id: string; displayName: string } | null
  urgency: string | null
  nextDueAt: string | null
  lastContactAt: string | null
  duties: Record<'guardian_contact' | 'companionship' | 'home_visit', DutyView>
}
type Board = {
  items: Item[]
  nextCursor: string | null
  counts: { overdue: number; due_soon: number }
  asOf: string
}

const board = (openid: string, filters: Record<string, unknown> = {}) =>
  stack.ok<Board>(openid, 'duties.list', filters)
const ids = (b: Board) => b.items.map((i) => i.child.id)
const statusOf = (b: Board, id: string) => {
  const item = b.items.find((i) => i.child.id === id)
  if (!item) throw new Error(`${id} is not on the board`)
  return [
    item.urgency,
    item.duties.guardian_contact.status,
    item.duties.companionship.status,
    item.duties.home_visit.status,
  ]
}

function child(
  id: string,
  villageId: string,
  categories: string[],
  riskLevel: string,
): Record<string, unknown> {
  const at = { $date: '2025-12-01T02:00:00.000Z' }
  return {
    _id: id,
    townshipId: 'twp-demo',
    villageId,
    name: `儿童${id}`,
    sex: 'male',
    birthDate: '2015-05-01',
    idNumber: null,
    school: '青山小学',
    grade: '四年级',
    address: '',
    parents: [],
    guardians: [],
    categories,
    academicSubtype: null,
    riskLevel,
    needs: [],
    notes: '',
    status: 'active',
    archive: null,
    consent: null,
    version: 1,
    createdAt: at,
    updatedAt: at,
    createdBy: 'usr-demo-village-1',
  }
}

let n = 0
async function logContact(
  openid: string,
  childId: string,
  duty: string,
  occurredAt: string,
): Promise<void> {
  await stack.ok(
    openid,
    'contacts.log',
    { childId, duty, occurredAt, mode: 'in_person', learned: { dailyLife: '一切正常' } },
    `duties-test-${++n}-${Date.now()}`,
  )
}

/**
 * Given, on 10 March 2026:
 * - d1 paired with helper 1 from 1 March: everything open;
 * - d2 paired with helper 1 from 5 January, a guardian contact on 9 March: contact done, the rest open;
 * - d3 paired with helper 1 from 1 February, no log: February's contact missed, so overdue;
 * - d4 (village 2) paired with helper 3 from 1 March, a contact on 5 March;
 * - d5 never paired: on no board.
 */
beforeAll(async () => {
  stack = await startStack({ seed: true })
  stack.emulator.clock.set(NOW)
  await stack.seed({
    children: [
      child('d1', 'vil-demo-1', ['poverty'], 'low'),
      child('d2', 'vil-demo-1', ['academic', 'poverty'], 'medium'),
      child('d3', 'vil-demo-1', ['disability'], 'high'),
      child('d4', 'vil-demo-2', ['poverty'], 'high'),
      child('d5', 'vil-demo-1', ['poverty'], 'low'),
    ],
  })
  const pair = (childId: string, helperId: string, startDate: string) =>
    stack.ok('demo-township', 'pairings.assign', { childId, helperId, startDate })
  await pair('d1', 'usr-demo-helper-1', '2026-03-01')
  await pair('d2', 'usr-demo-helper-1', '2026-01-05')
  await pair('d3', 'usr-demo-helper-1', '2026-02-01')
  await pair('d4', 'usr-demo-helper-3', '2026-03-01')
  await logContact('demo-helper-1', 'd2', 'guardian_contact', '2026-03-09T18:00:00+08:00')
  await logContact('demo-helper-3', 'd4', 'guardian_contact', '2026-03-05T18:00:00+08:00')
})

afterAll(async () => {
  await stack.close()
})

describe('a helper’s board', () => {
  it('lists their children, overdue first, then by due date, with each duty’s status', async () => {
    const b = await board('demo-helper-1')
    expect(ids(b)).toEqual(['d3', 'd1', 'd2'])
    expect(statusOf(b, 'd3')).toEqual(['overdue', 'overdue', 'open', 'open'])
    expect(statusOf(b, 'd1')).toEqual(['open', 'open', 'open', 'open'])
    expect(statusOf(b, 'd2')).toEqual(['open', 'done', 'open', 'open'])
    expect(b.counts).toEqual({ overdue: 1, due_soon: 0 })
    expect(b.nextCursor).toBeNull()
  })

  it('says who, where and when for each child', async () => {
    const d2 = (await board('demo-helper-1')).items.find((i) => i.child.id === 'd2')
    expect(d2).toMatchObject({
      child: {
        id: 'd2',
        name: '儿童d2',
        villageId: 'vil-demo-1',
        villageName: '清水村',
        categories: ['academic', 'poverty'],
        riskLevel: 'medium',
      },
      helper: { id: 'usr-demo-helper-1', displayName: '张丽华' },
      lastContactAt: '2026-03-09T10:00:00.000Z',
      nextDueAt: '2026-03-31T16:00:00.000Z',
    })
    expect(d2?.duties.guardian_contact).toMatchObject({
      periodKey: '2026-03',
      dueBy: '2026-03-31',
      missedPeriods: 0,
    })
    expect(d2?.duties.companionship).toMatchObject({ periodKey: '2026-Q1', dueBy: '2026-03-31' })
    const d3 = (await board('demo-helper-1')).items.find((i) => i.child.id === 'd3')
    expect(d3?.duties.guardian_contact).toMatchObject({ status: 'overdue', missedPeriods: 1 })
  })

  it('filters by duty and status', async () => {
    expect(ids(await board('demo-helper-1', { duty: 'guardian_contact', status: 'done' }))).toEqual(
      ['d2'],
    )
    expect(ids(await board('demo-helper-1', { status: 'overdue' }))).toEqual(['d3'])
    expect(ids(await board('demo-helper-1', { category: 'academic' }))).toEqual(['d2'])
  })

  it('shows each helper only their own children', async () => {
    expect(ids(await board('demo-helper-3'))).toEqual(['d4'])
    expect(ids(await board('demo-helper-2'))).toEqual([])
  })
})

describe('an officer’s board', () => {
  it('covers the township, most urgent first, with the badge counts', async () => {
    const b = await board('demo-township')
    expect(ids(b)).toEqual(['d3', 'd1', 'd2', 'd4'])
    expect(b.counts).toEqual({ overdue: 1, due_soon: 0 })
    expect(b.items.find((i) => i.child.id === 'd4')?.child.villageName).toBe('石桥村')
  })

  it('covers only the village for a village officer; another village matches nothing', async () => {
    expect(ids(await board('demo-village-1'))).toEqual(['d3', 'd1', 'd2'])
    expect(ids(await board('demo-village-2'))).toEqual(['d4'])
    const other = await board('demo-village-1', { villageId: 'vil-demo-2' })
    expect(other).toMatchObject({ items: [], counts: { overdue: 0, due_soon: 0 } })
  })

  it.each([
    [{ villageId: 'vil-demo-2' }, ['d4']],
    [{ helperId: 'usr-demo-helper-3' }, ['d4']],
    [{ riskLevel: 'high' }, ['d3', 'd4']],
    [{ category: 'poverty' }, ['d1', 'd2', 'd4']],
    [{ status: 'overdue' }, ['d3']],
    [{ duty: 'guardian_contact', status: 'done' }, ['d2', 'd4']],
    [{ duty: 'guardian_contact', status: 'open' }, ['d1']],
    [{ duty: 'companionship', status: 'open' }, ['d3', 'd1', 'd2', 'd4']],
    [{ duty: 'companionship', status: 'overdue' }, []],
  ])('filters %j', async (filters, expected) => {
    expect(ids(await board('demo-township', filters))).toEqual(expected)
  })

  it('counts per duty when a duty is chosen, whatever the status filter', async () => {
    const b = await board('demo-township', { duty: 'guardian_contact', status: 'done' })
    expect(b.counts).toEqual({ overdue: 1, due_soon: 0 })
    expect((await board('demo-township', { duty: 'companionship' })).counts).toEqual({
      overdue: 0,
      due_soon: 0,
    })
  })

  it('pages with a cursor, each child exactly once, in board order', async () => {
    const seen: string[] = []
    let cursor: string | null = null
    for (let page = 0; page < 10; page++) {
      const b: Board = await board('demo-township', { limit: 1, ...(cursor ? { cursor } : {}) })
      seen.push(...ids(b))
      cursor = b.nextCursor
      if (!cursor) break
    }
    expect(seen).toEqual(['d3', 'd1', 'd2', 'd4'])
  })

  it('needs a fixed, small number of database calls, the caller included (target: at most 5)', async () => {
    const calls = async (openid: string, filters: Record<string, unknown> = {}) => {
      const before = stack.emulator.database.stats().calls
      await board(openid, filters)
      return stack.emulator.database.stats().calls - before
    }
    expect(await calls('demo-township')).toBe(4)
    expect(
      await calls('demo-township', { duty: 'home_visit', status: 'open', category: 'poverty' }),
    ).toBe(4)
    expect(await calls('demo-village-1', { status: 'due_soon' })).toBe(4)
    expect(await calls('demo-helper-1')).toBe(3)
  })

  it('refuses guardians (FORBIDDEN) and a status filter it cannot answer without a duty (VALIDATION)', async () => {
    expect((await stack.fails('demo-guardian-1', 'duties.list', {})).code).toBe('FORBIDDEN')
    const open = await stack.fails('demo-township', 'duties.list', { status: 'open' })
    expect(open.code).toBe('VALIDATION')
    expect(open.issues?.map((i) => i.path)).toEqual(['duty'])
    expect((await stack.fails('demo-township', 'duties.list', { limit: 101 })).code).toBe(
      'VALIDATION',
    )
    expect((await stack.fails('demo-township', 'duties.list', { cursor: 'x' })).code).toBe(
      'VALIDATION',
    )
  })
})

describe('as time passes, with no write at all', () => {
  it('turns duties due soon in the last 7 days of the month and quarter', async () => {
    stack.emulator.clock.set(cn('2026-03-24T12:00'))
    const early = await board('demo-helper-1')
    expect(statusOf(early, 'd1')).toEqual(['open', 'open', 'open', 'open'])

    stack.emulator.clock.set(cn('2026-03-25T00:01'))
    const b = await board('demo-helper-1')
    expect(ids(b)).toEqual(['d3', 'd1', 'd2'])
    expect(statusOf(b, 'd1')).toEqual(['due_soon', 'due_soon', 'due_soon', 'due_soon'])
    expect(statusOf(b, 'd2')).toEqual(['due_soon', 'done', 'due_soon', 'due_soon'])
    expect(b.counts).toEqual({ overdue: 1, due_soon: 2 })
    const officer = await board('demo-township', { status: 'due_soon' })
    expect(ids(officer)).toEqual(['d1', 'd2', 'd4'])
    expect(officer.counts).toEqual({ overdue: 1, due_soon: 3 })
    expect((await board('demo-township', { duty: 'guardian_contact' })).counts).toEqual({
      overdue: 1,
      due_soon: 1,
    })
  })

  it('is still March at 23:59 China time on the 31st', async () => {
    stack.emulator.clock.set(cn('2026-03-31T23:59'))
    expect(statusOf(await board('demo-helper-1'), 'd1')).toEqual([
      'due_soon',
      'due_soon',
      'due_soon',
      'due_soon',
    ])
  })

  it('makes every missed duty overdue once the month (and quarter) ends, and a done month open again', async () => {
    stack.emulator.clock.set(cn('2026-04-01T00:01'))
    const b = await board('demo-helper-1')
    expect(statusOf(b, 'd1')).toEqual(['overdue', 'overdue', 'overdue', 'overdue'])
    // d2's March contact was made: April's is open; the quarter's other duties were missed.
    expect(statusOf(b, 'd2')).toEqual(['overdue', 'open', 'overdue', 'overdue'])
    expect(b.items.find((i) => i.child.id === 'd2')?.duties.guardian_contact.periodKey).toBe(
      '2026-04',
    )
    // d3 has missed February and March in a row.
    expect(b.items.find((i) => i.child.id === 'd3')?.duties.guardian_contact).toMatchObject({
      status: 'overdue',
      missedPeriods: 2,
    })
    expect(b.counts).toEqual({ overdue: 3, due_soon: 0 })
    const officer = await board('demo-township', { status: 'overdue' })
    expect(ids(officer)).toEqual(['d3', 'd1', 'd2', 'd4'])
    expect(officer.counts).toEqual({ overdue: 4, due_soon: 0 })
    expect(ids(await board('demo-township', { duty: 'guardian_contact', status: 'open' }))).toEqual(
      ['d2', 'd4'],
    )
  })

  it('turns an overdue duty done with a make-up contact in the new period', async () => {
    await logContact('demo-helper-1', 'd3', 'guardian_contact', '2026-04-01T00:00:00+08:00')
    const b = await board('demo-helper-1')
    expect(statusOf(b, 'd3')).toEqual(['overdue', 'done', 'overdue', 'overdue'])
    expect(
      ids(await board('demo-township', { duty: 'guardian_contact', status: 'overdue' })),
    ).toEqual(['d1'])
  })
})

describe('writes that race', () => {
  it('keeps the board right when a contact is logged while the child is handed over', async () => {
    // Warm instances, so both calls really run side by side.
    await Promise.all([
      stack.call('demo-township', 'session.me', {}),
      stack.call('demo-helper-1', 'session.me', {}),
    ])
    const [logged] = await Promise.all([
      stack.call(
        'demo-helper-1',
        'contacts.log',
        {
          childId: 'd1',
          duty: 'companionship',
          occurredAt: '2026-04-01T00:00:30+08:00',
          mode: 'video',
          learned: { mood: '开心' },
        },
        `race-${Date.now()}`,
      ),
      stack.ok('demo-township', 'pairings.assign', {
        childId: 'd1',
        helperId: 'usr-demo-helper-2',
      }),
    ])
    const b = await board('demo-helper-2')
    expect(ids(b)).toEqual(['d1'])
    // Whichever came first, the stored state agrees with the logs that were written.
    expect(b.items[0]?.duties.companionship.status).toBe(logged.ok ? 'done' : 'overdue')
    expect(ids(await board('demo-helper-1'))).not.toContain('d1')
  })
})
