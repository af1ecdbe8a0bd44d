// Urgent reports (强制报告) through the api function: raised by a helper, pushed, escalated after 24 h, moved to closed.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { seedDemoData } from '../../scripts/demo-data'
import { startStack, type Stack } from '../support/stack'

let stack: Stack
const NOW = new Date('2026-03-10T10:00:00+08:00')
const HOUR = 3_600_000

type Report = {
  id: string
  status: string
  version: number
  escalated: boolean
  villageId: string
  actions: string[]
  steps: Array<{ event: string; to: string; by: { id: string } }>
  push: { pushed: boolean; error: string | null; undeliverable: string[] }
  closedAt: string | null
}

beforeAll(async () => {
  stack = await startStack()
  stack.emulator.clock.set(NOW)
  await seedDemoData(stack.url, 'full')
}, 120_000)
afterAll(() => stack?.close())

const raise = (openid: string, childId: string, requestId?: string) =>
  stack.ok<{ report: Report }>(
    openid,
    'reports.create',
    {
      childId,
      kind: 'left_alone_or_missing',
      seen: '孩子独自在家两天，爷爷住院',
      occurredAt: '2026-03-10T08:00:00+08:00',
    },
    requestId,
  )

describe('given demo-helper-1 paired with chd-demo-01', () => {
  let report: Report
  it('when they raise a report, then it is stored as reported and its push outcome is recorded', async () => {
    report = (await raise('demo-helper-1', 'chd-demo-01', 'req-report-0001')).report
    expect(report.status).toBe('reported')
    expect(report.steps).toHaveLength(1)
    expect(report.escalated).toBe(false)
    // The push goes to the township officers and this village's officer only; whoever it did not
    // reach (no subscription quota in the demo data) is listed, to be flagged in red on their home page.
    expect(report.push.error).toBeNull()
    expect(report.push.undeliverable).not.toContain('usr-demo-village-2')
  })

  it('when the same submission is retried, then there is still one report', async () => {
    const again = (await raise('demo-helper-1', 'chd-demo-01', 'req-report-0001')).report
    expect(again.id).toBe(report.id)
  })

  it('when they report a child not paired with them, then NOT_FOUND', async () => {
    const f = await stack.fails('demo-helper-1', 'reports.create', {
      childId: 'chd-demo-11',
      kind: 'injury',
      seen: '手臂受伤',
      occurredAt: '2026-03-10T08:00:00+08:00',
    })
    expect(f.code).toBe('NOT_FOUND')
  })

  it('then the township sees it at once, and the other village officer does not', async () => {
    const list = await stack.ok<{ items: Report[] }>('demo-township', 'reports.list', {
      open: true,
    })
    expect(list.items.map((r) => r.id)).toContain(report.id)
    const other = await stack.ok<{ items: Report[] }>('demo-village-2', 'reports.list', {})
    expect(other.items.map((r) => r.id)).not.toContain(report.id)
    expect((await stack.fails('demo-village-2', 'reports.get', { id: report.id })).code).toBe(
      'NOT_FOUND',
    )
    const home = await stack.ok<{
      reports: { waiting: number; unpushedToMe: Array<{ id: string }> }
    }>('demo-township', 'stats.home', {})
    expect(home.reports.waiting).toBe(1)
    const flagged = !report.push.pushed || report.push.undeliverable.includes('usr-demo-township')
    expect(home.reports.unpushedToMe.map((r) => r.id)).toEqual(flagged ? [report.id] : [])
  })

  it('when nobody receives it for 24 hours, then it is escalated', async () => {
    stack.emulator.clock.set(new Date(NOW.getTime() + 24 * HOUR + 60_000))
    const got = await stack.ok<{ report: Report }>('demo-township', 'reports.get', {
      id: report.id,
    })
    expect(got.report.escalated).toBe(true)
    const escalated = await stack.ok<{ items: Report[] }>('demo-township', 'reports.list', {
      escalated: true,
    })
    expect(escalated.items.map((r) => r.id)).toEqual([report.id])
  })

  it('when the township moves it received → handling → closed, then each step is kept with who', async () => {
    let r = report
    const move = async (event: string, extra: Record<string, unknown> = {}) => {
      r = (
        await stack.ok<{ report: Report }>('demo-township', 'reports.transition', {
          id: r.id,
          version: r.version,
          event,
          ...extra,
        })
      ).report
    }
    expect(
      (
        await stack.fails('demo-township', 'reports.transition', {
          id: r.id,
          version: r.version,
          event: 'close',
          note: 'x',
        })
      ).code,
    ).toBe('CONFLICT')
    await move('receive')
    expect(r.escalated).toBe(false)
    await move('handle', { actions: ['guardianship_intervention'] })
    await move('act', { actions: ['police_informed'] })
    await move('close', { note: '已联系父亲返乡照料' })
    expect(r.status).toBe('closed')
    expect(r.closedAt).not.toBeNull()
    expect(r.actions).toEqual(['guardianship_intervention', 'police_informed'])
    expect(r.steps.map((s) => s.to)).toEqual([
      'reported',
      'received',
      'handling',
      'handling',
      'closed',
    ])
    expect(r.steps.slice(1).every((s) => s.by.id === 'usr-demo-township')).toBe(true)
    const stale = await stack.fails('demo-township', 'reports.transition', {
      id: r.id,
      version: 2,
      event: 'receive',
    })
    expect(stale.code).toBe('CONFLICT')
  })

  it('then the helper sees their own report, and a helper may not move it', async () => {
    const mine = await stack.ok<{ items: Report[] }>('demo-helper-1', 'reports.list', {})
    expect(mine.items.map((r) => r.id)).toEqual([report.id])
    const f = await stack.fails('demo-helper-1', 'reports.transition', {
      id: report.id,
      version: 1,
      event: 'receive',
    })
    expect(f.code).toBe('FORBIDDEN')
    const other = await stack.ok<{ items: Report[] }>('demo-helper-2', 'reports.list', {})
    expect(other.items).toEqual([])
  })
})
