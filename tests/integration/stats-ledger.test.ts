// The supervision dashboard and the ledger through the api function, checked against a hand count of the demo data.
import ExcelJS from 'exceljs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DEFAULT_CADENCE, DUTIES, isPeriodOwed, type Duty } from '../../src/core/cadence'
import { buildDutyState } from '../../src/core/duties'
import { LEDGER_SHEETS } from '../../src/core/ledger'
import { inPeriod, parsePeriodKey, periodOf, type Period } from '../../src/core/time'
import { demoSeed, seedDemoData } from '../../scripts/demo-data'
import { startStack, type Stack } from '../support/stack'

let stack: Stack
const NOW = new Date('2026-03-10T10:00:00+08:00')
const FEB = parsePeriodKey('2026-02') as Period
const Q1 = periodOf('quarter', FEB.start)

type Counts = { due: number; done: number; open: number; overdue: number }
type VillageStats = {
  villageId: string | null
  children: { total: number }
  duties: Record<Duty, Counts>
  contacts: { total: number; confirmed: number; disputed: number }
}
type Dashboard = {
  period: { key: string }
  villages: VillageStats[]
  total: VillageStats
  trend: Array<{ periodKey: string }>
  ranking: Array<{ villageId: string; rank: number; score: number }>
}

type RawLog = { childId: string; villageId: string; duty: Duty; occurredAt: { $date: string } }
type RawState = ReturnType<typeof buildDutyState> & {
  pairings: Array<{ start: unknown; end: unknown }>
}
const d = (v: unknown) => new Date((v as { $date: string }).$date)

/** The hand count: straight from the demo documents, child by child, no aggregate. */
function handCount(villageId: string) {
  const seed = demoSeed(NOW, 'full').collections
  const children = (
    seed.children as Array<{ _id: string; villageId: string; status: string }>
  ).filter((c) => c.villageId === villageId)
  const logs = (seed.contact_logs as RawLog[]).filter((l) => l.villageId === villageId)
  const states = (seed.duty_states as RawState[]).filter((s) => s.villageId === villageId)
  const out = {} as Record<Duty, Counts>
  for (const duty of DUTIES) {
    const p = duty === 'guardian_contact' ? FEB : Q1
    const ended = p.end.getTime() <= NOW.getTime()
    const c = { due: 0, done: 0, open: 0, overdue: 0 }
    for (const s of states) {
      const spans = s.pairings.map((x) => ({
        helperId: '',
        start: d(x.start),
        end: x.end ? d(x.end) : null,
      }))
      const archivedAt = s.archivedAt ? d(s.archivedAt) : null
      if (!isPeriodOwed(p, spans, archivedAt, DEFAULT_CADENCE[duty].firstPeriodMinDays)) continue
      c.due++
      const logged = logs.some(
        (l) => l.childId === s._id && l.duty === duty && inPeriod(p, d(l.occurredAt)),
      )
      if (logged) c.done++
      else if (ended) c.overdue++
      else c.open++
    }
    out[duty] = c
  }
  return {
    children: children.filter((c) => c.status === 'active').length,
    duties: out,
    contacts: logs.filter((l) => inPeriod(FEB, d(l.occurredAt))).length,
  }
}

beforeAll(async () => {
  stack = await startStack()
  stack.emulator.clock.set(NOW)
  await seedDemoData(stack.url, 'full')
}, 120_000)
afterAll(() => stack?.close())

describe('given the demo township on 10 March 2026', () => {
  it('when the township reads February, then each village matches the hand count, in ≤ 10 database calls', async () => {
    const before = stack.emulator.database.stats().calls
    const dash = await stack.ok<Dashboard>('demo-township', 'stats.compliance', {
      period: '2026-02',
    })
    const calls = stack.emulator.database.stats().calls - before
    expect(calls).toBeLessThanOrEqual(10)
    expect(dash.period.key).toBe('2026-02')
    for (const villageId of ['vil-demo-1', 'vil-demo-2']) {
      const v = dash.villages.find((x) => x.villageId === villageId)
      const hand = handCount(villageId)
      expect(v?.children.total).toBe(hand.children)
      for (const duty of DUTIES) {
        const { due, done, open, overdue } = v?.duties[duty] ?? ({} as Counts)
        expect({ duty, due, done, open, overdue }).toEqual({ duty, ...hand.duties[duty] })
      }
      expect(v?.contacts.total).toBe(hand.contacts)
    }
    expect(dash.trend.map((t) => t.periodKey)).toEqual([
      '2025-09',
      '2025-10',
      '2025-11',
      '2025-12',
      '2026-01',
      '2026-02',
    ])
    expect(dash.ranking.map((r) => r.villageId).sort()).toEqual(['vil-demo-1', 'vil-demo-2'])
    // Some guardian contacts were missed last month in the demo data: February shows them overdue.
    expect(dash.total.duties.guardian_contact.overdue).toBeGreaterThan(0)
  })

  it('when a village officer reads the dashboard, then only their village is in it', async () => {
    const dash = await stack.ok<Dashboard>('demo-village-1', 'stats.compliance', {})
    expect(dash.villages.map((v) => v.villageId)).toEqual(['vil-demo-1'])
    const f = await stack.fails('demo-village-1', 'stats.compliance', { villageId: 'vil-demo-2' })
    expect(f.code).toBe('FORBIDDEN')
  })

  it('when the officer home is read, then overdue counts come from the duty states', async () => {
    const home = await stack.ok<{ overdue: { children: number } }>(
      'demo-township',
      'stats.home',
      {},
    )
    expect(home.overdue.children).toBeGreaterThan(0)
  })

  it('when demo-village-1 exports February, then the ledger downloads and parses back with the expected rows', async () => {
    const out = await stack.ok<{
      tempFileURL: string
      fileID: string
      rows: Record<string, number>
    }>('demo-village-1', 'ledger.export', { period: '2026-02' })
    const hand = handCount('vil-demo-1')
    expect(out.rows.children).toBe(hand.children)
    expect(out.rows.contacts).toBe(hand.contacts)
    const res = await fetch(out.tempFileURL)
    expect(res.ok).toBe(true)
    const wb = new ExcelJS.Workbook()
    await wb.xlsx.load(await res.arrayBuffer())
    expect(wb.worksheets.map((w) => w.name)).toEqual(Object.values(LEDGER_SHEETS))
    const children = wb.getWorksheet(LEDGER_SHEETS.children)
    expect((children?.rowCount ?? 0) - 1).toBe(hand.children)
    const idCells = (children?.getColumn(7).values ?? []).slice(2).map(String)
    expect(idCells.every((v) => v.includes('*'))).toBe(true)
    const villages = new Set((children?.getColumn(2).values ?? []).slice(2).map(String))
    expect([...villages]).toEqual(['清水村'])
    const contacts = wb.getWorksheet(LEDGER_SHEETS.contacts)
    expect((contacts?.rowCount ?? 0) - 1).toBe(hand.contacts)
    expect((contacts?.getColumn(8).values ?? []).slice(2).every((v) => v === '未确认')).toBe(true)
  })

  it('then a village officer cannot export another village', async () => {
    const f = await stack.fails('demo-village-1', 'ledger.export', {
      period: '2026-02',
      villageId: 'vil-demo-2',
    })
    expect(f.code).toBe('FORBIDDEN')
    expect((await stack.fails('demo-helper-1', 'ledger.export', { period: '2026-02' })).code).toBe(
      'FORBIDDEN',
    )
  })
})
