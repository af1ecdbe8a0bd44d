// How dates and duty states read on screen (China time, short, in Chinese).
import {
  DUTY_LABELS,
  DUTY_STATUS_LABELS,
  NOT_OWED_LABEL,
  type Duty,
  type DutyStatus,
} from '../core/cadence'
import { chinaDate } from '../core/time'
import type { Tone } from './StatusTag'

/** 2026-03-10 → 3月10日 (the year only when it is not this year's). */
export function shortDate(at: Date, now: Date = new Date()): string {
  const [y, m, d] = chinaDate(at).split('-')
  const sameYear = y === chinaDate(now).slice(0, 4)
  return `${sameYear ? '' : `${y}年`}${Number(m)}月${Number(d)}日`
}

/** An instant's China wall-clock time of day, 'HH:mm'. */
export function clockTime(at: Date): string {
  return new Date(at.getTime() + 8 * 3_600_000).toISOString().slice(11, 16)
}

/** A China day 'YYYY-MM-DD' → 3月31日. */
export function dayLabel(day: string): string {
  const [, m, d] = day.split('-')
  return `${Number(m)}月${Number(d)}日`
}

export function dutyTone(status: DutyStatus | null): Tone {
  return status ?? 'muted'
}

export function dutyStatusText(duty: Duty, status: DutyStatus | null): string {
  return `${DUTY_LABELS[duty]} ${status ? DUTY_STATUS_LABELS[status] : NOT_OWED_LABEL}`
}

export const CONFIRMATION_LABELS = {
  confirmed: '监护人已确认',
  disputed: '监护人有异议',
  none: '监护人未确认',
} as const
