// The supervision rollups through every kind of write: after each, the stored rollups equal a recount from the raw documents.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DEFAULT_CADENCE, type Duty, type PairingSpan } from '../../src/core/cadence'
import { LIVE_MEASURE_STATUSES } from '../../src/core/measures'
import {
  childContribution,
  measureContribution,
  rollupsOf,
  stateContribution,
  tallyLogs,
  type ChildFacts,
  type Contribution,
  type Counters,
  type MeasureFacts,
} from '../../src/core/rollups'
import { chinaDate } from '../../src/core/time'
import { startStack, type Stack } from '../support/stack'

type Doc = Record<string, unknown>
type Counts = { due: number; done: number; open: number; overdue: number }
type Dashboard = {
  villages: Array<{
    villageId: string
    children: { total: number }
    duties: Record<Duty, Counts>
    contacts: { total: number; confirmed: number; disputed: number }
    needs: { total: number; unmet: number }
  }>
}

let stack: Stack
let seq = 0
const rid = () => `req-rollup-${Date.now().toString(36)}-${++seq}`

/**
 * The rollups recounted from scratch: children and measures as stored, each state's pairings as
 * stored, and each child's month tallies counted again from the raw contact logs.
 */
async function recount(): Promise<Map<string, Counters>> {
  const [children, states, measures, logs] = await Promise.all([
    stack.docs('children'),
    stack.docs('duty_states'),
    stack.docs('measures'),
    stack.docs('contact_logs'),
  ])
  const logsOf = new Map<string, Doc[]>()
  for (const l of logs) logsOf.set(String(l.childId), [...(logsOf.get(String(l.childId)) ?? []), l])
  const parts: Contribution[] = [
    ...children.map((c) => childContribution(c as unknown as ChildFacts)),
    ...measures.map((m) =>
      measureContribution(m as unknown as MeasureFacts, LIVE_MEASURE_STATUSES),
    ),
    ...states.map((s) =>
      stateContribution(
        {
          _id: String(s._id),
          townshipId: String(s.townshipId),
          villageId: String(s.villageId),
          pairings: s.pairings as PairingSpan[],
          archivedAt: (s.archivedAt as Date | null) ?? null,
          months: tallyLogs(
            (logsOf.get(String(s._id)) ?? []) as unknown as Parameters<typeof tallyLogs>[0],
          ),
        },
        DEFAULT_CADENCE,
      ),
    ),
  ]
  const out = new Map<string, Counters>()
  for (const [id, r] of rollupsOf(parts))
    if (Object.keys(r.counters).length) out.set(id, r.counters)
  return out
}

async function storedRollups(): Promise<Map<string, Counters>> {
  const out = new Map<string, Counters>()
  for (const r of await stack.docs('stats_rollups')) {
    const counters = r.counters as Counters
    if (Object.keys(counters).length) out.set(String(r._id), counters)
  }
  return out
}

async function expectRollupsMatchRecount(): Promise<void> {
  const [stored, counted] = await Promise.all([storedRollups(), recount()])
  expect(Object.fromEntries(stored)).toEqual(Object.fromEntries(counted))
}

async function village1(): Promise<Dashboard['villages'][number]> {
  const dash = await stack.ok<Dashboard>('demo-village-1', 'stats.compliance', {})
  const v = dash.villages[0]
  if (!v) throw new Error('no village row')
  return v
}

function logNow(childId: string, duty: Duty, helper = 'demo-helper-1') {
  return stack.ok<{ log: { id: string } }>(
    helper,
    'contacts.log',
    {
      childId,
      duty,
      occurredAt: new Date(Date.now() - 3_600_000).toISOString(),
      mode: duty === 'guardian_contact' ? 'phone' : 'in_person',
      learned: { dailyLife: '饮食起居正常' },
    },
    rid(),
  )
}

beforeAll(async () => {
  stack = await startStack({ seed: 'full' })
}, 120_000)
afterAll(() => stack?.close())

