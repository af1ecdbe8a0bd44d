// Browser tests of the helper and guardian flows (issue 5) on the h5 build with the emulator.
import { describe, expect, it } from 'vitest'
import type { Page } from 'playwright-core'
import { screenshot, seriousViolations, signInAs, useDemoH5 } from './support'

const HELPER = 'demo-helper-1'
const GUARDIAN = 'demo-guardian-1'
const CHILD = 'chd-demo-01'

type LogList = { ok: boolean; data: { logs: { id: string; learned: { dailyLife: string } }[] } }

describe('helper and guardian on the h5 build', () => {
  const h5 = useDemoH5()

  async function logsOf(childId: string): Promise<LogList['data']['logs']> {
    const out = (await h5.stack.api(HELPER, {
      action: 'contacts.list',
      data: { childId, limit: 100 },
    })) as LogList
    return out.data.logs
  }

  /** From the board, opens the child, fills the form for `duty` and submits. */
  async function logContact(page: Page, duty: string, note: string): Promise<void> {
    await page.getByTestId(`board-row-${CHILD}`).click()
    await page.getByTestId('log-contact').click()
    await page.getByTestId('log-form').waitFor()
    await page.locator(`[data-testid="duty"] [data-value="${duty}"]`).click()
    await page.getByTestId('input-dailyLife').fill(note)
    await page.getByTestId('phrases-mood').getByText('情绪稳定').click()
    await page.getByTestId('submit-log').click()
  }

  async function confirmAs(page: Page, link: string, answer: 'confirmed' | 'disputed') {
    await signInAs(page, h5.stack.url, GUARDIAN)
    await page.goto(link)
    const check = page.getByTestId('phone-last4')
    const answerButton = page.getByTestId(`answer-${answer}`)
    await check.or(answerButton).waitFor()
    if (await check.isVisible()) {
      await screenshot(page, 'confirm-check')
      expect(await seriousViolations(page)).toEqual([])
      await check.fill('1111')
      await page.getByTestId('check-submit').click()
    }
    await answerButton.waitFor()
    await screenshot(page, `confirm-${answer}-ask`)
    expect(await seriousViolations(page)).toEqual([])
    // Large type: every text on the guardian's screen is at least 18 CSS px.
    const smallest = await page.evaluate(() =>
      Math.min(
        ...Array.from(document.querySelectorAll('.confirm *'))
          .filter((el) => (el.textContent ?? '').trim() && el.children.length === 0)
          .map((el) => parseFloat(getComputedStyle(el).fontSize)),
      ),
    )
    expect(smallest).toBeGreaterThanOrEqual(18)
    if (answer === 'disputed') await page.getByTestId('confirm-comment').fill('那天没有人来过')
    await answerButton.click()
    await page.getByTestId('confirm-thanks').waitFor()
    await screenshot(page, `confirm-${answer}-done`)
  }

  it('a home visit, its QR confirmation by the guardian, and the board showing it done and confirmed', async () => {
    const page = await h5.browser.context.newPage()
    await signInAs(page, h5.stack.url, HELPER)
    await page.getByTestId(`board-row-${CHILD}`).waitFor()
    await screenshot(page, 'helper-board')
    expect(await seriousViolations(page)).toEqual([])
    expect(await page.getByTestId('overdue-badge').textContent()).toMatch(/逾期 \d+ 人/)

    await page.getByTestId(`board-row-${CHILD}`).click()
    await page.getByTestId('child-page').waitFor()
    await page
      .getByTestId('contact-history')
      .getByText(/暂无联系记录|记录人/)
      .first()
      .waitFor()
    await screenshot(page, 'helper-child')
    expect(await seriousViolations(page)).toEqual([])

    await page.getByTestId('log-contact').click()
    await page.getByTestId('log-form').waitFor()
    // Client check beside the field: nothing learned.
    await page.locator('[data-testid="duty"] [data-value="home_visit"]').click()
    await page.getByTestId('submit-log').click()
    expect(await page.getByTestId('learned-error').textContent()).toContain('请至少填写一项')
    await screenshot(page, 'helper-log-form')
    expect(await seriousViolations(page)).toEqual([])

    await page.getByTestId('input-dailyLife').fill('走访：生活正常')
    await page.getByTestId('submit-log').click()
    await page.getByTestId('confirm-link').waitFor()
    const qr = page.getByTestId('confirm-qr').locator('img')
    await qr.waitFor()
    // The QR image really loads (a PNG from wxacode.getUnlimited through a temporary storage link).
    await page.waitForFunction(() => {
      const img = document.querySelector<HTMLImageElement>('[data-testid="confirm-qr"] img')
      return (img?.naturalWidth ?? 0) > 0
    })
    await screenshot(page, 'helper-share-qr')
    expect(await seriousViolations(page)).toEqual([])
    const link = (await page.getByTestId('confirm-link').textContent())!.trim()
    expect(link).toContain('#/confirm/index?scene=')

    await confirmAs(page, link, 'confirmed')

    await signInAs(page, h5.stack.url, HELPER)
    const tag = page.getByTestId(`duty-${CHILD}-home_visit`)
    await tag.waitFor()
    expect(await tag.textContent()).toContain('上门走访 已完成')
    expect(await page.getByTestId(`confirmation-${CHILD}-home_visit`).textContent()).toContain(
      '上门走访：监护人已确认',
    )
    await screenshot(page, 'helper-board-confirmed')
    await page.getByTestId(`board-row-${CHILD}`).click()
    await page.getByTestId('contact-history').getByText('监护人已确认').first().waitFor()
    await screenshot(page, 'helper-child-confirmed')
    await page.close()
  })

  it('the same for a dispute, with the guardian’s comment shown to the helper', async () => {
    const page = await h5.browser.context.newPage()
    await signInAs(page, h5.stack.url, HELPER)
    await logContact(page, 'companionship', '陪伴：一起写作业')
    await page.getByTestId('confirm-link').waitFor()
    const link = (await page.getByTestId('confirm-link').textContent())!.trim()
    await confirmAs(page, link, 'disputed')

    await signInAs(page, h5.stack.url, HELPER)
    expect(await page.getByTestId(`duty-${CHILD}-companionship`).textContent()).toContain('已完成')
    expect(await page.getByTestId(`confirmation-${CHILD}-companionship`).textContent()).toContain(
      '情感陪伴：监护人有异议',
    )
    await page.getByTestId(`board-row-${CHILD}`).click()
    await page.getByTestId('contact-history').getByText('监护人有异议').first().waitFor()
    await page.getByTestId('contact-history').getByText('那天没有人来过').first().waitFor()
    await screenshot(page, 'helper-child-disputed')
    await page.close()
  })

  it('a log written offline waits as 待发送 and is sent once when the network returns', async () => {
    const page = await h5.browser.context.newPage()
    await signInAs(page, h5.stack.url, HELPER)
    const marker = `离线记录-${Date.now()}`
    const before = (await logsOf(CHILD)).length

    await page.getByTestId(`board-row-${CHILD}`).click()
    await page.getByTestId('log-contact').click()
    await page.getByTestId('log-form').waitFor()
    await page.getByTestId('input-dailyLife').fill(marker)
    await h5.browser.context.setOffline(true)
    await page.getByTestId('submit-log').click()
    await page.getByTestId('saved-offline').waitFor()
    await screenshot(page, 'helper-saved-offline')
    expect(await seriousViolations(page)).toEqual([])
    await page.getByTestId('back').click()
    await page.getByTestId('child-drafts').waitFor()
    await screenshot(page, 'helper-child-waiting')

    await h5.browser.context.setOffline(false)
    await page.getByTestId('child-drafts').waitFor({ state: 'detached', timeout: 20_000 })
    const after = await logsOf(CHILD)
    expect(after.filter((l) => l.learned.dailyLife === marker)).toHaveLength(1)
    expect(after.length).toBe(before + 1)
    await page.close()
  })

  it('an officer invites a helper; a new WeChat user joins and sees an empty board', async () => {
    const page = await h5.browser.context.newPage()
    await signInAs(page, h5.stack.url, 'demo-village-1')
    await page.goto(`${h5.stack.url}/#/pages/invite/index`)
    await page.getByTestId('create-invite').click()
    const linkEl = page.getByTestId('invite-link')
    await linkEl.waitFor()
    await screenshot(page, 'officer-invite')
    expect(await seriousViolations(page)).toEqual([])
    const link = (await linkEl.textContent())!.trim()

    await signInAs(page, h5.stack.url, 'new')
    await page.goto(link)
    await page.getByTestId('join-page').waitFor()
    expect(await page.getByTestId('join-invite').textContent()).toContain('帮扶人')
    await screenshot(page, 'join')
    expect(await seriousViolations(page)).toEqual([])
    await page.getByTestId('join-name').fill('王新')
    await page.getByTestId('join-phone').fill('13700002222')
    await page.getByTestId('join-submit').click()
    await page.getByTestId('board-empty').waitFor()
    expect(await page.getByTestId('current-user').textContent()).toContain('王新 · 帮扶人')
    await screenshot(page, 'joined-empty-board')
    expect(await seriousViolations(page)).toEqual([])
    await page.close()
  })
})
