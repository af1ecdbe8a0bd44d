// China time (UTC+08:00) for the programme: calendar days and the periods duties fall due in.
//
// China has kept a fixed UTC+08:00 with no daylight saving since 1991, so every rule here is plain
// arithmetic on a fixed +8 h offset. The dayjs `timezone` plugin is deliberately not used: it relies
// on `Intl` time-zone data that older WeChat Android clients lack, and for every date the programme
// can see (and every ID-card birth date since 1992) the results are identical. See docs/cadence.md.
import * as z from 'zod'

export const CHINA_UTC_OFFSET_MINUTES = 480
const OFFSET_MS = CHINA_UTC_OFFSET_MINUTES * 60_000
const DAY_MS = 86_400_000

export const PERIOD_KINDS = ['week', 'biweek', 'month', 'quarter'] as const
export type PeriodKind = (typeof PERIOD_KINDS)[number]

/** Chinese names of the period kinds, for settings screens and ledgers. */
export const PERIOD_KIND_LABELS: Record<PeriodKind, string> = {
  week: '每周',
  biweek: '每两周',
  month: '每月',
  quarter: '每季度',
}

/** The shortest length of each kind in days; config validation compares against it. */
export const PERIOD_MIN_DAYS: Record<PeriodKind, number> = {
  week: 7,
  biweek: 14,
  month: 28,
  quarter: 90,
}

/**
 * A period in China time. `start` and `end` are UTC instants of China-time midnights; `end` is
 * exclusive (the first instant of the next period), so `start <= t < end` means "t is in the period".
 */
export type Period = {
  kind: PeriodKind
  /** '2026-11', '2026-Q4', '2026-W48' (ISO week-year), '2026-B24' (see biweekly anchor below) */
  key: string
  start: Date
  end: Date
}

/**
 * An instant on the wire: a Date on the server, an ISO 8601 string with an offset after JSON.
 * Bare strings like '2026' or dates without offset are refused: their time zone would be a guess.
 */
export const InstantSchema = z.union([
  z.date(),
  z.iso.datetime({ offset: true }).transform((s) => new Date(s)),
])

export const PeriodSchema = z.object({
  kind: z.enum(PERIOD_KINDS),
  key: z.string(),
  start: InstantSchema,
  end: InstantSchema,
})

/**
 * Two-week periods are consecutive fortnights counted from this Monday (the first day of ISO week
 * 2024-W01), so the pairing of ISO weeks never depends on which year a week falls in, and a 53-week
 * year simply carries its last fortnight across New Year.
 */
export const BIWEEK_ANCHOR = '2024-01-01'

/** Days since 1970-01-01 on the China calendar: the day number of the instant's China date. */
export function chinaDayNumber(d: Date): number {
  return Math.floor((d.getTime() + OFFSET_MS) / DAY_MS)
}

/** The instant of China-time midnight starting the given calendar day (month 1–12; overflow rolls). */
export function chinaMidnight(year: number, month: number, day: number): Date {
  return new Date(Date.UTC(year, month - 1, day) - OFFSET_MS)
}

/** The instant of China-time midnight of a 'YYYY-MM-DD' date (not validated: use a schema first). */
export function fromChinaDate(date: string): Date {
  const [y, m, d] = date.split('-').map(Number)
  return chinaMidnight(y ?? NaN, m ?? NaN, d ?? NaN)
}

/** The China calendar date of an instant, 'YYYY-MM-DD'. */
export function chinaDate(d: Date): string {
  const { year, month, day } = chinaFields(d)
  return `${pad(year, 4)}-${pad(month, 2)}-${pad(day, 2)}`
}

/** China-time midnight at the start of the instant's China calendar day. */
export function chinaStartOfDay(d: Date): Date {
  return new Date(chinaDayNumber(d) * DAY_MS - OFFSET_MS)
}

/**
 * Calendar days from `from` to `to` on the China calendar (to's date minus from's date), ignoring
 * the time of day: 23:59 on the 31st to 00:00 on the 1st is one day.
 */
export function chinaDayDiff(from: Date, to: Date): number {
  return chinaDayNumber(to) - chinaDayNumber(from)
}

