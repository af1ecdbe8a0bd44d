// Contact logs through the api function: logging (idempotent), correcting within 7 days, and what each role may read.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startStack, type Stack } from '../support/stack'

let stack: Stack

/** China wall-clock time as an instant: '2026-03-10T10:00' → 2026-03-10T02:00Z. */
const cn = (s: string) => new Date(`${s}:00+08:00`)
const NOW = cn('2026-03-10T10:00')

type Log = {
  id: string
  childId: string
  helperId: string
  helperName: string
  duty: string
  occurredAt: string
  mode: string
  learned: Record<string, string>
  problems: string
  actions: string
  corrections: Array<{ at: string; changes: Array<{ field: string; from: string; to: string }> }>
  confirmation: unknown
}
type List = {
  view: 'full' | 'guardian'
  childId: string
  logs: Array<Record<string, unknown>>
  nextCursor: string | null
}

let seq = 0
/** A fresh requestId, as the app makes one per submission. */
const rid = () => `req-${Date.now().toString(36)}-${++seq}`

function contact(childId: string, over: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    childId,
    duty: 'guardian_contact',
    occurredAt: '2026-03-09T19:30:00+08:00',
    mode: 'phone',
    learned: { dailyLife: '奶奶说孩子按时吃饭', study: '数学有进步' },
    problems: '',
    actions: '',
    ...over,
  }
}

function child(id: string, villageId: string): Record<string, unknown> {
  const at = { $date: '2026-01-05T02:00:00.000Z' }
  return {
    _id: id,
    townshipId: 'twp-demo',
    villageId,
    name: '李小红',
    sex: 'female',
    birthDate: '2016-09-01',
    idNumber: null,
    school: '青山小学',
    grade: '三年级',
    address: '',
    parents: [],
    guardians: [{ id: 'g1', name: '李奶奶', relation: 'grandparent', phone: '13800000002' }],
    categories: ['guardianship_gap'],
    academicSubtype: null,
    riskLevel: 'high',
    needs: [],
    notes: '',
    status: 'active',
    archive: null,
    consent: null,
    version: 1,
    createdAt: at,
    updatedAt: at,
    createdBy: 'usr-demo-village-1',
  }
}

async function board(
  openid: string,
): Promise<Array<{ child: { id: string }; duties: Record<string, { status: string | null }> }>> {
  return (
    await stack.ok<{
      items: Array<{ child: { id: string }; duties: Record<string, { status: string | null }> }>
    }>(openid, 'duties.list', {})
  ).items
}

beforeAll(async () => {
  stack = await startStack({ seed: true })
  stack.emulator.clock.set(NOW)
  await stack.seed({
    children: [
      child('chd-1', 'vil-demo-1'),
      child('chd-2', 'vil-demo-1'),
      child('chd-3', 'vil-demo-2'),
    ],
    users: [
      {
        _id: 'usr-guardian-chd-1',
        openid: 'guardian-chd-1',
        role: 'guardian',
        displayName: '李奶奶',
        townshipId: 'twp-demo',
        villageId: 'vil-demo-1',
        phone: null,
        helperOrgType: null,
        guardianOf: [{ childId: 'chd-1', guardianId: 'g1' }],
      },
    ],
  })
  for (const [childId, helperId] of [
    ['chd-1', 'usr-demo-helper-1'],
    ['chd-2', 'usr-demo-helper-1'],
    ['chd-3', 'usr-demo-helper-3'],
  ] as const) {
    await stack.ok('demo-township', 'pairings.assign', {
      childId,
      helperId,
      startDate: '2026-03-01',
    })
  }
})

afterAll(async () => {
  await stack.close()
})

