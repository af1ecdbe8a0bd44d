// Browser test of the h5 build on the local stack: a demo user signs in and the home page says who they are.
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { chromium, type BrowserContext } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DEMO_VILLAGES, findDemoUser } from '../../src/local/demo-users'
import { startStack, type Stack } from '../support/stack'
import {
  CHROMIUM,
  CHROMIUM_FLAGS,
  ensureH5Build,
  H5_DIR,
  SCREENSHOTS,
  seriousViolations,
} from './support'

describe('local sign-in on the h5 build', () => {
  let stack: Stack
  let context: BrowserContext
  let userDataDir: string

  beforeAll(async () => {
    ensureH5Build()
    stack = await startStack({ seed: true, staticDir: H5_DIR })
    userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'shouhu-chromium-'))
    context = await chromium.launchPersistentContext(userDataDir, {
      executablePath: CHROMIUM,
      headless: true,
      args: CHROMIUM_FLAGS,
      viewport: { width: 390, height: 844 },
      locale: 'zh-CN',
    })
    fs.mkdirSync(SCREENSHOTS, { recursive: true })
  })

  afterAll(async () => {
    await context?.close()
    await stack?.close()
    if (userDataDir) fs.rmSync(userDataDir, { recursive: true, force: true })
  })

  it('sends a fresh browser to the sign-in page, and greets the chosen helper by name and role', async () => {
    const helper = findDemoUser('demo-helper-1')
    expect(helper?.role).toBe('helper')
    const page = await context.newPage()

    // Given a browser where nobody has signed in, when the app opens, then it asks who you are.
    await page.goto(`${stack.url}/`)
    const choice = page.getByTestId(`demo-user-${helper!.openid}`)
    await choice.waitFor()
    expect(await seriousViolations(page)).toEqual([])

    // When the helper picks their name,
    const sessionCall = page.waitForRequest(
      (req) => req.method() === 'POST' && req.url().endsWith('/cloud/api'),
    )
    await choice.click()

    // then the app asks the api who they are, as them,
    const request = await sessionCall
    expect(request.headers()['x-local-openid']).toBe('demo-helper-1')
    expect(request.postDataJSON()).toMatchObject({ action: 'session.me', data: {} })

    // and the home page shows their name, the role 帮扶人 and their village.
    // (Waiting for the error state too, so a failed call fails here with its message, not a timeout.)
    const card = page.getByTestId('current-user')
    await card.or(page.getByTestId('retry')).waitFor()
    const text = (await page.locator('.home').textContent()) ?? ''
    expect(text).toContain(`${helper!.displayName} · 帮扶人`)
    expect(text).toContain(DEMO_VILLAGES['village-1'].name)
    await page.screenshot({ path: path.join(SCREENSHOTS, 'signin-home.png'), fullPage: true })
    expect(await seriousViolations(page)).toEqual([])
    await page.close()
  })

  it('tells a WeChat user who has not joined that they are not registered yet', async () => {
    const page = await context.newPage()

    // Given the helper is still signed in, when the tester switches to a new WeChat user,
    await page.goto(`${stack.url}/`)
    await page.getByTestId('switch-user').click()
    // (The helper's own home page may still be finishing its calls: wait for the first call as someone else.)
    const sessionCall = page.waitForRequest(
      (req) =>
        req.method() === 'POST' &&
        req.url().endsWith('/cloud/api') &&
        req.headers()['x-local-openid'] !== 'demo-helper-1',
    )
    await page.getByTestId('new-wechat-user').click()

    // then the app calls as a new random openid and explains how to join.
    expect((await sessionCall).headers()['x-local-openid']).toMatch(/^local-[0-9a-f]{16}$/)
    const notice = page.getByTestId('not-registered')
    await notice.or(page.getByTestId('retry')).waitFor()
    expect(await page.locator('.home').textContent()).toContain('您还没有登记')
    await page.screenshot({ path: path.join(SCREENSHOTS, 'not-registered.png'), fullPage: true })
    await page.close()
  })
})
