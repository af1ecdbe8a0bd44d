// The confirmation workflow as a table of moves, and the phone check a first-time guardian passes.
import { describe, expect, it } from 'vitest'
import {
  checksLeft,
  ConfirmationsAnswerInput,
  ConfirmationsBindInput,
  MAX_CHECK_ATTEMPTS,
  phoneEndsWith,
  transition,
  type ConfirmationEvent,
  type ConfirmationToken,
  type TransitionResult,
} from '../../src/core/confirmations'

const NOW = new Date('2026-03-10T02:00:00Z')
const LATER = new Date('2026-03-17T02:00:00Z')

const open = (over: Partial<ConfirmationToken> = {}): ConfirmationToken => ({
  state: 'open',
  failedChecks: 0,
  expiresAt: LATER,
  ...over,
})

describe('transition', () => {
  const cases: Array<[string, ConfirmationToken, ConfirmationEvent, TransitionResult]> = [
    [
      'open, right digits',
      open(),
      'check_passed',
      { ok: true, next: { state: 'open', failedChecks: 0 } },
    ],
    [
      'open, wrong digits',
      open({ failedChecks: 2 }),
      'check_failed',
      { ok: true, next: { state: 'open', failedChecks: 3 } },
    ],
    [
      'fifth wrong check',
      open({ failedChecks: 4 }),
      'check_failed',
      { ok: true, next: { state: 'open', failedChecks: 5 } },
    ],
    [
      'locked, right digits',
      open({ failedChecks: 5 }),
      'check_passed',
      { ok: false, refusal: 'locked' },
    ],
    [
      'locked, wrong digits',
      open({ failedChecks: 5 }),
      'check_failed',
      { ok: false, refusal: 'locked' },
    ],
    [
      'locked, bound guardian answers',
      open({ failedChecks: 5 }),
      'answer',
      { ok: true, next: { state: 'answered', failedChecks: 5 } },
    ],
    ['open, answer', open(), 'answer', { ok: true, next: { state: 'answered', failedChecks: 0 } }],
    [
      'answered, answer again',
      open({ state: 'answered' }),
      'answer',
      { ok: false, refusal: 'answered' },
    ],
    [
      'answered, check',
      open({ state: 'answered' }),
      'check_passed',
      { ok: false, refusal: 'answered' },
    ],
    ['expired, answer', open({ expiresAt: NOW }), 'answer', { ok: false, refusal: 'expired' }],
    ['expired, check', open({ expiresAt: NOW }), 'check_failed', { ok: false, refusal: 'expired' }],
    [
      'answered and expired',
      open({ state: 'answered', expiresAt: NOW }),
      'answer',
      { ok: false, refusal: 'answered' },
    ],
  ]
  it.each(cases)('given a token %s', (_name, token, event, expected) => {
    expect(transition(token, event, NOW)).toEqual(expected)
  })

  it('counts the checks left', () => {
    expect(checksLeft({ failedChecks: 0 })).toBe(MAX_CHECK_ATTEMPTS)
    expect(checksLeft({ failedChecks: 7 })).toBe(0)
  })
})

describe('phone check', () => {
  it.each([
    ['13900001111', '1111', true],
    ['139 0000 1111', '1111', true],
    ['13900001111', '0111', false],
    ['', '0000', false],
    ['123', '0123', false],
  ])('%s ends with %s: %s', (phone, last4, expected) => {
    expect(phoneEndsWith(phone, last4)).toBe(expected)
  })

  it('takes exactly four digits', () => {
    const scene = 'C.abcdefghijklmnopqrst'
    expect(ConfirmationsBindInput.safeParse({ scene, phoneLast4: '1111' }).success).toBe(true)
    expect(ConfirmationsBindInput.safeParse({ scene, phoneLast4: '111' }).success).toBe(false)
    expect(ConfirmationsBindInput.safeParse({ scene, phoneLast4: 'abcd' }).success).toBe(false)
  })

  it('answers are confirmed or disputed, the comment optional and short', () => {
    const scene = 'C.abcdefghijklmnopqrst'
    expect(ConfirmationsAnswerInput.parse({ scene, answer: 'confirmed' })).toEqual({
      scene,
      answer: 'confirmed',
      comment: '',
    })
    expect(ConfirmationsAnswerInput.safeParse({ scene, answer: 'maybe' }).success).toBe(false)
    expect(
      ConfirmationsAnswerInput.safeParse({ scene, answer: 'disputed', comment: 'x'.repeat(201) })
        .success,
    ).toBe(false)
  })
})