describe('contacts.log', () => {
  it('records a guardian contact and the duty shows done on the helper’s board', async () => {
    expect(
      (await board('demo-helper-1')).find((i) => i.child.id === 'chd-1')?.duties.guardian_contact
        ?.status,
    ).toBe('open')
    const { log } = await stack.ok<{ log: Log }>(
      'demo-helper-1',
      'contacts.log',
      contact('chd-1'),
      rid(),
    )
    expect(log).toMatchObject({
      childId: 'chd-1',
      helperId: 'usr-demo-helper-1',
      helperName: '张丽华',
      duty: 'guardian_contact',
      occurredAt: '2026-03-09T11:30:00.000Z',
      mode: 'phone',
      learned: { dailyLife: '奶奶说孩子按时吃饭', study: '数学有进步', health: '', mood: '' },
      corrections: [],
      confirmation: null,
    })
    expect(
      (await board('demo-helper-1')).find((i) => i.child.id === 'chd-1')?.duties.guardian_contact
        ?.status,
    ).toBe('done')
  })

  it('writes one log for the same requestId sent twice, and returns that same log', async () => {
    const requestId = rid()
    const first = await stack.ok<{ log: Log }>(
      'demo-helper-1',
      'contacts.log',
      contact('chd-2', { duty: 'companionship' }),
      requestId,
    )
    const again = await stack.ok<{ log: Log }>(
      'demo-helper-1',
      'contacts.log',
      contact('chd-2', { duty: 'companionship' }),
      requestId,
    )
    expect(again.log).toEqual(first.log)
    const list = await stack.ok<List>('demo-helper-1', 'contacts.list', { childId: 'chd-2' })
    expect(list.logs.filter((l) => l.duty === 'companionship')).toHaveLength(1)
  })

  it('writes one log when the same submission arrives twice at the same moment', async () => {
    const requestId = rid()
    const data = contact('chd-2', {
      duty: 'home_visit',
      mode: 'in_person',
      occurredAt: '2026-03-08T09:00:00+08:00',
    })
    // Two warm function instances, so both calls really run side by side.
    await Promise.all([
      stack.call('demo-helper-1', 'session.me', {}),
      stack.call('demo-helper-1', 'session.me', {}),
    ])
    const [a, b] = await Promise.all([
      stack.ok<{ log: Log }>('demo-helper-1', 'contacts.log', data, requestId),
      stack.ok<{ log: Log }>('demo-helper-1', 'contacts.log', data, requestId),
    ])
    expect(a.log.id).toBe(b.log.id)
    const list = await stack.ok<List>('demo-helper-1', 'contacts.list', { childId: 'chd-2' })
    expect(list.logs.filter((l) => l.duty === 'home_visit')).toHaveLength(1)
  })

  it('refuses the same requestId for another child (CONFLICT)', async () => {
    const requestId = rid()
    await stack.ok(
      'demo-helper-1',
      'contacts.log',
      contact('chd-1', { occurredAt: '2026-03-02T09:00:00+08:00' }),
      requestId,
    )
    expect(
      (await stack.fails('demo-helper-1', 'contacts.log', contact('chd-2'), requestId)).code,
    ).toBe('CONFLICT')
  })

  it('requires a requestId (VALIDATION naming it)', async () => {
    const out = await stack.fails('demo-helper-1', 'contacts.log', contact('chd-1'))
    expect(out.code).toBe('VALIDATION')
    expect(out.issues?.map((i) => i.path)).toEqual(['requestId'])
  })

  it.each([
    ['a time in the future', { occurredAt: '2026-03-10T10:30:00+08:00' }, 'occurredAt'],
    ['a time before the pairing began', { occurredAt: '2026-02-28T23:59:00+08:00' }, 'occurredAt'],
    ['a time without an offset', { occurredAt: '2026-03-09T19:30:00' }, 'occurredAt'],
    ['nothing learned', { learned: { dailyLife: '  ' } }, 'learned'],
    ['a home visit by phone', { duty: 'home_visit', mode: 'phone' }, 'mode'],
    ['an unknown mode', { mode: 'letter' }, 'mode'],
    ['an overlong note', { learned: { mood: '好'.repeat(201) } }, 'learned.mood'],
  ])('refuses %s (VALIDATION)', async (_what, over, path) => {
    const out = await stack.fails('demo-helper-1', 'contacts.log', contact('chd-1', over), rid())
    expect(out.code).toBe('VALIDATION')
    expect(out.issues?.map((i) => i.path)).toContain(path)
  })

  it('answers NOT_FOUND to a helper not paired with the child, FORBIDDEN to officers and guardians', async () => {
    expect((await stack.fails('demo-helper-2', 'contacts.log', contact('chd-1'), rid())).code).toBe(
      'NOT_FOUND',
    )
    expect((await stack.fails('demo-helper-3', 'contacts.log', contact('chd-1'), rid())).code).toBe(
      'NOT_FOUND',
    )
    expect(
      (await stack.fails('demo-helper-1', 'contacts.log', contact('chd-nobody'), rid())).code,
    ).toBe('NOT_FOUND')
    expect(
      (await stack.fails('demo-village-1', 'contacts.log', contact('chd-1'), rid())).code,
    ).toBe('FORBIDDEN')
    expect(
      (await stack.fails('guardian-chd-1', 'contacts.log', contact('chd-1'), rid())).code,
    ).toBe('FORBIDDEN')
  })
})

