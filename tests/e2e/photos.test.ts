// Browser tests of photos on a contact log (h5 build + emulator): attach a real PNG, see it on the child
// page through a temporary link, and keep it in an offline draft until the network returns.
import { describe, expect, it } from 'vitest'
import type { Page } from 'playwright-core'
import { makePng } from '../support/photos'
import { screenshot, seriousViolations, signInAs, useDemoH5 } from './support'

const HELPER = 'demo-helper-1'
const CHILD = 'chd-demo-01'

type Log = { id: string; photoCount: number; learned: { dailyLife: string } }

describe('photos on a home visit, on the h5 build', () => {
  const h5 = useDemoH5()

  async function logWith(marker: string): Promise<Log | undefined> {
    const out = await h5.stack.ok<{ logs: Log[] }>(HELPER, 'contacts.list', {
      childId: CHILD,
      limit: 100,
    })
    return out.logs.find((l) => l.learned.dailyLife === marker)
  }

  /** Opens the log form for the child as a home visit, with a note. */
  async function openVisitForm(page: Page, marker: string): Promise<void> {
    await signInAs(page, h5.stack.url, HELPER)
    await page.getByTestId(`board-row-${CHILD}`).click()
    await page.getByTestId('log-contact').click()
    await page.getByTestId('log-form').waitFor()
    await page.locator('[data-testid="duty"] [data-value="home_visit"]').click()
    await page.getByTestId('input-dailyLife').fill(marker)
  }

  /** Picks a PNG through the file chooser the "add photo" button opens. */
  async function attachPng(page: Page, name: string): Promise<void> {
    const [chooser] = await Promise.all([
      page.waitForEvent('filechooser'),
      page.getByTestId('photo-picker-add').click(),
    ])
    await chooser.setFiles({ name, mimeType: 'image/png', buffer: makePng(320, 240, 30) })
    await page.getByTestId('photo-picker-remove-0').waitFor()
  }

  const imagesLoaded = (selector: string) =>
    `Array.from(document.querySelectorAll('${selector} img')).length > 0 && Array.from(document.querySelectorAll('${selector} img')).every((i) => i.complete && i.naturalWidth > 0)`

  it('a helper attaches a PNG to a home visit and sees it on the child page', async () => {
    const page = await h5.browser.context.newPage()
    const marker = `走访带照片-${Date.now()}`
    await openVisitForm(page, marker)
    await attachPng(page, 'visit.png')
    await page.waitForFunction(imagesLoaded('[data-testid="photo-picker"]'))
    expect(await page.getByTestId('photo-picker-add').textContent()).toContain('1/4')
    await screenshot(page, 'photos-log-form')
    expect(await seriousViolations(page)).toEqual([])

    await page.getByTestId('submit-log').click()
    await page.getByTestId('confirm-link').waitFor()
    const log = await logWith(marker)
    expect(log?.photoCount).toBe(1)

    await page.goto(`${h5.stack.url}/#/pages/child/index?id=${CHILD}`)
    const button = page.getByTestId(`photos-${log?.id ?? ''}`)
    await button.waitFor()
    expect(await button.textContent()).toContain('照片 1')
    expect(await seriousViolations(page)).toEqual([])
    await button.click()
    const viewer = `[data-testid="photo-viewer-${log?.id ?? ''}"]`
    await page.locator(viewer).waitFor()
    // The photo really loads, through a temporary link to private storage.
    await page.waitForFunction(imagesLoaded(viewer))
    const src = await page.locator(`${viewer} img`).first().getAttribute('src')
    expect(src).toContain('/__storage/file/')
    expect(src).toContain('sign=')
    await screenshot(page, 'photos-child-viewer')
    expect(await seriousViolations(page)).toEqual([])
    await page.getByTestId(`photo-viewer-${log?.id ?? ''}-close`).click()
    await page.locator(viewer).waitFor({ state: 'detached' })
    await page.close()
  })

  it('a log with a photo written offline keeps the photo and is sent once, with it, when the network returns', async () => {
    const page = await h5.browser.context.newPage()
    const marker = `离线带照片-${Date.now()}`
    await openVisitForm(page, marker)
    await attachPng(page, 'offline.png')
    await h5.browser.context.setOffline(true)
    await page.getByTestId('submit-log').click()
    await page.getByTestId('saved-offline').waitFor()
    await page.getByTestId('back').click()
    const waiting = page.getByTestId('child-drafts')
    await waiting.getByText('含1张照片').waitFor()
    await screenshot(page, 'photos-offline-waiting')

    await h5.browser.context.setOffline(false)
    await page.getByTestId('child-drafts').waitFor({ state: 'detached', timeout: 30_000 })
    const log = await logWith(marker)
    expect(log?.photoCount).toBe(1)
    const links = await h5.stack.ok<{ photos: Array<{ url: string }> }>(HELPER, 'contacts.photos', {
      logId: log?.id,
    })
    const res = await fetch(links.photos[0]?.url ?? '')
    expect(res.headers.get('content-type')).toBe('image/png')
    await page.close()
  })
})
