// The periods an officer can pick on the dashboard and the ledger: recent months and quarters, China time.
import { periodOf, previousPeriod, type Period } from '../../core/time'

export type PeriodKind = 'month' | 'quarter'

/** The current period and the ones before it, newest first. */
export function recentPeriods(kind: PeriodKind, now: Date, count: number): Period[] {
  const out = [periodOf(kind, now)]
  while (out.length < count) out.push(previousPeriod(out[out.length - 1] as Period))
  return out
}

/** '2026年3月' / '2026年第1季度'. */
export function periodLabel(key: string): string {
  const q = /^(\d{4})-Q([1-4])$/.exec(key)
  if (q) return `${q[1]}年第${q[2]}季度`
  const m = /^(\d{4})-(\d{2})$/.exec(key)
  return m ? `${m[1]}年${Number(m[2])}月` : key
}

/** A short axis label: '3月' / 'Q1'. */
export function shortPeriodLabel(key: string): string {
  const q = /-Q([1-4])$/.exec(key)
  if (q) return `Q${q[1]}`
  const m = /-(\d{2})$/.exec(key)
  return m ? `${Number(m[1])}月` : key
}
