// Every page of the app (as src/app.config.ts lists them), opened as the person who uses it with real
// data, checked with axe-core for serious or critical WCAG 2 A/AA violations once its content is in.
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import * as z from 'zod'
import { startStack, type Stack } from '../support/stack'
import {
  ensureH5Build,
  H5_DIR,
  launchBrowser,
  ROOT,
  screenshot,
  seriousViolations,
  signInAs,
  type Browser,
} from './support'

const AppConfig = z.object({
  pages: z.array(z.string()),
  subPackages: z.array(z.object({ root: z.string(), pages: z.array(z.string()) })).default([]),
})

/** Every route of the local (h5) build, read from the app config itself, as the build reads it. */
async function appRoutes(): Promise<string[]> {
  const g = globalThis as { defineAppConfig?: (config: unknown) => unknown }
  g.defineAppConfig ??= (config) => config
  const previous = process.env.TARO_ENV
  process.env.TARO_ENV = 'h5'
  try {
    // A computed specifier: the config is app code, outside the test program's type scope.
    const file = pathToFileURL(path.join(ROOT, 'src', 'app.config.ts')).href
    const mod = z.object({ default: AppConfig }).parse(await import(file))
    const { pages, subPackages } = mod.default
    return [...pages, ...subPackages.flatMap((s) => s.pages.map((p) => `${s.root}/${p}`))]
  } finally {
    process.env.TARO_ENV = previous
  }
}

const ROUTES = await appRoutes()

/** Records made through the api before the pages are visited, so every page shows real content. */
type Fixtures = { logId: string; confirmScene: string; inviteScene: string; reportId: string }

type Visit = {
  /** who opens it: a demo user's openid, or 'new' (a WeChat user who has not joined) */
  as: string
  query?: (f: Fixtures) => string
  /** the test id of what the page shows once its data is in */
  ready: string
}

const HELPER = 'demo-helper-1'
const VILLAGE = 'demo-village-1'
const TOWNSHIP = 'demo-township'
const CHILD = 'chd-demo-01'

/** One visit per route; a route of the app config with no entry here fails its test. */
const VISITS: Record<string, Visit> = {
  'pages/index/index': { as: HELPER, ready: `board-row-${CHILD}` },
  'pages/child/index': { as: HELPER, query: () => `id=${CHILD}`, ready: 'contact-history' },
  'pages/log/index': { as: HELPER, query: () => `childId=${CHILD}`, ready: 'log-form' },
  'pages/share/index': { as: HELPER, query: (f) => `logId=${f.logId}&new=1`, ready: 'confirm-qr' },
  'pages/checkin/index': { as: HELPER, ready: 'checkin-page' },
  'pages/join/index': { as: 'new', query: (f) => `scene=${f.inviteScene}`, ready: 'join-invite' },
  'pages/invite/index': { as: VILLAGE, ready: 'invite-page' },
  'pages/report/index': { as: HELPER, query: () => `childId=${CHILD}`, ready: 'report-form' },
  'pages/signin/index': { as: HELPER, ready: `demo-user-${HELPER}` },
  'officer/home/index': { as: VILLAGE, ready: 'officer-today' },
  'officer/children/index': { as: VILLAGE, ready: 'children-list' },
  'officer/child/index': { as: VILLAGE, query: () => `id=${CHILD}`, ready: 'child-detail' },
  'officer/child-form/index': { as: VILLAGE, query: () => `id=${CHILD}`, ready: 'child-form' },
  'officer/pair/index': { as: VILLAGE, query: () => `childId=${CHILD}`, ready: 'helper-list' },
  'officer/measure/index': { as: VILLAGE, query: () => `childId=${CHILD}`, ready: 'measure-kind' },
  'officer/reports/index': { as: TOWNSHIP, ready: 'report-list' },
  'officer/report/index': { as: VILLAGE, query: (f) => `id=${f.reportId}`, ready: 'report-detail' },
  'officer/dashboard/index': { as: TOWNSHIP, ready: 'village-table' },
  'officer/ledger/index': { as: TOWNSHIP, ready: 'export-ledger' },
  'officer/helper/index': {
    as: VILLAGE,
    query: () => 'helperId=usr-demo-helper-2',
    ready: 'helper-reminders',
  },
  'confirm/index': {
    as: 'demo-guardian-1',
    query: (f) => `scene=${f.confirmScene}`,
    ready: 'answer-confirmed',
  },
}