describe('contacts.list', () => {
  it('shows the guardian only date, kind, helper and mode of their own child’s contacts', async () => {
    const list = await stack.ok<List>('guardian-chd-1', 'contacts.list', { childId: 'chd-1' })
    expect(list.view).toBe('guardian')
    expect(list.logs.length).toBeGreaterThan(0)
    for (const log of list.logs) {
      expect(Object.keys(log).sort()).toEqual([
        'confirmation',
        'duty',
        'helperName',
        'id',
        'mode',
        'occurredAt',
      ])
    }
    expect(list.logs[0]).toMatchObject({
      duty: 'guardian_contact',
      helperName: '张丽华',
      mode: 'phone',
    })
  })

  it('answers NOT_FOUND to a guardian of another child', async () => {
    expect((await stack.fails('demo-guardian-1', 'contacts.list', { childId: 'chd-1' })).code).toBe(
      'NOT_FOUND',
    )
  })

  it('gives officers in scope the full logs, newest first; NOT_FOUND outside the scope', async () => {
    const list = await stack.ok<List>('demo-village-1', 'contacts.list', { childId: 'chd-1' })
    expect(list.view).toBe('full')
    expect(Object.keys(list.logs[0] ?? {}).sort()).toEqual(
      [
        'actions',
        'checkin',
        'childId',
        'confirmation',
        'correctableUntil',
        'corrections',
        'createdAt',
        'duty',
        'helperId',
        'helperName',
        'id',
        'learned',
        'mode',
        'occurredAt',
        'pairingId',
        'photoCount',
        'problems',
      ].sort(),
    )
    const dates = list.logs.map((l) => String(l.occurredAt))
    expect(dates).toEqual([...dates].sort().reverse())
    expect((await stack.fails('demo-village-2', 'contacts.list', { childId: 'chd-1' })).code).toBe(
      'NOT_FOUND',
    )
    const township = await stack.ok<List>('demo-township', 'contacts.list', { childId: 'chd-1' })
    expect(township.logs).toHaveLength(list.logs.length)
  })

  it('pages with a cursor without losing or repeating a log', async () => {
    const all = await stack.ok<List>('demo-township', 'contacts.list', {
      childId: 'chd-1',
      limit: 100,
    })
    const first = await stack.ok<List>('demo-township', 'contacts.list', {
      childId: 'chd-1',
      limit: 1,
    })
    expect(first.nextCursor).not.toBeNull()
    const second = await stack.ok<List>('demo-township', 'contacts.list', {
      childId: 'chd-1',
      limit: 100,
      cursor: first.nextCursor,
    })
    expect([...first.logs, ...second.logs].map((l) => l.id)).toEqual(all.logs.map((l) => l.id))
    expect(second.nextCursor).toBeNull()
    expect(
      (await stack.fails('demo-township', 'contacts.list', { childId: 'chd-1', cursor: 'garbage' }))
        .code,
    ).toBe('VALIDATION')
  })

  it('after a hand-over: the new helper sees every log, the former helper only their own', async () => {
    await stack.ok('demo-village-1', 'pairings.assign', {
      childId: 'chd-2',
      helperId: 'usr-demo-helper-2',
      startDate: '2026-03-09',
    })
    await stack.ok(
      'demo-helper-2',
      'contacts.log',
      contact('chd-2', { occurredAt: '2026-03-10T08:00:00+08:00', learned: { mood: '情绪稳定' } }),
      rid(),
    )
    const now = await stack.ok<List>('demo-helper-2', 'contacts.list', { childId: 'chd-2' })
    expect(new Set(now.logs.map((l) => l.helperId))).toEqual(
      new Set(['usr-demo-helper-1', 'usr-demo-helper-2']),
    )
    const former = await stack.ok<List>('demo-helper-1', 'contacts.list', { childId: 'chd-2' })
    expect(former.logs.length).toBeGreaterThan(0)
    expect(new Set(former.logs.map((l) => l.helperId))).toEqual(new Set(['usr-demo-helper-1']))
    // The former helper can no longer log for the child.
    expect((await stack.fails('demo-helper-1', 'contacts.log', contact('chd-2'), rid())).code).toBe(
      'NOT_FOUND',
    )
  })

  it('answers NOT_FOUND to a helper who never helped the child', async () => {
    expect((await stack.fails('demo-helper-3', 'contacts.list', { childId: 'chd-1' })).code).toBe(
      'NOT_FOUND',
    )
  })
})

