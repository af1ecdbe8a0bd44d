// China-time calendar days and the periods duties fall due in.
import { describe, expect, it } from 'vitest'
import {
  chinaDate,
  chinaDayDiff,
  chinaMidnight,
  chinaStartOfDay,
  fromChinaDate,
  InstantSchema,
  lastDayOf,
  nextPeriod,
  parsePeriodKey,
  periodOf,
  previousPeriod,
  type PeriodKind,
} from '../../src/core/time'

/** An instant written as China wall-clock time. */
const cn = (s: string) => new Date(`${s}+08:00`)

describe('chinaDate', () => {
  it.each([
    // given an instant (UTC), then the China calendar date
    ['2026-03-31T15:59:59Z', '2026-03-31'],
    ['2026-03-31T16:00:00Z', '2026-04-01'],
    ['2026-12-31T16:00:00Z', '2027-01-01'],
    ['2028-02-28T16:00:00Z', '2028-02-29'],
    ['2026-07-01T00:00:00Z', '2026-07-01'],
  ])('given %s, when read in China, then the date is %s', (iso, date) => {
    expect(chinaDate(new Date(iso))).toBe(date)
  })

  it('given a China midnight built from its parts, then it reads back as that date at 00:00', () => {
    expect(chinaMidnight(2026, 4, 1).toISOString()).toBe('2026-03-31T16:00:00.000Z')
    expect(fromChinaDate('2028-02-29').toISOString()).toBe('2028-02-28T16:00:00.000Z')
    expect(chinaStartOfDay(cn('2026-04-01T23:59:59')).toISOString()).toBe(
      '2026-03-31T16:00:00.000Z',
    )
  })
})

describe('chinaDayDiff', () => {
  it.each([
    ['2026-03-31T23:59', '2026-04-01T00:00', 1],
    ['2026-04-01T00:00', '2026-04-01T23:59', 0],
    ['2028-02-28T12:00', '2028-03-01T12:00', 2],
    ['2027-02-28T12:00', '2027-03-01T12:00', 1],
    ['2026-04-10T08:00', '2026-04-01T20:00', -9],
    ['2026-12-31T22:00', '2027-01-01T01:00', 1],
  ])('given %s and %s China time, when counting days, then it is %i', (from, to, days) => {
    expect(chinaDayDiff(cn(from), cn(to))).toBe(days)
  })

  it('given two instants on the same UTC day but different China days, then they differ by one', () => {
    // 15:00Z is 23:00 in China, 17:00Z is 01:00 the next China day.
    expect(chinaDayDiff(new Date('2026-05-10T15:00:00Z'), new Date('2026-05-10T17:00:00Z'))).toBe(1)
  })
})

describe('periodOf', () => {
  it.each<[PeriodKind, string, string, string, string]>([
    // given kind and China time, then key, first day, first day after (end, exclusive)
    ['month', '2026-03-31T23:59', '2026-03', '2026-03-01', '2026-04-01'],
    ['month', '2026-04-01T00:00', '2026-04', '2026-04-01', '2026-05-01'],
    ['month', '2028-02-29T12:00', '2028-02', '2028-02-01', '2028-03-01'],
    ['month', '2026-12-31T23:59', '2026-12', '2026-12-01', '2027-01-01'],
    ['quarter', '2026-03-31T23:59', '2026-Q1', '2026-01-01', '2026-04-01'],
    ['quarter', '2026-04-01T00:00', '2026-Q2', '2026-04-01', '2026-07-01'],
    ['quarter', '2026-11-25T12:00', '2026-Q4', '2026-10-01', '2027-01-01'],
    ['week', '2026-11-25T12:00', '2026-W48', '2026-11-23', '2026-11-30'],
    ['week', '2026-11-29T23:59', '2026-W48', '2026-11-23', '2026-11-30'],
    ['week', '2026-11-30T00:00', '2026-W49', '2026-11-30', '2026-12-07'],
    // ISO week-years: 2026 has 53 weeks; 2027-01-03 (Sunday) is still in 2026-W53.
    ['week', '2027-01-03T12:00', '2026-W53', '2026-12-28', '2027-01-04'],
    ['week', '2027-01-04T00:00', '2027-W01', '2027-01-04', '2027-01-11'],
    // 2025-12-29 (Monday) begins ISO week 2026-W01.
    ['week', '2025-12-30T09:00', '2026-W01', '2025-12-29', '2026-01-05'],
    // Fortnights run from Monday 2024-01-01; B numbers the fortnight by its first ISO week.
    ['biweek', '2024-01-14T23:59', '2024-B01', '2024-01-01', '2024-01-15'],
    ['biweek', '2024-01-15T00:00', '2024-B02', '2024-01-15', '2024-01-29'],
    ['biweek', '2026-11-25T12:00', '2026-B24', '2026-11-16', '2026-11-30'],
    // 2026-W53 pairs with 2027-W01: the fortnight crosses New Year under the 2026 key.
    ['biweek', '2027-01-05T12:00', '2026-B27', '2026-12-28', '2027-01-11'],
    ['biweek', '2027-01-11T00:00', '2027-B01', '2027-01-11', '2027-01-25'],
    // before the anchor the grid continues backwards
    ['biweek', '2023-12-31T23:59', '2023-B26', '2023-12-18', '2024-01-01'],
  ])('given a %s period at %s China time, then it is %s [%s, %s)', (kind, at, key, first, end) => {
    const p = periodOf(kind, cn(at))
    expect(p.kind).toBe(kind)
    expect(p.key).toBe(key)
    expect(p.start.getTime()).toBe(fromChinaDate(first).getTime())
    expect(p.end.getTime()).toBe(fromChinaDate(end).getTime())
  })

  it('given the period boundaries, then start is inclusive and end exclusive, in China time', () => {
    const march = periodOf('month', cn('2026-03-15T12:00'))
    expect(march.start.toISOString()).toBe('2026-02-28T16:00:00.000Z')
    expect(march.end.toISOString()).toBe('2026-03-31T16:00:00.000Z')
    expect(periodOf('month', march.start).key).toBe('2026-03')
    expect(periodOf('month', march.end).key).toBe('2026-04')
    expect(lastDayOf(march)).toBe('2026-03-31')
  })
})