describe('accessibility of every page on the h5 build', () => {
  let stack: Stack
  let browser: Browser
  let fixtures: Fixtures

  beforeAll(async () => {
    ensureH5Build()
    stack = await startStack({ seed: 'full', staticDir: H5_DIR })
    browser = await launchBrowser()
    const { log } = await stack.ok<{ log: { id: string } }>(
      HELPER,
      'contacts.log',
      {
        childId: CHILD,
        duty: 'guardian_contact',
        occurredAt: new Date(Date.now() - 3_600_000).toISOString(),
        mode: 'phone',
        learned: { dailyLife: '生活正常' },
      },
      'a11y-fixture-log-1',
    )
    const { confirmation } = await stack.ok<{ confirmation: { scene: string } }>(
      HELPER,
      'confirmations.create',
      { logId: log.id },
    )
    const { invite } = await stack.ok<{ invite: { scene: string } }>(VILLAGE, 'invites.create', {
      role: 'helper',
    })
    const { report } = await stack.ok<{ report: { id: string } }>(VILLAGE, 'reports.create', {
      childId: CHILD,
      kind: 'guardian_unable',
      seen: '监护人生病住院，孩子无人照料',
      occurredAt: new Date(Date.now() - 3_600_000).toISOString(),
    })
    fixtures = {
      logId: log.id,
      confirmScene: encodeURIComponent(confirmation.scene),
      inviteScene: encodeURIComponent(invite.scene),
      reportId: report.id,
    }
  })

  afterAll(async () => {
    await browser?.close()
    await stack?.close()
  })

  /** Opens the route as the visit's user and waits for its content, with nothing left loading. */
  async function open(route: string, visit: Visit): Promise<Page> {
    const page = await browser.context.newPage()
    await signInAs(page, stack.url, visit.as === 'new' ? 'new' : visit.as)
    const query = visit.query ? `?${visit.query(fixtures)}` : ''
    await page.goto(`${stack.url}/#/${route}${query}`)
    await page.getByTestId(visit.ready).first().waitFor()
    await page.waitForFunction(() => document.querySelector('[aria-busy="true"]') === null)
    return page
  }

  it('the app config lists the pages this test knows, and every one has a visit', () => {
    expect(ROUTES.length).toBeGreaterThan(15)
    expect(ROUTES.filter((r) => !(r in VISITS))).toEqual([])
    expect(Object.keys(VISITS).filter((r) => !ROUTES.includes(r))).toEqual([])
  })

  for (const route of ROUTES) {
    it(`${route} has no serious or critical axe violations`, async () => {
      const visit = VISITS[route]
      if (!visit) throw new Error(`no visit for ${route}: add one to VISITS`)
      const page = await open(route, visit)
      await screenshot(page, `a11y-${route.replace(/\/index$/, '').replace(/\//g, '-')}`)
      expect(await seriousViolations(page)).toEqual([])
      await page.close()
    })
  }

  /** The smallest computed font size (CSS px) of any text on the guardian's confirm page. */
  const smallestText = (page: Page) =>
    page.evaluate(() =>
      Math.min(
        ...Array.from(document.querySelectorAll('[data-testid="confirm-page"] *'))
          .filter((el) => (el.textContent ?? '').trim() !== '' && el.children.length === 0)
          .map((el) => parseFloat(getComputedStyle(el).fontSize)),
      ),
    )

  it('the confirm page is in large type (18 px or more) for the guardian and for a first scan', async () => {
    const guardian = await open('confirm/index', VISITS['confirm/index']!)
    expect(await smallestText(guardian)).toBeGreaterThanOrEqual(18)
    await guardian.close()

    // Someone who has not joined yet first sees the phone check.
    const stranger = await open('confirm/index', {
      ...VISITS['confirm/index']!,
      as: 'new',
      ready: 'phone-last4',
    })
    await screenshot(stranger, 'a11y-confirm-check')
    expect(await seriousViolations(stranger)).toEqual([])
    expect(await smallestText(stranger)).toBeGreaterThanOrEqual(18)
    await stranger.close()
  })
})
