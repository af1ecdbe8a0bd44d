// Measures (帮扶措施) through the api function: one live measure per need, the workflow, and the child's plan.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { seedDemoData } from '../../scripts/demo-data'
import { startStack, type Stack } from '../support/stack'

let stack: Stack
const NOW = new Date('2026-03-10T10:00:00+08:00')

type Measure = { id: string; status: string; version: number; kind: string }
type Plan = { kind: string; needs: string[]; unmetNeeds: string[]; measures: Measure[] }

beforeAll(async () => {
  stack = await startStack()
  stack.emulator.clock.set(NOW)
  await seedDemoData(stack.url, 'full')
}, 120_000)
afterAll(() => stack?.close())

// chd-demo-02 (n = 1) has two categories, guardianship-gap style compound needs: a combined plan.
describe('given chd-demo-02 with compound needs', () => {
  let plan: Plan
  let measure: Measure
  it('then its plan is combined and every need is unmet', async () => {
    plan = (
      await stack.ok<{ plan: Plan }>('demo-village-1', 'measures.list', { childId: 'chd-demo-02' })
    ).plan
    expect(plan.kind).toBe('combined')
    expect(plan.needs.length).toBe(2)
    expect(plan.unmetNeeds).toEqual(plan.needs)
  })

  it('when the officer adds a measure for a need, then that need is met', async () => {
    const kind = plan.needs[0]
    const out = await stack.ok<{ measure: Measure; plan: Plan }>(
      'demo-village-1',
      'measures.create',
      {
        childId: 'chd-demo-02',
        kind,
        what: '申请临时救助金并对接爱心企业助学',
        provider: { type: 'donor', name: '青山爱心商会' },
      },
    )
    measure = out.measure
    expect(measure.status).toBe('planned')
    expect(out.plan.unmetNeeds).toEqual(plan.needs.slice(1))
    const dup = await stack.fails('demo-village-1', 'measures.create', {
      childId: 'chd-demo-02',
      kind,
      what: '再来一项',
      provider: { type: 'department', name: '民政办' },
    })
    expect(dup.code).toBe('CONFLICT')
  })

  it('when a kind the child does not need is added, then VALIDATION', async () => {
    const f = await stack.fails('demo-village-1', 'measures.create', {
      childId: 'chd-demo-02',
      kind: 'legal_aid',
      what: '法律咨询',
      provider: { type: 'department', name: '司法所' },
    })
    expect(f.code).toBe('VALIDATION')
    expect(f.issues?.[0]?.path).toBe('kind')
  })

  it('when it moves planned → in_progress → done, then done needs an outcome', async () => {
    const up = (data: Record<string, unknown>) =>
      stack.call<{ measure: Measure; plan: Plan }>('demo-village-1', 'measures.update', {
        id: measure.id,
        version: measure.version,
        ...data,
      })
    let r = await up({ event: 'start' })
    if (!r.ok) throw new Error(r.message)
    measure = r.data.measure
    expect(measure.status).toBe('in_progress')
    const noOutcome = await up({ event: 'complete' })
    expect(noOutcome.ok ? 'ok' : noOutcome.code).toBe('VALIDATION')
    r = await up({ event: 'complete', outcome: '已发放救助金2000元' })
    if (!r.ok) throw new Error(r.message)
    expect(r.data.measure.status).toBe('done')
    expect(r.data.plan.unmetNeeds).toEqual(plan.needs.slice(1))
    const again = await up({ event: 'start' })
    expect(again.ok ? 'ok' : again.code).toBe('CONFLICT')
  })

  it('then the paired helper sees the plan, another helper and the other village do not', async () => {
    expect(
      (await stack.fails('demo-helper-1', 'measures.list', { childId: 'chd-demo-11' })).code,
    ).toBe('NOT_FOUND')
    expect(
      (await stack.fails('demo-village-2', 'measures.list', { childId: 'chd-demo-02' })).code,
    ).toBe('NOT_FOUND')
    const mine = await stack.ok<{ plan: Plan }>('demo-helper-1', 'measures.list', {
      childId: 'chd-demo-02',
    })
    expect(mine.plan.measures.map((m) => m.id)).toEqual([measure.id])
  })
})
