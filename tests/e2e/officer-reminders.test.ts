// An officer sees which helper the reminders cannot reach, and per helper what was sent, when and why.
import { afterAll, beforeAll, expect, it } from 'vitest'
import { seedDemoData } from '../../scripts/demo-data'
import { startStack, type Stack } from '../support/stack'
import {
  ensureH5Build,
  H5_DIR,
  launchBrowser,
  screenshot,
  seriousViolations,
  signInAs,
  type Browser,
} from './support'

let stack: Stack
let browser: Browser

beforeAll(async () => {
  ensureH5Build()
  stack = await startStack({ staticDir: H5_DIR })
  // 09:00 China time two days before the month ends: contacts are due, the morning sweep runs.
  stack.emulator.clock.set(new Date('2026-11-28T01:00:00.000Z'))
  await seedDemoData(stack.url, 'full')
  expect((await stack.emulator.trigger('reminders')).ok).toBe(true)
  browser = await launchBrowser()
})

afterAll(async () => {
  await browser?.close()
  await stack?.close()
})

it('lists the unreachable helper on the officer home and explains each reminder', async () => {
  const page = await browser.context.newPage()
  await signInAs(page, stack.url, 'demo-village-1')
  const unreachable = page.getByTestId('unreachable-usr-demo-helper-2')
  await unreachable.waitFor()
  expect(await unreachable.textContent()).toContain('陈志强')
  await unreachable.click()
  await page.getByTestId('helper-reminders').waitFor()
  const items = page.getByTestId('reminder-item')
  expect(await items.count()).toBeGreaterThan(0)
  expect(await items.first().textContent()).toMatch(/未送达|没有|无法|不到|额度|订阅/)
  await screenshot(page, 'officer-helper-reminders')
  expect(await seriousViolations(page)).toEqual([])
  await page.close()
})
