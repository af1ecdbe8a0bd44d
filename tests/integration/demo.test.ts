// The demo data and the helper's board on it: what a newcomer sees after `npm start`, checked against the
// cadence rule computed independently from the raw pairings and logs, before and after a month end.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { assessDuties, DEFAULT_CADENCE, DUTIES, type DutyStatus } from '../../src/core/cadence'
import { CATEGORIES } from '../../src/core/domain'
import { demoSeed, seedDemoData } from '../../scripts/demo-data'
import { startStack, type Stack } from '../support/stack'

/** 10:00 on 28 November 2026, China time: two days before the month ends. */
const SEEDED_AT = new Date('2026-11-28T02:00:00.000Z')

type BoardItem = {
  child: { id: string }
  urgency: DutyStatus | null
  duties: Record<string, { status: DutyStatus | null }>
}
type Board = { items: BoardItem[]; counts: { overdue: number; due_soon: number } }
type Doc = Record<string, unknown>

const seed = demoSeed(SEEDED_AT)
const docs = (name: string) => (seed.collections[name] ?? []) as Doc[]
const date = (v: unknown) => new Date((v as { $date: string }).$date)

/** The rule applied to the raw demo records, not to the stored duty state the board reads. */
function expectedStatuses(childId: string, now: Date): Record<string, DutyStatus | null> {
  const pairings = docs('pairings')
    .filter((p) => p.childId === childId)
    .map((p) => ({
      helperId: String(p.helperId),
      start: date(p.start),
      end: p.end ? date(p.end) : null,
    }))
  const logs = docs('contact_logs')
    .filter((l) => l.childId === childId)
    .map((l) => ({ duty: l.duty as (typeof DUTIES)[number], occurredAt: date(l.occurredAt) }))
  const states = assessDuties({ pairings, archivedAt: null, logs, cadence: DEFAULT_CADENCE, now })
  return Object.fromEntries(DUTIES.map((d) => [d, states[d].status]))
}

const URGENCY_ORDER: Array<DutyStatus | null> = ['overdue', 'due_soon', 'open', 'done', null]

let stack: Stack
async function board(openid: string): Promise<Board> {
  const out = (await stack.api(openid, { action: 'duties.list', data: {} })) as {
    ok: boolean
    data: Board
  }
  expect(out.ok).toBe(true)
  return out.data
}

beforeAll(async () => {
  stack = await startStack()
  stack.emulator.clock.set(SEEDED_AT)
  await seedDemoData(stack.url, 'full')
})

afterAll(async () => {
  await stack.close()
})

describe('the demo data', () => {
  it('holds 40 children across both villages, in every category, most of them paired', () => {
    const children = docs('children')
    expect(children).toHaveLength(40)
    expect(new Set(children.map((c) => c.villageId))).toEqual(new Set(['vil-demo-1', 'vil-demo-2']))
    const categories = new Set(children.flatMap((c) => c.categories as string[]))
    expect([...categories].sort()).toEqual([...CATEGORIES].sort())
    expect(docs('pairings').filter((p) => p.active).length).toBeGreaterThanOrEqual(30)
  })

  it('makes demo-guardian-1 the guardian of a child paired with demo-helper-1', async () => {
    const kids = (await stack.api('demo-guardian-1', { action: 'children.list', data: {} })) as {
      data: { items: Array<{ id: string }> }
    }
    const ids = kids.data.items.map((k) => k.id)
    expect(ids).toHaveLength(1)
    const helperBoard = await board('demo-helper-1')
    expect(helperBoard.items.map((i) => i.child.id)).toContain(ids[0])
  })
})

describe('demo-helper-1’s board', () => {
  it('lists their ten children, most urgent first, each duty as the rule says', async () => {
    const { items, counts } = await board('demo-helper-1')
    expect(items).toHaveLength(10)
    const ranks = items.map((i) => URGENCY_ORDER.indexOf(i.urgency))
    expect(ranks).toEqual([...ranks].sort((a, b) => a - b))
    for (const item of items) {
      const shown = Object.fromEntries(DUTIES.map((d) => [d, item.duties[d]?.status ?? null]))
      expect(shown, item.child.id).toEqual(expectedStatuses(item.child.id, SEEDED_AT))
    }
    // A true mix on 28 November: something overdue, something due soon, something done.
    const all = items.flatMap((i) => DUTIES.map((d) => i.duties[d]?.status))
    for (const status of ['overdue', 'due_soon', 'done'] as const) expect(all).toContain(status)
    expect(counts.overdue).toBe(items.filter((i) => i.urgency === 'overdue').length)
  })

  it('changes as the rule says when the clock crosses the month end (23:59 → 00:01 China time)', async () => {
    const before = new Date('2026-11-30T15:59:00.000Z')
    const after = new Date('2026-11-30T16:01:00.000Z')
    stack.emulator.clock.set(before)
    const lastMinute = await board('demo-helper-1')
    stack.emulator.clock.set(after)
    const nextMonth = await board('demo-helper-1')
    stack.emulator.clock.set(SEEDED_AT)

    const contact = (b: Board, id: string) =>
      b.items.find((i) => i.child.id === id)?.duties.guardian_contact?.status
    const transitions = new Set<string>()
    for (const item of lastMinute.items) {
      const id = item.child.id
      expect(contact(lastMinute, id), id).toBe(expectedStatuses(id, before).guardian_contact)
      expect(contact(nextMonth, id), id).toBe(expectedStatuses(id, after).guardian_contact)
      transitions.add(`${contact(lastMinute, id)}→${contact(nextMonth, id)}`)
    }
    // November's contact not made by midnight is overdue on 1 December; one made is December's to do again.
    expect(transitions).toContain('due_soon→overdue')
    expect(transitions).toContain('done→open')
  })
})
