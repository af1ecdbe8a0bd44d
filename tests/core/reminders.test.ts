// The pure reminder rules: stages, first working days, WeChat keyword fitting.
import { describe, expect, it } from 'vitest'
import { isFirstWorkingDayOfMonth, soonStage, summaryTriggers } from '../../src/core/reminders-plan'
import { DEFAULT_CADENCE } from '../../src/core/cadence'
import { fitPhrase, fitText } from '../../src/core/subscriptions-config'

const cn = (s: string) => new Date(`${s}T09:00:00+08:00`)

describe('soonStage (days left, today included; stages [7, 2])', () => {
  it.each([
    [8, null],
    [7, 7],
    [3, 7],
    [2, 2],
    [1, 2],
    [0, null],
  ])('%i days left → stage %s', (left, stage) => {
    expect(soonStage(left, [7, 2])).toBe(stage)
  })
})

describe('first working day (Mon–Fri) of a month', () => {
  it.each([
    ['2026-04-01', true], // Wednesday
    ['2026-08-01', false], // Saturday
    ['2026-08-03', true], // Monday after a weekend 1st
    ['2026-08-04', false],
  ])('%s → %s', (day, expected) => {
    expect(isFirstWorkingDayOfMonth(cn(day))).toBe(expected)
  })

  it('names the month and, at a quarter start, the quarter just closed', () => {
    expect(summaryTriggers(cn('2026-04-01'), DEFAULT_CADENCE).map((t) => t.periodKey)).toEqual([
      '2026-03',
      '2026-Q1',
    ])
    expect(summaryTriggers(cn('2026-05-01'), DEFAULT_CADENCE).map((t) => t.periodKey)).toEqual([
      '2026-05'.replace('05', '04'),
    ])
  })
})

describe('keyword values fitted to WeChat rules', () => {
  it('cuts thing to 20 characters and phrase to 5 Chinese characters', () => {
    expect(Array.from(fitText('一'.repeat(30), 20))).toHaveLength(20)
    expect(fitText('短文本', 20)).toBe('短文本')
    expect(fitPhrase('即将到期了吗')).toBe('即将到期了')
    expect(fitPhrase('abc')).toBe('提醒')
  })
})