/** The period of the given kind that contains the instant. */
export function periodOf(kind: PeriodKind, at: Date): Period {
  const { year, month } = chinaFields(at)
  switch (kind) {
    case 'month':
      return {
        kind,
        key: `${pad(year, 4)}-${pad(month, 2)}`,
        start: chinaMidnight(year, month, 1),
        end: chinaMidnight(year, month + 1, 1),
      }
    case 'quarter': {
      const q = Math.floor((month - 1) / 3)
      return {
        kind,
        key: `${pad(year, 4)}-Q${q + 1}`,
        start: chinaMidnight(year, q * 3 + 1, 1),
        end: chinaMidnight(year, q * 3 + 4, 1),
      }
    }
    case 'week': {
      const monday = mondayOf(chinaDayNumber(at))
      const { isoYear, isoWeek } = isoWeekOfMonday(monday)
      return {
        kind,
        key: `${pad(isoYear, 4)}-W${pad(isoWeek, 2)}`,
        start: dayStart(monday),
        end: dayStart(monday + 7),
      }
    }
    case 'biweek': {
      const anchor = chinaDayNumber(fromChinaDate(BIWEEK_ANCHOR))
      const first = anchor + 14 * Math.floor((chinaDayNumber(at) - anchor) / 14)
      const { isoYear, isoWeek } = isoWeekOfMonday(first)
      // Fortnights start two ISO weeks apart, so (week-1)/2 numbers them uniquely within a year.
      return {
        kind,
        key: `${pad(isoYear, 4)}-B${pad(Math.floor((isoWeek - 1) / 2) + 1, 2)}`,
        start: dayStart(first),
        end: dayStart(first + 14),
      }
    }
  }
}

export function nextPeriod(p: Period): Period {
  return periodOf(p.kind, p.end)
}

export function previousPeriod(p: Period): Period {
  return periodOf(p.kind, new Date(p.start.getTime() - 1))
}

/** The last China calendar day inside the period ('YYYY-MM-DD'): what a person reads as "due by". */
export function lastDayOf(p: Period): string {
  return chinaDate(new Date(p.end.getTime() - 1))
}

/** Whether the instant lies in the period (start inclusive, end exclusive). */
export function inPeriod(p: Period, at: Date): boolean {
  return p.start.getTime() <= at.getTime() && at.getTime() < p.end.getTime()
}

const KEY_PATTERNS: ReadonlyArray<[PeriodKind, RegExp]> = [
  ['month', /^(\d{4})-(\d{2})$/],
  ['quarter', /^(\d{4})-Q([1-4])$/],
  ['week', /^(\d{4})-W(\d{2})$/],
  ['biweek', /^(\d{4})-B(\d{2})$/],
]

/**
 * The period a key names, or null when the key names none ('2026-13', '2027-W53', '2026-B28').
 * A key is accepted only if computing the period back from its start yields the same key.
 */
export function parsePeriodKey(key: string): Period | null {
  for (const [kind, pattern] of KEY_PATTERNS) {
    const m = pattern.exec(key)
    if (!m) continue
    const year = Number(m[1])
    const n = Number(m[2])
    let start: Date
    switch (kind) {
      case 'month':
        if (n < 1 || n > 12) return null
        start = chinaMidnight(year, n, 1)
        break
      case 'quarter':
        start = chinaMidnight(year, (n - 1) * 3 + 1, 1)
        break
      case 'week':
        if (n < 1) return null
        start = dayStart(isoWeekOneMonday(year) + (n - 1) * 7)
        break
      case 'biweek': {
        if (n < 1) return null
        // Biweek n starts in ISO week 2n-1 or 2n of the year, whichever is on the fortnight grid.
        const anchor = chinaDayNumber(fromChinaDate(BIWEEK_ANCHOR))
        const monday = isoWeekOneMonday(year) + (2 * n - 2) * 7
        const aligned = (((monday - anchor) % 14) + 14) % 14 === 0 ? monday : monday + 7
        start = dayStart(aligned)
        break
      }
    }
    const period = periodOf(kind, start)
    return period.key === key ? period : null
  }
  return null
}

function chinaFields(d: Date): { year: number; month: number; day: number } {
  const shifted = new Date(d.getTime() + OFFSET_MS)
  return {
    year: shifted.getUTCFullYear(),
    month: shifted.getUTCMonth() + 1,
    day: shifted.getUTCDate(),
  }
}

function dayStart(dayNumber: number): Date {
  return new Date(dayNumber * DAY_MS - OFFSET_MS)
}

/** The day number of the Monday on or before the given day (day 0, 1970-01-01, was a Thursday). */
function mondayOf(dayNumber: number): number {
  return dayNumber - ((((dayNumber + 3) % 7) + 7) % 7)
}

/** ISO 8601: a week belongs to the year of its Thursday; week 1 is the week with January 4th. */
function isoWeekOfMonday(monday: number): { isoYear: number; isoWeek: number } {
  const thursday = monday + 3
  const isoYear = new Date(thursday * DAY_MS).getUTCFullYear()
  return { isoYear, isoWeek: Math.floor((thursday - Date.UTC(isoYear, 0, 1) / DAY_MS) / 7) + 1 }
}

function isoWeekOneMonday(isoYear: number): number {
  return mondayOf(Date.UTC(isoYear, 0, 4) / DAY_MS)
}

function pad(n: number, width: number): string {
  return String(n).padStart(width, '0')
}
