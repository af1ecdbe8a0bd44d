// Browser tests of the officer screens (issue 7) on the h5 build: archive, pairing, urgent reports, dashboard, ledger.
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import ExcelJS from 'exceljs'
import { chromium, type Browser, type Page } from 'playwright-core'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import {
  DEFAULT_CADENCE,
  DUTIES,
  DUTY_LABELS,
  isPeriodOwed,
  type Duty,
  type PairingSpan,
} from '../../src/core/cadence'
import { inPeriod, periodOf, previousPeriod, type Period } from '../../src/core/time'
import { periodLabel } from '../../src/officer/dashboard/periods'
import { startStack, type Stack } from '../support/stack'
import {
  CHROMIUM,
  CHROMIUM_FLAGS,
  ensureH5Build,
  H5_DIR,
  SCREENSHOTS,
  seriousViolations,
} from './support'

type ApiResult<T> = { ok: true; data: T } | { ok: false; code: string; message: string }

describe('officer screens on the h5 build', () => {
  let stack: Stack
  let browser: Browser
  /** The pages a test opened, screenshotted when it fails. */
  let pages: Page[] = []

  /** The `api` function's data as the given demo user, failing the test on an error answer. */
  async function api<T>(openid: string, action: string, data: unknown): Promise<T> {
    const res = (await stack.api(openid, { action, data })) as ApiResult<T>
    if (!res.ok) throw new Error(`${action}: ${res.code} ${res.message}`)
    return res.data
  }

  /** A fresh browser context signed in as the demo user, opened at the given hash route. */
  async function openAs(openid: string, route: string): Promise<Page> {
    const context = await browser.newContext({
      viewport: { width: 390, height: 844 },
      locale: 'zh-CN',
      acceptDownloads: true,
    })
    const page = await context.newPage()
    pages.push(page)
    await page.goto(`${stack.url}/#/pages/signin/index`)
    await page.getByTestId(`demo-user-${openid}`).click()
    // Wait for the landing page before going elsewhere: officers are sent on to their own home.
    const officer = /^demo-(village|township)/.test(openid)
    await page.getByTestId(officer ? 'officer-who' : 'current-user').waitFor()
    await page.goto(`${stack.url}/#${route}`)
    return page
  }

  /**
   * Due, done and overdue per duty in a village for a dashboard month, counted from the stored pairing
   * spans and the raw logs with the cadence rule: the monthly duty's month, the quarterly duties' quarter.
   */
  async function handCountDuties(
    villageId: string,
    month: Period,
  ): Promise<Record<Duty, { due: number; done: number; overdue: number }>> {
    const [states, logs] = await Promise.all([
      stack.docs('duty_states', { villageId }),
      stack.docs('contact_logs', { villageId }),
    ])
    const now = new Date()
    const out = {} as Record<Duty, { due: number; done: number; overdue: number }>
    for (const duty of DUTIES) {
      const cfg = DEFAULT_CADENCE[duty]
      const p = periodOf(cfg.period, month.start)
      const c = { due: 0, done: 0, overdue: 0 }
      for (const s of states) {
        const spans = s.pairings as PairingSpan[]
        const archivedAt = (s.archivedAt as Date | null) ?? null
        if (!isPeriodOwed(p, spans, archivedAt, cfg.firstPeriodMinDays)) continue
        c.due++
        const logged = logs.some(
          (l) => l.childId === s._id && l.duty === duty && inPeriod(p, l.occurredAt as Date),
        )
        if (logged) c.done++
        else if (p.end.getTime() <= now.getTime()) c.overdue++
      }
      out[duty] = c
    }
    return out
  }

  async function check(page: Page, shot: string): Promise<void> {
    await page.screenshot({ path: path.join(SCREENSHOTS, `officer-${shot}.png`), fullPage: true })
    expect((await seriousViolations(page)).join('\n'), shot).toBe('')
  }

  const input = (page: Page, label: string) => page.locator(`input[aria-label="${label}"]`)
  const textarea = (page: Page, label: string) => page.locator(`textarea[aria-label="${label}"]`)
  const choose = (scope: Page | ReturnType<Page['getByTestId']>, name: string) =>
    scope
      .getByRole('radio', { name, exact: true })
      .or(scope.getByRole('checkbox', { name, exact: true }))
      .first()
      .click()

  beforeAll(async () => {
    ensureH5Build()
    stack = await startStack({ seed: 'full', staticDir: H5_DIR })
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: CHROMIUM_FLAGS,
    })
    fs.mkdirSync(SCREENSHOTS, { recursive: true })
  })

  afterEach(async (ctx) => {
    if (ctx.task.result?.state === 'fail') {
      for (const [i, page] of pages.entries()) {
        if (page.isClosed()) continue
        const name = `officer-FAILED-${ctx.task.name.slice(0, 20)}-${i}.png`
        await page
          .screenshot({ path: path.join(SCREENSHOTS, name), fullPage: true })
          .catch(() => undefined)
      }
    }
    for (const page of pages)
      await page
        .context()
        .close()
        .catch(() => undefined)
    pages = []
  })

  afterAll(async () => {
    await browser?.close()
    await stack?.close()
  })

  it('a village officer registers a child in four steps, is warned of a duplicate, and pairs the child', async () => {
    // Given an existing child of 清水村 (no ID number will be typed, so name + birth date decide).
    const list = await api<{
      items: Array<{ id: string; name: string; birthDate: string; sex: string }>
    }>('demo-village-1', 'children.list', { limit: 1 })
    const twin = list.items[0]!
    const page = await openAs('demo-village-1', '/officer/child-form/index')

    // Step 1: basic facts.
    const basic = page.getByTestId('step-basic')
    await basic.waitFor()
    await check(page, 'form-1-basic')
    await input(page, '姓名').fill(twin.name)
    await choose(basic, twin.sex === 'male' ? '男' : '女')
    await input(page, '出生日期').fill(twin.birthDate)
    await input(page, '学校').fill('青山镇中心小学')
    await input(page, '年级').fill('三年级')
    await input(page, '家庭住址').fill('清水村3组')
    await page.getByTestId('next-step').click()

    // Step 2: family and guardians.
    const family = page.getByTestId('step-family')
    await family.waitFor()
    await family
      .getByRole('radiogroup', { name: '父亲情况' })
      .getByRole('radio', { name: '外出务工' })
      .click()
    await input(page, '父亲务工地点').fill('广东东莞')
    await family
      .getByRole('radiogroup', { name: '父亲回家频次' })
      .getByRole('radio', { name: '每年一次' })
      .click()
    await input(page, '监护人1姓名').fill('王桂芳')
    await family
      .getByRole('radiogroup', { name: '监护人1与儿童的关系' })
      .getByRole('radio', { name: '祖父母/外祖父母' })
      .click()
    await input(page, '监护人1手机号').fill('13912345678')
    await check(page, 'form-2-family')
    await page.getByTestId('next-step').click()

    // Step 3: categories and needs.
    const needs = page.getByTestId('step-needs')
    await needs.waitFor()
    await choose(page.getByTestId('categories'), '家庭贫困')
    await choose(page.getByTestId('risk'), '中风险')
    await choose(page.getByTestId('needs'), '困难帮扶')
    await check(page, 'form-3-needs')
    await page.getByTestId('next-step').click()

    // Step 4: consent, then submit.
    await page.getByTestId('step-consent').waitFor()
    await choose(page.getByTestId('consent-method'), '纸质签字')
    await check(page, 'form-4-consent')
    await page.getByTestId('submit-child').click()

    // Then the duplicate is named, with the existing record shown.
    const warning = page.getByTestId('duplicate-warning')
    await warning.waitFor()
    expect(await warning.textContent()).toContain(twin.id)
    await page.getByTestId('duplicate-existing').waitFor()
    expect(await page.getByTestId('duplicate-existing').textContent()).toContain(twin.name)
    await check(page, 'form-duplicate')

    // When the officer confirms it is a different child, the record is created and its page opens.
    await page.getByTestId('confirm-not-duplicate').click()
    await page.getByTestId('child-detail').waitFor()
    const childId = new URL(page.url().replace('#', '')).searchParams.get('id')!
    expect(childId).not.toBe(twin.id)
    const created = await api<{ name: string; consent: { state: string }; guardians: unknown[] }>(
      'demo-village-1',
      'children.get',
      { id: childId },
    )
    expect(created).toMatchObject({ name: twin.name, consent: { state: 'granted' } })
    expect(created.guardians).toHaveLength(1)
    await page.getByTestId('pairing-card').getByText('尚未结对帮扶人').waitFor()
    await check(page, 'child-detail')

    // And pairs the child with a helper chosen from the list showing each helper's load.
    await page.getByTestId('pair-child').click()
    const helper = page.getByTestId('helper-usr-demo-helper-2')
    await helper.waitFor()
    expect(await helper.textContent()).toMatch(/正在帮扶 \d+ 名/)
    await check(page, 'pair')
    await helper.click()
    await page.getByTestId('confirm-pair').click()
    await page.getByTestId('current-helper').waitFor()
    expect(await page.getByTestId('current-helper').textContent()).toBe('陈志强')
    const history = await api<{ current: { helperId: string } | null }>(
      'demo-village-1',
      'pairings.history',
      {
        childId,
      },
    )
    expect(history.current?.helperId).toBe('usr-demo-helper-2')

    // The list finds the child by name and by filter.
    await page.goto(`${stack.url}/#/officer/children/index`)
    await page.getByTestId('children-list').waitFor()
    await check(page, 'children')
    await page.context().close()
  })

  it('a helper raises an urgent report in three taps; the township sees it at once and closes it', async () => {
    // Given 张丽华's first paired child, when she opens the child's page and taps 强制报告,
    const helper = await openAs('demo-helper-1', '/pages/child/index?id=chd-demo-01')
    await helper.getByTestId('urgent-report').click()
    await helper.getByTestId('report-form').waitFor()
    await check(helper, 'report-form')
    // taps a kind, says what she saw (time defaults to now), and taps 立即报告:
    await choose(helper.getByTestId('report-kind'), '疑似遭受暴力或虐待')
    await textarea(helper, '看到的情况').fill('孩子手臂有多处淤青，说是被打的')
    await helper.getByTestId('submit-report').click()
    await helper.getByTestId('report-sent').waitFor()
    await check(helper, 'report-sent')
    await helper.context().close()

    // Then the township officer's home shows a report waiting, at once.
    const officer = await openAs('demo-township', '/officer/home/index')
    await officer.getByTestId('officer-today').waitFor()
    expect(await officer.getByTestId('today-reports').textContent()).toContain('待接收 1')
    await check(officer, 'home')

    // The list shows it; the detail moves it received → handling (police informed) → closed.
    await officer.getByTestId('today-reports').click()
    const row = officer.getByTestId('report-list').getByRole('link').first()
    await row.waitFor()
    expect(await row.textContent()).toContain('疑似遭受暴力或虐待')
    await check(officer, 'reports')
    await row.click()
    await officer.getByTestId('report-detail').waitFor()
    await check(officer, 'report-detail')
    await officer.getByTestId('report-submit-move').click() // 接收
    await officer.getByTestId('report-actions').waitFor()
    await choose(officer.getByTestId('report-actions'), '已报警')
    await officer.getByTestId('report-submit-move').click() // 开始处置
    await officer.getByTestId('report-event').waitFor()
    await choose(officer.getByTestId('report-event'), '办结')
    await textarea(officer, '办结情况').fill('派出所已介入，孩子由姑姑临时照料')
    await officer.getByTestId('report-submit-move').click() // 办结
    await officer.getByTestId('report-move').waitFor({ state: 'detached' })
    const steps = (await officer.getByTestId('report-steps').textContent()) ?? ''
    for (const text of [
      '报告 → 已报告',
      '接收 → 已接收',
      '开始处置 → 处置中',
      '办结 → 已办结',
      '张丽华',
      '王主任',
      '已报警',
    ]) {
      expect(steps).toContain(text)
    }
    await check(officer, 'report-closed')
    await officer.context().close()
  })

  it('the dashboard shows the numbers a hand count of the demo data gives for the chosen period', async () => {
    const officer = await openAs('demo-township', '/officer/dashboard/index')
    await officer.getByTestId('dashboard').waitFor()
    const villages = await api<{ villages: Array<{ id: string; name: string }> }>(
      'demo-township',
      'org.villages',
      {},
    )
    let total = 0
    for (const v of villages.villages) {
      // Hand count: the active children of the village, as the archive list counts them.
      const { total: count } = await api<{ total: number }>('demo-township', 'children.list', {
        villageId: v.id,
        limit: 1,
      })
      total += count
      const cells = await officer
        .getByTestId(`village-row-${v.id}`)
        .getByRole('cell')
        .allTextContents()
      expect(cells[0], v.name).toBe(String(count))
      const poverty = await api<{ total: number }>('demo-township', 'children.list', {
        villageId: v.id,
        category: 'poverty',
        limit: 1,
      })
      expect(await officer.getByTestId(`village-card-${v.id}`).textContent()).toContain(
        `家庭贫困 ${poverty.total}`,
      )
    }
    const totalCells = await officer
      .getByTestId('village-row-total')
      .getByRole('cell')
      .allTextContents()
    expect(totalCells[0]).toBe(String(total))
    // Every trend bar is labelled with its rate.
    expect(await officer.getByTestId('trend').getByRole('listitem').count()).toBe(6)
    await check(officer, 'dashboard')

    // Last month, a period that has ended: each village's duties against a hand count of the stored
    // pairings and logs (as they are now, after the tests above), child by child.
    const lastMonth = previousPeriod(periodOf('month', new Date()))
    await choose(officer.getByTestId('period'), periodLabel(lastMonth.key))
    await officer.getByText(`${periodLabel(lastMonth.key)} · 数据截至`).waitFor()
    for (const v of villages.villages) {
      const card = (await officer.getByTestId(`village-card-${v.id}`).textContent()) ?? ''
      for (const [duty, c] of Object.entries(await handCountDuties(v.id, lastMonth))) {
        expect(card, `${v.name} ${duty}`).toContain(
          `${DUTY_LABELS[duty as Duty]}完成 ${c.done}/${c.due} · 逾期 ${c.overdue}`,
        )
      }
    }
    await check(officer, 'dashboard-last-month')

    // A quarter works the same way.
    await choose(officer.getByTestId('period-kind'), '按季度')
    await officer
      .getByTestId('dashboard')
      .getByText(/第\d季度/)
      .waitFor()
    await check(officer, 'dashboard-quarter')
    await officer.context().close()
  })

  it('the ledger downloads and parses back with the expected rows', async () => {
    const officer = await openAs('demo-township', '/officer/ledger/index')
    await officer.getByTestId('export-ledger').waitFor()
    await check(officer, 'ledger')
    const download = officer.waitForEvent('download')
    await officer.getByTestId('export-ledger').click()
    const file = await download
    const saved = path.join(os.tmpdir(), `shouhu-ledger-${Date.now()}.xlsx`)
    await file.saveAs(saved)
    await officer.getByTestId('ledger-result').waitFor()
    await check(officer, 'ledger-done')

    const book = new ExcelJS.Workbook()
    await book.xlsx.readFile(saved)
    const rows = (name: string) => Math.max(0, (book.getWorksheet(name)?.actualRowCount ?? 0) - 1)
    const active = await api<{ total: number }>('demo-township', 'children.list', { limit: 1 })
    // The period's children: every active child (the archived demo children left before this month).
    expect(rows('儿童档案')).toBeGreaterThanOrEqual(active.total)
    const shown = (await officer.getByTestId('ledger-result').textContent()) ?? ''
    for (const sheet of ['儿童档案', '联系走访记录', '帮扶措施', '强制报告']) {
      expect(shown).toContain(`${sheet}${rows(sheet)} 行`)
    }
    expect(rows('强制报告')).toBeGreaterThanOrEqual(1)
    fs.rmSync(saved, { force: true })
    await officer.context().close()
  })
})
