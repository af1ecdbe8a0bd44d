// The rollup contributions: owed runs agree with the cadence rule period by period; deltas add up to a recount.
import { describe, expect, it } from 'vitest'
import { DEFAULT_CADENCE, isPeriodOwed, type PairingSpan } from '../../src/core/cadence'
import {
  addCounters,
  childContribution,
  owedIn,
  owedRuns,
  rollupDeltas,
  rollupsOf,
  stateContribution,
  tallyLogs,
  type StateFacts,
} from '../../src/core/rollups'
import { nextPeriod, periodOf, type Period, type PeriodKind } from '../../src/core/time'

const DAY = 86_400_000
const cn = (s: string) => new Date(`${s}+08:00`)

/** A small deterministic generator, so a failure names its seed. */
function rng(seed: number): () => number {
  let s = seed >>> 0
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0
    return s / 2 ** 32
  }
}

function randomHistory(seed: number): { spans: PairingSpan[]; archivedAt: Date | null } {
  const r = rng(seed)
  let t = cn('2025-01-01T00:00:00').getTime() + Math.floor(r() * 200) * DAY
  const spans: PairingSpan[] = []
  const count = 1 + Math.floor(r() * 3)
  for (let i = 0; i < count; i++) {
    const start = new Date(t + Math.floor(r() * 60) * DAY + Math.floor(r() * 24) * 3_600_000)
    const last = i === count - 1
    const end = last && r() < 0.5 ? null : new Date(start.getTime() + Math.floor(r() * 200) * DAY)
    spans.push({ helperId: `h${i}`, start, end })
    t = (end ?? start).getTime()
  }
  const open = spans.some((s) => s.end === null)
  const archivedAt = !open && r() < 0.5 ? new Date(t + Math.floor(r() * 30) * DAY) : null
  return { spans, archivedAt }
}

describe('owedRuns', () => {
  for (const kind of ['month', 'quarter'] as PeriodKind[]) {
    it(`says owed for exactly the ${kind}s the cadence rule owes (300 random histories)`, () => {
      for (let seed = 1; seed <= 300; seed++) {
        const { spans, archivedAt } = randomHistory(seed)
        const minDays = kind === 'month' ? 10 : 30
        const runs = owedRuns(spans, archivedAt, kind, minDays)
        const owedByRuns = (p: Period) =>
          runs.some((x) => x.from <= p.key && (x.to === null || p.key < x.to))
        for (
          let p = periodOf(kind, cn('2024-10-01T00:00:00'));
          p.start < cn('2027-06-01T00:00:00');
          p = nextPeriod(p)
        ) {
          expect({ seed, period: p.key, owed: owedByRuns(p) }).toEqual({
            seed,
            period: p.key,
            owed: isPeriodOwed(p, spans, archivedAt, minDays),
          })
        }
      }
    })
  }

  it('keeps a run open while the child is paired', () => {
    const runs = owedRuns(
      [{ helperId: 'h', start: cn('2026-01-05T09:00:00'), end: null }],
      null,
      'month',
      10,
    )
    expect(runs).toEqual([{ from: '2026-01', to: null }])
  })
})

describe('contributions', () => {
  const state = (over: Partial<StateFacts> = {}): StateFacts => ({
    _id: 'chd-1',
    townshipId: 't',
    villageId: 'v',
    pairings: [{ helperId: 'h', start: cn('2026-01-05T09:00:00'), end: null }],
    archivedAt: null,
    months: tallyLogs([
      { duty: 'guardian_contact', occurredAt: cn('2026-01-10T10:00:00') },
      { duty: 'guardian_contact', occurredAt: cn('2026-01-20T10:00:00') },
      {
        duty: 'home_visit',
        occurredAt: cn('2026-02-10T10:00:00'),
        confirmation: { answer: 'confirmed' },
      },
    ]),
    ...over,
  })

  it('count a child owed from its first month, done once per period however many logs, and every log', () => {
    const c = stateContribution(state(), DEFAULT_CADENCE).counters
    expect(owedIn(c, 'guardian_contact', '2025-12')).toBe(0)
    expect(owedIn(c, 'guardian_contact', '2026-01')).toBe(1)
    expect(owedIn(c, 'guardian_contact', '2030-07')).toBe(1)
    expect(c['dn:guardian_contact:2026-01']).toBe(1)
    expect(c['dn:home_visit:2026-Q1']).toBe(1)
    expect(c['lg:2026-01']).toBe(2)
    expect(c['cf:2026-02']).toBe(1)
  })

  it('move by the difference only, and sum to the recount', () => {
    const before = state()
    const after = state({
      pairings: [
        { helperId: 'h', start: cn('2026-01-05T09:00:00'), end: cn('2026-03-15T00:00:00') },
      ],
      archivedAt: cn('2026-03-15T00:00:00'),
    })
    const child = {
      _id: 'chd-1',
      townshipId: 't',
      villageId: 'v',
      status: 'active' as const,
      categories: ['poverty'],
      needs: ['counselling'],
    }
    let stored = {}
    for (const [b, a] of [
      [null, stateContribution(before, DEFAULT_CADENCE)],
      [null, childContribution(child)],
      [stateContribution(before, DEFAULT_CADENCE), stateContribution(after, DEFAULT_CADENCE)],
      [childContribution(child), childContribution({ ...child, status: 'archived' })],
    ] as const) {
      for (const d of rollupDeltas(b, a)) stored = addCounters(stored, d.counters)
    }
    const recount = rollupsOf([
      stateContribution(after, DEFAULT_CADENCE),
      childContribution({ ...child, status: 'archived' }),
    ])
    expect(stored).toEqual([...recount.values()][0]?.counters)
    expect(owedIn(stored, 'guardian_contact', '2026-02')).toBe(1)
    expect(owedIn(stored, 'guardian_contact', '2026-03')).toBe(0)
    expect(stored).not.toHaveProperty('ch')
  })
})
