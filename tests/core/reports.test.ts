// The urgent-report workflow and the measure workflow: every allowed and forbidden move, and escalation.
import { describe, expect, it } from 'vitest'
import {
  MEASURE_EVENTS,
  MEASURE_STATUSES,
  transitionMeasure,
  unmetNeeds,
  type MeasureEvent,
  type MeasureStatus,
} from '../../src/core/measures'
import {
  isEscalated,
  REPORT_EVENTS,
  REPORT_STATUSES,
  transitionReport,
  type ReportEvent,
  type ReportStatus,
} from '../../src/core/reports'

const REPORT_ALLOWED: Array<[ReportStatus, ReportEvent, ReportStatus]> = [
  ['reported', 'receive', 'received'],
  ['received', 'handle', 'handling'],
  ['handling', 'act', 'handling'],
  ['handling', 'close', 'closed'],
]

describe('given an urgent report, when an officer moves it', () => {
  const full = { actions: ['police_informed' as const], note: '已妥善安置' }
  it.each(REPORT_ALLOWED)('from %s, %s leads to %s', (from, event, to) => {
    expect(transitionReport(from, { event, ...full })).toEqual({ ok: true, to })
  })
  const forbidden = REPORT_STATUSES.flatMap((from) =>
    REPORT_EVENTS.filter((e) => !REPORT_ALLOWED.some(([f, ev]) => f === from && ev === e)).map(
      (e) => [from, e] as const,
    ),
  )
  it.each(forbidden)('from %s, %s is refused', (from, event) => {
    const r = transitionReport(from, { event, ...full })
    expect(r.ok).toBe(false)
    if (!r.ok) expect(r.reason).toBe('not_allowed')
  })
  it('then handling needs at least one action, and closing a note', () => {
    expect(transitionReport('received', { event: 'handle', actions: [], note: '' })).toMatchObject({
      ok: false,
      reason: 'actions_required',
    })
    expect(transitionReport('handling', { event: 'close', actions: [], note: ' ' })).toMatchObject({
      ok: false,
      reason: 'note_required',
    })
  })
})

describe('given a report nobody received', () => {
  const createdAt = new Date('2026-03-10T10:00:00+08:00')
  it.each([
    ['reported', 23.99, false],
    ['reported', 24, true],
    ['reported', 100, true],
    ['received', 100, false],
    ['closed', 100, false],
  ] as const)('status %s after %s h: escalated %s', (status, hours, expected) => {
    const now = new Date(createdAt.getTime() + hours * 3_600_000)
    expect(isEscalated({ status, createdAt }, now)).toBe(expected)
  })
})

const MEASURE_ALLOWED: Array<[MeasureStatus, MeasureEvent, MeasureStatus]> = [
  ['planned', 'start', 'in_progress'],
  ['planned', 'stop', 'stopped'],
  ['in_progress', 'complete', 'done'],
  ['in_progress', 'stop', 'stopped'],
]

describe('given a measure, when it moves', () => {
  it.each(MEASURE_ALLOWED)('from %s, %s leads to %s', (from, event, to) => {
    expect(transitionMeasure(from, event, '已完成资助')).toEqual({ ok: true, to })
  })
  const forbidden = MEASURE_STATUSES.flatMap((from) =>
    MEASURE_EVENTS.filter((e) => !MEASURE_ALLOWED.some(([f, ev]) => f === from && ev === e)).map(
      (e) => [from, e] as const,
    ),
  )
  it.each(forbidden)('from %s, %s is refused', (from, event) => {
    expect(transitionMeasure(from, event, 'x')).toMatchObject({ ok: false, reason: 'not_allowed' })
  })
  it('then done and stopped need an outcome; starting does not', () => {
    expect(transitionMeasure('in_progress', 'complete', '')).toMatchObject({
      reason: 'outcome_required',
    })
    expect(transitionMeasure('planned', 'stop', '')).toMatchObject({ reason: 'outcome_required' })
    expect(transitionMeasure('planned', 'start', '')).toEqual({ ok: true, to: 'in_progress' })
  })
  it('then a need is unmet until a live measure answers it (a stopped one does not)', () => {
    const needs = ['hardship_relief', 'counselling'] as const
    expect(unmetNeeds(needs, [])).toEqual(['hardship_relief', 'counselling'])
    expect(unmetNeeds(needs, [{ kind: 'counselling', status: 'done' }])).toEqual([
      'hardship_relief',
    ])
    expect(unmetNeeds(needs, [{ kind: 'hardship_relief', status: 'stopped' }])).toEqual([
      'hardship_relief',
      'counselling',
    ])
  })
})
