// A helper the reminders cannot reach shows on the officers' home and on the helper's own board.
import { afterAll, beforeAll, expect, it } from 'vitest'
import { seedDemoData } from '../../scripts/demo-data'
import { startStack, type Stack } from '../support/stack'

let stack: Stack

beforeAll(async () => {
  stack = await startStack()
  // 09:00 China time, two days before the month ends: the demo helpers have contacts due.
  stack.emulator.clock.set(new Date('2026-11-28T01:00:00.000Z'))
  await seedDemoData(stack.url, 'full')
  const run = await stack.emulator.trigger('reminders')
  expect(run.ok).toBe(true)
})

afterAll(async () => {
  await stack.close()
})

type Home = { unreachableHelpers: { available: boolean; items: Array<{ displayName: string }> } }

it('lists demo-helper-2 (no subscription) among the helpers the village cannot reach', async () => {
  const home = await stack.ok<Home>('demo-village-1', 'stats.home', {})
  expect(home.unreachableHelpers.available).toBe(true)
  expect(home.unreachableHelpers.items.map((h) => h.displayName)).toEqual(['陈志强'])
  // Another village's officer does not see them.
  const other = await stack.ok<Home>('demo-village-2', 'stats.home', {})
  expect(other.unreachableHelpers.items).toEqual([])
})

it('gives demo-helper-2 a badge of undelivered reminders, and demo-helper-1 none', async () => {
  const mine = await stack.ok<{ badge: number; items: Array<{ reason: string }> }>(
    'demo-helper-2',
    'reminders.mine',
    {},
  )
  expect(mine.badge).toBeGreaterThan(0)
  expect(mine.items[0]?.reason).toMatch(/[\u4e00-\u9fa5]/)
  expect((await stack.ok<{ badge: number }>('demo-helper-1', 'reminders.mine', {})).badge).toBe(0)
})
