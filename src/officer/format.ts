// How officer screens write dates, times and counts: China time, whatever the phone's zone.
import { chinaDate } from '../core/time'

const CHINA_OFFSET_MS = 8 * 3600_000

type Instant = Date | string | null | undefined

function toDate(at: Instant): Date | null {
  if (at === null || at === undefined) return null
  const d = typeof at === 'string' ? new Date(at) : at
  return Number.isNaN(d.getTime()) ? null : d
}

/** '2026-03-10' in China time, or '—'. */
export function formatDay(at: Instant): string {
  const d = toDate(at)
  return d ? chinaDate(d) : '—'
}

/** '2026-03-10 15:30' in China time, or '—'. */
export function formatDateTime(at: Instant): string {
  const d = toDate(at)
  if (!d) return '—'
  const shifted = new Date(d.getTime() + CHINA_OFFSET_MS)
  const hh = String(shifted.getUTCHours()).padStart(2, '0')
  const mm = String(shifted.getUTCMinutes()).padStart(2, '0')
  return `${chinaDate(d)} ${hh}:${mm}`
}

/** A share as a whole percentage ('—' when nothing was due). */
export function formatRate(rate: number | null | undefined): string {
  return rate === null || rate === undefined || Number.isNaN(rate)
    ? '—'
    : `${Math.round(rate * 100)}%`
}

/** Hours as '3.5小时' / '2天' for handling times. */
export function formatHours(hours: number | null | undefined): string {
  if (hours === null || hours === undefined) return '—'
  if (hours < 48) return `${Math.round(hours * 10) / 10}小时`
  return `${Math.round(hours / 24)}天`
}
