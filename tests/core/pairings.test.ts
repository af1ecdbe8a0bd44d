// Pairing rules: when a child may be paired from which day, and when that is a hand-over.
import { describe, expect, it } from 'vitest'
import {
  ChinaDateSchema,
  planAssignment,
  PairingsAssignInput,
  type PairingFacts,
} from '../../src/core/pairings'
import { fromChinaDate } from '../../src/core/time'

/** An instant written as China wall-clock time: '2026-03-31T23:59' or a bare date (midnight). */
const cn = (s: string) => (s.length === 10 ? fromChinaDate(s) : new Date(`${s}+08:00`))

const NOW = cn('2026-03-10T10:00')

const active = (helperId: string, start: string): PairingFacts => ({
  id: `p-${helperId}`,
  helperId,
  start: cn(start),
  end: null,
  active: true,
})
const ended = (helperId: string, start: string, end: string): PairingFacts => ({
  id: `p-${helperId}-old`,
  helperId,
  start: cn(start),
  end: cn(end),
  active: false,
})

type Then =
  | { ok: true; start: string; handoverFrom: string | null }
  | { ok: false; code: 'VALIDATION' | 'CONFLICT'; path: string | null }

describe('planAssignment', () => {
  it.each<[string, PairingFacts[], string, string | undefined, Then]>([
    [
      'a first pairing starts today by default',
      [],
      'h1',
      undefined,
      { ok: true, start: '2026-03-10', handoverFrom: null },
    ],
    [
      'a first pairing may be back-dated',
      [],
      'h1',
      '2026-01-05',
      { ok: true, start: '2026-01-05', handoverFrom: null },
    ],
    [
      'a start date in the future is refused',
      [],
      'h1',
      '2026-03-11',
      { ok: false, code: 'VALIDATION', path: 'startDate' },
    ],
    [
      'another helper takes over: a hand-over',
      [active('h1', '2026-01-05')],
      'h2',
      '2026-03-05',
      { ok: true, start: '2026-03-05', handoverFrom: 'p-h1' },
    ],
    [
      'a hand-over on the day the pairing began',
      [active('h1', '2026-03-10')],
      'h2',
      undefined,
      { ok: true, start: '2026-03-10', handoverFrom: 'p-h1' },
    ],
    [
      'a hand-over before the current pairing began is refused',
      [active('h1', '2026-03-01')],
      'h2',
      '2026-02-28',
      { ok: false, code: 'VALIDATION', path: 'startDate' },
    ],
    [
      'the same helper again is a conflict',
      [active('h1', '2026-01-05')],
      'h1',
      undefined,
      { ok: false, code: 'CONFLICT', path: null },
    ],
    [
      're-pairing after an end, from a later day',
      [ended('h1', '2026-01-05', '2026-02-01')],
      'h1',
      '2026-03-01',
      { ok: true, start: '2026-03-01', handoverFrom: null },
    ],
    [
      're-pairing before the last pairing ended is refused (history stays a line)',
      [ended('h1', '2026-01-05', '2026-02-01')],
      'h2',
      '2026-01-20',
      { ok: false, code: 'VALIDATION', path: 'startDate' },
    ],
  ])('%s', (_name, pairings, helperId, startDate, then) => {
    const plan = planAssignment({ pairings, helperId, startDate, now: NOW })
    if (then.ok) {
      expect(plan).toEqual({
        ok: true,
        start: cn(then.start),
        handoverFrom: then.handoverFrom ? pairings.find((p) => p.id === then.handoverFrom) : null,
      })
    } else {
      expect(plan).toMatchObject({ ok: false, code: then.code, path: then.path })
      expect(plan.ok === false && /[\u4e00-\u9fa5]/.test(plan.message)).toBe(true)
    }
  })

  it('follows a pairing ended earlier today from the moment it ended', () => {
    const plan = planAssignment({
      pairings: [ended('h1', '2026-01-05', '2026-03-10T09:30')],
      helperId: 'h2',
      startDate: undefined,
      now: NOW,
    })
    expect(plan).toEqual({ ok: true, start: cn('2026-03-10T09:30'), handoverFrom: null })
  })
})

describe('the assign input', () => {
  it.each([
    ['2026-03-10', true],
    ['2028-02-29', true],
    ['2027-02-29', false],
    ['2026-02-30', false],
    ['2026-3-1', false],
    ['10/03/2026', false],
  ])('takes %s as a start date: %s', (date, accepted) => {
    expect(ChinaDateSchema.safeParse(date).success).toBe(accepted)
  })

  it('refuses unknown fields and empty ids', () => {
    expect(PairingsAssignInput.safeParse({ childId: 'c', helperId: 'h' }).success).toBe(true)
    expect(
      PairingsAssignInput.safeParse({ childId: 'c', helperId: 'h', active: true }).success,
    ).toBe(false)
    expect(PairingsAssignInput.safeParse({ childId: '', helperId: 'h' }).success).toBe(false)
  })
})
