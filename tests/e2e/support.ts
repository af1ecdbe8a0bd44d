// Shared browser helpers for the e2e tests: the h5 build, Chromium, axe-core, screenshots, signing in as a demo user.
import { execFileSync } from 'node:child_process'
import fs from 'node:fs'
import { createRequire } from 'node:module'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import type * as Axe from 'axe-core'
import { chromium, type BrowserContext, type Page } from 'playwright-core'
import { afterAll, beforeAll } from 'vitest'
import { startStack, type Stack } from '../support/stack'

export const ROOT = fileURLToPath(new URL('../..', import.meta.url))
export const H5_DIR = path.join(ROOT, 'dist-h5')
export const SCREENSHOTS = path.join(ROOT, 'test-results', 'e2e')
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'
export const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
]
const H5_INPUTS = ['src', 'config', 'babel.config.js']

/**
 * Rebuilds dist-h5 only when it is missing or older than its sources. SHOUHU_E2E_REUSE_H5=1 uses the
 * existing build as it is (a shared machine where sources keep changing under a long run).
 */
export function ensureH5Build(): void {
  if (process.env.SHOUHU_E2E_REUSE_H5 === '1' && fs.existsSync(path.join(H5_DIR, 'index.html')))
    return
  const builtAt = statMtime(path.join(H5_DIR, 'index.html'))
  const changedAt = Math.max(...H5_INPUTS.map((p) => newestMtime(path.join(ROOT, p))))
  if (builtAt >= changedAt) return
  execFileSync(path.join(ROOT, 'node_modules', '.bin', 'taro'), ['build', '--type', 'h5'], {
    cwd: ROOT,
    env: { ...process.env, NODE_ENV: 'production' },
    stdio: 'pipe',
    timeout: 290_000,
  })
}

function statMtime(file: string): number {
  return fs.existsSync(file) ? fs.statSync(file).mtimeMs : 0
}

function newestMtime(target: string): number {
  if (!fs.existsSync(target)) return 0
  const stat = fs.statSync(target)
  if (!stat.isDirectory()) return stat.mtimeMs
  if (path.relative(ROOT, target) === path.join('src', 'server')) return 0
  return Math.max(
    stat.mtimeMs,
    ...fs.readdirSync(target).map((name) => newestMtime(path.join(target, name))),
  )
}

export type Browser = { context: BrowserContext; close(): Promise<void> }

/** The h5 build served by a fresh emulator with the full demo data, and a browser on it. */
export type DemoH5 = { stack: Stack; browser: Browser }

/**
 * Starts (before the tests of the calling block) the h5 build on a fresh emulator with the full demo
 * data and a browser, and stops both after them. The fields are set once the block's tests run.
 */
export function useDemoH5(): DemoH5 {
  const h5 = {} as DemoH5
  beforeAll(async () => {
    ensureH5Build()
    h5.stack = await startStack({ seed: 'full', staticDir: H5_DIR })
    h5.browser = await launchBrowser()
  })
  afterAll(async () => {
    await h5.browser?.close()
    await h5.stack?.close()
  })
  return h5
}

export async function launchBrowser(): Promise<Browser> {
  const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'shouhu-chromium-'))
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_FLAGS,
    viewport: { width: 390, height: 844 },
    locale: 'zh-CN',
  })
  fs.mkdirSync(SCREENSHOTS, { recursive: true })
  return {
    context,
    async close() {
      await context.close()
      fs.rmSync(userDataDir, { recursive: true, force: true })
    },
  }
}

const AXE_SOURCE = createRequire(import.meta.url).resolve('axe-core/axe.min.js')

/** Serious or critical WCAG 2.0, 2.1 and 2.2 A/AA violations on the page, as "rule: target" lines. */
export async function seriousViolations(page: Page): Promise<string[]> {
  await page.addScriptTag({ path: AXE_SOURCE })
  const violations = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: typeof Axe }).axe
    const result = await axe.run(document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'] },
    })
    return result.violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => ({ id: v.id, targets: v.nodes.map((n) => n.target.join(' ')) }))
  })
  return violations.flatMap((v) => v.targets.map((target) => `${v.id}: ${target}`))
}

export async function screenshot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage: true })
}

/**
 * Acts as a demo user (or a new WeChat user) through the local sign-in page; lands on the home page
 * (officers on their own home in the officer subpackage).
 */
export async function signInAs(page: Page, baseUrl: string, openid: string | 'new'): Promise<void> {
  await page.goto(`${baseUrl}/#/pages/signin/index`)
  const testId = openid === 'new' ? 'new-wechat-user' : `demo-user-${openid}`
  await page.getByTestId(testId).click()
  // Officers are sent on from the first screen to their own home: wait for that, not the first screen.
  const officer = /^demo-(village|township)/.test(openid)
  await (
    officer
      ? page.getByTestId('officer-who')
      : page.getByTestId('current-user').or(page.getByTestId('not-registered'))
  ).waitFor()
}