describe('nextPeriod / previousPeriod', () => {
  it.each<[PeriodKind, string, string, string]>([
    ['month', '2026-12', '2027-01', '2026-11'],
    ['month', '2028-03', '2028-04', '2028-02'],
    ['quarter', '2026-Q4', '2027-Q1', '2026-Q3'],
    ['quarter', '2026-Q1', '2026-Q2', '2025-Q4'],
    ['week', '2026-W53', '2027-W01', '2026-W52'],
    ['week', '2027-W01', '2027-W02', '2026-W53'],
    ['biweek', '2026-B27', '2027-B01', '2026-B26'],
  ])('given %s period %s, then next is %s and previous is %s', (kind, key, next, prev) => {
    const p = parsePeriodKey(key)
    expect(p?.kind).toBe(kind)
    if (!p) return
    expect(nextPeriod(p).key).toBe(next)
    expect(previousPeriod(p).key).toBe(prev)
    expect(nextPeriod(p).start.getTime()).toBe(p.end.getTime())
  })

  it.each<PeriodKind>(['week', 'biweek', 'month', 'quarter'])(
    'given consecutive %s periods over 2020–2035, then they tile time and every key parses back',
    (kind) => {
      let p = periodOf(kind, cn('2020-01-01T00:00'))
      const seen = new Set<string>()
      while (p.start.getTime() < cn('2035-12-31T00:00').getTime()) {
        const n = nextPeriod(p)
        expect(n.start.getTime()).toBe(p.end.getTime())
        expect(seen.has(p.key)).toBe(false)
        seen.add(p.key)
        expect(parsePeriodKey(p.key)?.start.getTime()).toBe(p.start.getTime())
        p = n
      }
    },
  )
})

describe('parsePeriodKey', () => {
  it.each([
    ['2026-11', '2026-11-01'],
    ['2026-Q4', '2026-10-01'],
    ['2026-W48', '2026-11-23'],
    ['2026-W53', '2026-12-28'],
    ['2026-B24', '2026-11-16'],
    ['2027-B01', '2027-01-11'],
  ])('given key %s, when parsed, then the period starts on %s', (key, first) => {
    expect(parsePeriodKey(key)?.start.getTime()).toBe(fromChinaDate(first).getTime())
  })

  it.each([
    '2026-13',
    '2026-00',
    '2026-Q5',
    '2026-Q0',
    '2027-W53',
    '2026-W00',
    '2026-W54',
    '2026-B28',
    '2026-B00',
    '2026-W1',
    '202611',
    '',
  ])('given key %j that names no period, when parsed, then null', (key) => {
    expect(parsePeriodKey(key)).toBeNull()
  })
})

describe('InstantSchema', () => {
  it.each([
    [new Date('2026-03-31T15:59:00Z'), true],
    ['2026-03-31T23:59:00+08:00', true],
    ['2026-03-31T15:59:00.000Z', true],
    // no offset: the time zone would be a guess
    ['2026-03-31T23:59:00', false],
    ['2026-03-31', false],
    ['2026', false],
    [1774972740000, false],
    [new Date(Number.NaN), false],
  ])('given %j on the wire, when parsed, then accepted is %s', (value, ok) => {
    expect(InstantSchema.safeParse(value).success).toBe(ok)
  })

  it('given an ISO string with +08:00, then it becomes the same instant', () => {
    expect(InstantSchema.parse('2026-04-01T00:00:00+08:00').toISOString()).toBe(
      '2026-03-31T16:00:00.000Z',
    )
  })
})