describe('the supervision rollups', () => {
  it('as seeded equal the recount', async () => {
    await expectRollupsMatchRecount()
  })

  it('follow a child through registration, pairing, logs, an answer, a correction, measures, edits, hand-over and archive', async () => {
    const before = await village1()
    const child = await stack.ok<{ id: string; version: number }>(
      'demo-village-1',
      'children.create',
      {
        name: '卷积统',
        sex: 'female',
        birthDate: '2016-02-03',
        riskLevel: 'medium',
        guardians: [{ name: '卷奶奶', relation: 'grandparent', phone: '13712340001' }],
        categories: ['poverty'],
        needs: ['hardship_relief', 'counselling'],
      },
    )
    await expectRollupsMatchRecount()
    const registered = await village1()
    expect(registered.children.total).toBe(before.children.total + 1)
    expect(registered.needs.unmet).toBe(before.needs.unmet + 2)

    await stack.ok('demo-village-1', 'pairings.assign', {
      childId: child.id,
      helperId: 'usr-demo-helper-1',
      startDate: chinaDate(new Date(Date.now() - 60 * 86_400_000)),
    })
    await expectRollupsMatchRecount()

    const { log } = await logNow(child.id, 'guardian_contact')
    await logNow(child.id, 'home_visit')
    await expectRollupsMatchRecount()
    const logged = await village1()
    expect(logged.contacts.total).toBe(registered.contacts.total + 2)

    // A guardian answers a log of a demo child she is bound to.
    const visit = await logNow('chd-demo-01', 'home_visit')
    const token = await stack.ok<{ confirmation: { scene: string } }>(
      'demo-helper-1',
      'confirmations.create',
      { logId: visit.log.id },
    )
    await stack.ok('demo-guardian-1', 'confirmations.answer', {
      scene: token.confirmation.scene,
      answer: 'disputed',
    })
    await expectRollupsMatchRecount()
    expect((await village1()).contacts.disputed).toBe(logged.contacts.disputed + 1)

    // Moved to last month: this month loses the log, last month gains it.
    const lastMonth = new Date(Date.now() - 40 * 86_400_000).toISOString()
    await stack.ok('demo-helper-1', 'contacts.correct', {
      logId: log.id,
      changes: { occurredAt: lastMonth },
    })
    await expectRollupsMatchRecount()

    const { measure } = await stack.ok<{ measure: { id: string; version: number } }>(
      'demo-village-1',
      'measures.create',
      {
        childId: child.id,
        kind: 'hardship_relief',
        what: '申请临时救助',
        provider: { type: 'department', name: '镇民政办' },
      },
    )
    await expectRollupsMatchRecount()
    expect((await village1()).needs.unmet).toBe(registered.needs.unmet - 1)
    await stack.ok('demo-village-1', 'measures.update', {
      id: measure.id,
      version: measure.version,
      event: 'stop',
      outcome: '家庭情况好转',
    })
    await expectRollupsMatchRecount()

    await stack.ok('demo-village-1', 'children.update', {
      id: child.id,
      version: 1,
      categories: ['poverty', 'disability'],
      needs: ['counselling'],
    })
    await expectRollupsMatchRecount()

    await stack.ok('demo-village-1', 'pairings.assign', {
      childId: child.id,
      helperId: 'usr-demo-helper-2',
    })
    await expectRollupsMatchRecount()

    await stack.ok('demo-village-1', 'children.archive', {
      id: child.id,
      version: 2,
      reason: 'moved',
    })
    await expectRollupsMatchRecount()
    const archived = await village1()
    expect(archived.children.total).toBe(before.children.total)
  })

  it('lose nothing when helpers of one village log at the same moment', async () => {
    const before = await village1()
    const children = ['chd-demo-02', 'chd-demo-03', 'chd-demo-04', 'chd-demo-05', 'chd-demo-06']
    await Promise.all(children.map((c) => logNow(c, 'companionship')))
    await expectRollupsMatchRecount()
    expect((await village1()).contacts.total).toBe(before.contacts.total + children.length)
  })

  it('show a first log of the month as done and no longer open', async () => {
    const before = await village1()
    const board = await stack.ok<{
      items: Array<{ child: { id: string }; duties: Record<Duty, { status: string | null }> }>
    }>('demo-helper-1', 'duties.list', {})
    const open = board.items.find((i) =>
      ['open', 'due_soon', 'overdue'].includes(i.duties.guardian_contact.status ?? ''),
    )
    if (!open) throw new Error('the demo data should leave a guardian contact not done this month')
    await logNow(open.child.id, 'guardian_contact')
    const after = await village1()
    expect(after.duties.guardian_contact.done).toBe(before.duties.guardian_contact.done + 1)
    expect(after.duties.guardian_contact.open + after.duties.guardian_contact.overdue).toBe(
      before.duties.guardian_contact.open + before.duties.guardian_contact.overdue - 1,
    )
  })
})
