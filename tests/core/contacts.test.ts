// Contact log rules: what a log must say, when it may have happened, and how a correction is recorded.
import { describe, expect, it } from 'vitest'
import {
  applyCorrection,
  canCorrect,
  ContactChangesSchema,
  ContactsLogInput,
  contentIssues,
  correctableUntil,
  fillLearned,
  occurredAtIssue,
  type ContactContent,
} from '../../src/core/contacts'
import { fromChinaDate } from '../../src/core/time'

/** An instant written as China wall-clock time: '2026-03-31T23:59' or a bare date (midnight). */
const cn = (s: string) => (s.length === 10 ? fromChinaDate(s) : new Date(`${s}+08:00`))

const VALID = {
  childId: 'c1',
  duty: 'guardian_contact',
  occurredAt: '2026-03-09T19:30:00+08:00',
  mode: 'phone',
  learned: { dailyLife: '按时吃饭' },
}

describe('the log input', () => {
  it('reads a log, trimming text and filling the rest with empty strings', () => {
    const parsed = ContactsLogInput.parse({ ...VALID, learned: { mood: '  开心 ' } })
    expect(parsed.occurredAt).toEqual(cn('2026-03-09T19:30'))
    expect(fillLearned(parsed.learned)).toEqual({
      dailyLife: '',
      study: '',
      health: '',
      mood: '开心',
    })
    expect(parsed.problems).toBe('')
  })

  it.each<[string, Record<string, unknown>, string]>([
    ['nothing learned', { learned: {} }, 'learned'],
    ['only blanks learned', { learned: { study: '   ' } }, 'learned'],
    ['a home visit by video', { duty: 'home_visit', mode: 'video' }, 'mode'],
    ['a time without an offset', { occurredAt: '2026-03-09T19:30:00' }, 'occurredAt'],
    ['an unknown duty', { duty: 'gift' }, 'duty'],
    ['an unknown learned field', { learned: { income: '3000' } }, 'learned'],
    ['a note over 500 characters', { problems: '难'.repeat(501) }, 'problems'],
    ['an unknown field', { helperId: 'h2' }, ''],
  ])('refuses %s', (_name, over, path) => {
    const res = ContactsLogInput.safeParse({ ...VALID, ...over })
    expect(res.success).toBe(false)
    expect(res.error?.issues.map((i) => i.path.join('.'))).toContain(path)
  })
})

describe('contentIssues', () => {
  it.each<
    [string, Pick<ContactContent, 'duty' | 'mode'>, Partial<ContactContent['learned']>, string[]]
  >([
    [
      'a phone call to the guardian with news',
      { duty: 'guardian_contact', mode: 'phone' },
      { study: '好' },
      [],
    ],
    ['companionship by video', { duty: 'companionship', mode: 'video' }, { mood: '好' }, []],
    ['a home visit in person', { duty: 'home_visit', mode: 'in_person' }, { health: '好' }, []],
    ['a home visit by phone', { duty: 'home_visit', mode: 'phone' }, { health: '好' }, ['mode']],
    ['nothing learned', { duty: 'guardian_contact', mode: 'phone' }, {}, ['learned']],
  ])('%s', (_name, c, learned, paths) => {
    expect(contentIssues({ ...c, learned: fillLearned(learned) }).map((i) => i.path)).toEqual(paths)
  })
})

describe('occurredAtIssue', () => {
  const pairing = { start: cn('2026-03-01'), end: null }
  const now = cn('2026-03-10T10:00')

  it.each<[string, string, { start: Date; end: Date | null }, boolean]>([
    ['a minute ago', '2026-03-10T09:59', pairing, true],
    ['exactly now', '2026-03-10T10:00', pairing, true],
    ['a minute from now', '2026-03-10T10:01', pairing, false],
    ['the moment the pairing began', '2026-03-01T00:00', pairing, true],
    ['the evening before the pairing', '2026-02-28T23:59', pairing, false],
    [
      'after a pairing ended (a late correction)',
      '2026-03-06T10:00',
      { start: cn('2026-03-01'), end: cn('2026-03-05') },
      false,
    ],
  ])('%s: allowed %s', (_name, at, p, allowed) => {
    expect(occurredAtIssue(cn(at), p, now) === null).toBe(allowed)
  })
})

describe('the correction window', () => {
  const created = cn('2026-03-10T10:00')

  it.each([
    ['right after writing', '2026-03-10T10:01', true],
    ['6 days later', '2026-03-16T10:00', true],
    ['exactly 7 days later', '2026-03-17T10:00', true],
    ['7 days and a minute later', '2026-03-17T10:01', false],
    ['8 days later', '2026-03-18T10:00', false],
  ])('%s: %s', (_name, now, allowed) => {
    expect(canCorrect(created, cn(now))).toBe(allowed)
  })

  it('tells the author until when', () => {
    expect(correctableUntil(created)).toEqual(cn('2026-03-17T10:00'))
  })
})

describe('applyCorrection', () => {
  const current: ContactContent = {
    duty: 'guardian_contact',
    occurredAt: cn('2026-03-09T19:30'),
    mode: 'phone',
    learned: fillLearned({ dailyLife: '按时吃饭', study: '数学有进步' }),
    problems: '',
    actions: '',
  }

  it('lists only the fields that really change, old and new value', () => {
    const { next, diff } = applyCorrection(current, {
      mode: 'phone',
      occurredAt: cn('2026-03-09T20:00'),
      learned: { study: '语文有进步', dailyLife: '按时吃饭' },
    })
    expect(next.learned).toEqual(fillLearned({ dailyLife: '按时吃饭', study: '语文有进步' }))
    expect(diff).toEqual([
      { field: 'occurredAt', from: '2026-03-09T11:30:00.000Z', to: '2026-03-09T12:00:00.000Z' },
      { field: 'learned.study', from: '数学有进步', to: '语文有进步' },
    ])
  })

  it('clears a learned field given as empty', () => {
    const { next, diff } = applyCorrection(current, { learned: { study: '' } })
    expect(next.learned.study).toBe('')
    expect(diff).toEqual([{ field: 'learned.study', from: '数学有进步', to: '' }])
  })

  it('finds nothing to record when nothing changes', () => {
    expect(applyCorrection(current, { mode: 'phone' }).diff).toEqual([])
  })

  it('refuses an empty change set in the input', () => {
    expect(ContactChangesSchema.safeParse({}).success).toBe(false)
    expect(ContactChangesSchema.safeParse({ problems: '补充' }).success).toBe(true)
  })
})
