// Option lists for the officer screens' chips, built once from the domain's code tables.
import { DUTY_STATUS_LABELS, type DutyStatus } from '../core/cadence'
import {
  CATEGORIES,
  CATEGORY_LABELS,
  MEASURE_KINDS,
  MEASURE_KIND_LABELS,
  RISK_LEVELS,
  RISK_LEVEL_LABELS,
  type RiskLevel,
} from '../core/domain'
import { optionsOf } from './components'

export const CATEGORY_OPTIONS = optionsOf(CATEGORIES, CATEGORY_LABELS)
export const NEED_OPTIONS = optionsOf(MEASURE_KINDS, MEASURE_KIND_LABELS)
export const RISK_OPTIONS = optionsOf(RISK_LEVELS, {
  high: '高风险',
  medium: '中风险',
  low: '低风险',
})

/** The duty-status filter of the children list (the board's "most urgent" statuses). */
export const URGENCY_FILTERS = ['overdue', 'due_soon'] as const satisfies readonly DutyStatus[]
export const URGENCY_OPTIONS = URGENCY_FILTERS.map((value) => ({
  value,
  label: DUTY_STATUS_LABELS[value],
}))

export function riskTone(level: RiskLevel): 'danger' | 'warn' | 'plain' {
  return level === 'high' ? 'danger' : level === 'medium' ? 'warn' : 'plain'
}

export function riskLabel(level: RiskLevel): string {
  return `${RISK_LEVEL_LABELS[level]}风险`
}

export const PAGES = {
  home: '/officer/home/index',
  children: '/officer/children/index',
  child: (id: string) => `/officer/child/index?id=${encodeURIComponent(id)}`,
  childForm: (id?: string) =>
    `/officer/child-form/index${id ? `?id=${encodeURIComponent(id)}` : ''}`,
  pair: (childId: string) => `/officer/pair/index?childId=${encodeURIComponent(childId)}`,
  reports: '/officer/reports/index',
  report: (id: string) => `/officer/report/index?id=${encodeURIComponent(id)}`,
  measure: (childId: string, id?: string) =>
    `/officer/measure/index?childId=${encodeURIComponent(childId)}${id ? `&id=${encodeURIComponent(id)}` : ''}`,
  dashboard: '/officer/dashboard/index',
  ledger: '/officer/ledger/index',
  helper: (helperId: string) => `/officer/helper/index?helperId=${encodeURIComponent(helperId)}`,
  urgentReport: (childId: string) => `/pages/report/index?childId=${encodeURIComponent(childId)}`,
} as const