describe('contacts.correct', () => {
  it('lets the author correct a log, keeping what it said before', async () => {
    const { log } = await stack.ok<{ log: Log }>(
      'demo-helper-3',
      'contacts.log',
      contact('chd-3', { occurredAt: '2026-03-05T10:00:00+08:00' }),
      rid(),
    )
    const { log: corrected } = await stack.ok<{ log: Log }>('demo-helper-3', 'contacts.correct', {
      logId: log.id,
      changes: { learned: { study: '语文有进步' }, mode: 'video' },
    })
    expect(corrected.learned.study).toBe('语文有进步')
    expect(corrected.learned.dailyLife).toBe('奶奶说孩子按时吃饭')
    expect(corrected.mode).toBe('video')
    expect(corrected.corrections).toHaveLength(1)
    expect(corrected.corrections[0]?.changes).toEqual([
      { field: 'mode', from: 'phone', to: 'video' },
      { field: 'learned.study', from: '数学有进步', to: '语文有进步' },
    ])
    const list = await stack.ok<List>('demo-village-2', 'contacts.list', { childId: 'chd-3' })
    expect(list.logs.find((l) => l.id === log.id)).toMatchObject({
      mode: 'video',
      learned: { dailyLife: '奶奶说孩子按时吃饭', study: '语文有进步', health: '', mood: '' },
      corrections: [{ changes: corrected.corrections[0]?.changes }],
    })
  })

  it('moves the duty when the kind is corrected: the board follows', async () => {
    const before = (await board('demo-helper-3')).find((i) => i.child.id === 'chd-3')
    expect(before?.duties.guardian_contact?.status).toBe('done')
    expect(before?.duties.companionship?.status).toBe('open')
    const list = await stack.ok<List>('demo-helper-3', 'contacts.list', { childId: 'chd-3' })
    const logId = String(list.logs[0]?.id)
    await stack.ok('demo-helper-3', 'contacts.correct', {
      logId,
      changes: { duty: 'companionship' },
    })
    const after = (await board('demo-helper-3')).find((i) => i.child.id === 'chd-3')
    expect(after?.duties.guardian_contact?.status).toBe('open')
    expect(after?.duties.companionship?.status).toBe('done')
  })

  it('refuses a correction that changes nothing or breaks a rule (VALIDATION)', async () => {
    const list = await stack.ok<List>('demo-helper-3', 'contacts.list', { childId: 'chd-3' })
    const logId = String(list.logs[0]?.id)
    expect(
      (
        await stack.fails('demo-helper-3', 'contacts.correct', {
          logId,
          changes: { mode: 'video' },
        })
      ).code,
    ).toBe('VALIDATION')
    expect(
      (await stack.fails('demo-helper-3', 'contacts.correct', { logId, changes: {} })).code,
    ).toBe('VALIDATION')
    const future = await stack.fails('demo-helper-3', 'contacts.correct', {
      logId,
      changes: { occurredAt: '2026-03-11T10:00:00+08:00' },
    })
    expect(future.issues?.map((i) => i.path)).toEqual(['changes.occurredAt'])
  })

  it('answers NOT_FOUND to anyone but the author, FORBIDDEN to officers', async () => {
    const list = await stack.ok<List>('demo-helper-3', 'contacts.list', { childId: 'chd-3' })
    const logId = String(list.logs[0]?.id)
    expect(
      (
        await stack.fails('demo-helper-1', 'contacts.correct', {
          logId,
          changes: { problems: 'x' },
        })
      ).code,
    ).toBe('NOT_FOUND')
    expect(
      (
        await stack.fails('demo-township', 'contacts.correct', {
          logId,
          changes: { problems: 'x' },
        })
      ).code,
    ).toBe('FORBIDDEN')
    expect(
      (
        await stack.fails('demo-helper-3', 'contacts.correct', {
          logId: 'nope',
          changes: { problems: 'x' },
        })
      ).code,
    ).toBe('NOT_FOUND')
  })

  it('refuses a correction more than 7 days after the log was written (FORBIDDEN), and never deletes it', async () => {
    const list = await stack.ok<List>('demo-helper-3', 'contacts.list', { childId: 'chd-3' })
    const logId = String(list.logs[0]?.id)
    stack.emulator.clock.set(new Date(NOW.getTime() + 8 * 86_400_000))
    try {
      const out = await stack.fails('demo-helper-3', 'contacts.correct', {
        logId,
        changes: { problems: '补充' },
      })
      expect(out.code).toBe('FORBIDDEN')
      expect(out.message).toContain('7天')
      const still = await stack.ok<List>('demo-helper-3', 'contacts.list', { childId: 'chd-3' })
      expect(still.logs.map((l) => l.id)).toContain(logId)
    } finally {
      stack.emulator.clock.set(NOW)
    }
  })
})
