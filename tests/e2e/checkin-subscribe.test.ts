// Browser tests of the household check-in (一户一码) and the reminder subscription prompt on the h5 build.
import jsQR from 'jsqr'
import type { Page } from 'playwright-core'
import { PNG } from 'pngjs'
import { describe, expect, it } from 'vitest'
import { screenshot, seriousViolations, signInAs, useDemoH5 } from './support'

type Doc = Record<string, unknown>
type Log = { id: string; duty: string; checkin: { id: string; at: string } | null }
type Ledger = { items: Array<{ template: string; remaining: number; unreachableSince: unknown }> }

/** China wall-clock 'HH:mm' of an instant. */
const chinaClock = (at: Date) => new Date(at.getTime() + 8 * 3_600_000).toISOString().slice(11, 16)

describe('household check-in and the reminder prompt on the h5 build', () => {
  const h5 = useDemoH5()

  const visitsOf = (childId: string) => h5.stack.docs('checkins', { kind: 'visit', childId })
  const storedAt = (doc: Doc | undefined) => doc?.at as Date

  /** Waits until the page's own `subscriptions.mine` call has been answered (and rendered). */
  function ledgerAnswered(page: Page) {
    return page.waitForResponse(
      (r) =>
        r.url().endsWith('/cloud/api') &&
        (r.request().postData() ?? '').includes('"subscriptions.mine"'),
    )
  }

  it('an officer shows the household code; the paired helper checks in from it and logs the visit; another helper is refused', async () => {
    const CHILD = 'chd-demo-02'
    const page = await h5.browser.context.newPage()

    // The village officer opens the child's archive and shows the household code.
    await signInAs(page, h5.stack.url, 'demo-village-1')
    await page.goto(`${h5.stack.url}/#/officer/child/index?id=${CHILD}`)
    await page.getByTestId('show-household-code').click()
    const img = page.getByTestId('household-code').locator('img')
    await img.waitFor()
    await page.waitForFunction(() => {
      const el = document.querySelector<HTMLImageElement>('[data-testid="household-code"] img')
      return (el?.naturalWidth ?? 0) > 0
    })
    expect(await img.getAttribute('alt')).toContain('一户一码')
    await screenshot(page, 'officer-household-code')
    expect(await seriousViolations(page)).toEqual([])

    // The printed code is a real QR image; it carries the check-in page's link with the scene.
    const png = await fetch(new URL((await img.getAttribute('src'))!, h5.stack.url))
    const decoded = PNG.sync.read(Buffer.from(await png.arrayBuffer()))
    const qr = jsQR(new Uint8ClampedArray(decoded.data), decoded.width, decoded.height)
    const link = qr?.data ?? ''
    expect(link).toMatch(/#\/pages\/checkin\/index\?scene=H\./)
    expect((await page.getByTestId('household-link').textContent())?.trim()).toBe(link)

    // A helper not paired with this child pastes the code (h5's stand-in for the camera): refused.
    await signInAs(page, h5.stack.url, 'demo-helper-2')
    await page.getByTestId('scan-household').click()
    await page.getByTestId('checkin-page').waitFor()
    await page.getByTestId('scan-now').click()
    await page.getByText('本地模式无法调用相机').waitFor()
    await page.getByTestId('paste-code').fill(link)
    await page.getByTestId('use-pasted').click()
    const refusal = page.getByTestId('checkin-error')
    await refusal.waitFor()
    expect(await refusal.textContent()).toContain('您没有与这户的儿童结对，不能在此签到')
    await screenshot(page, 'checkin-refused')
    expect(await seriousViolations(page)).toEqual([])
    expect(await visitsOf(CHILD)).toEqual([])

    // The paired helper opens the code's link: lands in the home-visit form, the time shown.
    await signInAs(page, h5.stack.url, 'demo-helper-1')
    await page.goto(link)
    await page.getByTestId('log-form').waitFor()
    expect(page.url()).toContain(`childId=${CHILD}`)
    const [visit] = await visitsOf(CHILD)
    expect(visit).toMatchObject({ helperId: 'usr-demo-helper-1', logId: null })
    const recorded = page.getByTestId('checkin-recorded')
    expect(await recorded.textContent()).toContain(`签到时间`)
    expect(await recorded.textContent()).toContain(chinaClock(storedAt(visit)))
    expect(
      await page
        .locator('[data-testid="duty"] [data-value="home_visit"]')
        .getAttribute('aria-checked'),
    ).toBe('true')
    await screenshot(page, 'checkin-log-form')
    expect(await seriousViolations(page)).toEqual([])

    // Opening the code again before logging keeps the same check-in (and its time).
    await page.goto(link)
    await page.getByTestId('log-form').waitFor()
    expect(await visitsOf(CHILD)).toHaveLength(1)
    expect(page.url()).toContain(`checkinId=${encodeURIComponent(String(visit!._id))}`)

    await page.getByTestId('input-dailyLife').fill('扫码上门：家中整洁')
    await page.getByTestId('submit-log').click()
    await page.getByTestId('log-sent').waitFor()

    const { logs } = await h5.stack.ok<{ logs: Log[] }>('demo-helper-1', 'contacts.list', {
      childId: CHILD,
      limit: 100,
    })
    const withCheckin = logs.filter((l) => l.checkin?.id === visit!._id)
    expect(withCheckin).toHaveLength(1)
    expect(withCheckin[0]).toMatchObject({ duty: 'home_visit' })
    expect(new Date(withCheckin[0]!.checkin!.at).getTime()).toBe(storedAt(visit).getTime())
    const [claimed] = await visitsOf(CHILD)
    expect(claimed).toMatchObject({ logId: withCheckin[0]!.id })
    await page.close()
  })

  it('a helper with no reminder quota is offered reminders, accepts once, and is not asked again', async () => {
    const HELPER = 'demo-helper-2'
    const CHILD = 'chd-demo-11'
    const remaining = async () =>
      (await h5.stack.ok<Ledger>(HELPER, 'subscriptions.mine')).items.find(
        (i) => i.template === 'helper_digest',
      )?.remaining
    expect(await remaining()).toBe(0)

    const page = await h5.browser.context.newPage()
    const firstLedger = ledgerAnswered(page)
    await signInAs(page, h5.stack.url, HELPER)
    await firstLedger
    // The natural moments: on the home page…
    await page.getByTestId('subscribe-home').waitFor()
    await screenshot(page, 'subscribe-home')
    expect(await seriousViolations(page)).toEqual([])

    // …and right after logging a contact, where the helper accepts.
    await page.getByTestId(`board-row-${CHILD}`).click()
    await page.getByTestId('log-contact').click()
    await page.getByTestId('log-form').waitFor()
    await page.getByTestId('input-dailyLife').fill('电话联系：一切正常')
    await page.getByTestId('submit-log').click()
    const prompt = page.getByTestId('subscribe-after_log')
    await prompt.waitFor()
    expect(await prompt.textContent()).toContain('需要在下次该联系时收到微信提醒吗')
    await screenshot(page, 'subscribe-after-log')
    expect(await seriousViolations(page)).toEqual([])
    await prompt.getByTestId('subscribe').click()
    const done = page.getByTestId('subscribe-done')
    await done.waitFor()
    expect(await done.textContent()).toContain('已开启提醒')
    await screenshot(page, 'subscribe-accepted')

    // The grant reached the server's ledger: one reminder may now be sent, no longer unreachable.
    const ledger = await h5.stack.ok<Ledger>(HELPER, 'subscriptions.mine')
    expect(ledger.items.find((i) => i.template === 'helper_digest')).toMatchObject({
      remaining: 1,
      unreachableSince: null,
    })

    // Back on the home page the prompt does not come back.
    const againLedger = ledgerAnswered(page)
    await page.getByTestId('go-home').click()
    await againLedger
    await page.getByTestId(`board-row-${CHILD}`).waitFor()
    // Give the answered ledger a moment to render before checking that nothing appeared.
    await page.waitForTimeout(500)
    expect(await page.getByTestId('subscribe-home').count()).toBe(0)
    await screenshot(page, 'subscribe-home-after')
    await page.close()
  })
})
