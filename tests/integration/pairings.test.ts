// Pairing (结对) through the api function: the officer pairing screen's lookups, assign with hand-over, end, history.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startStack, type Stack } from '../support/stack'

let stack: Stack

/** China wall-clock time as an instant: '2026-03-10T10:00' → 2026-03-10T02:00Z. */
const cn = (s: string) => new Date(`${s}:00+08:00`)

type Pairing = {
  id: string
  childId: string
  helperId: string
  helperName: string
  startDate: string
  endDate: string | null
  active: boolean
  endReason: string | null
  endNote: string | null
}

function child(
  id: string,
  villageId: string,
  over: Record<string, unknown> = {},
): Record<string, unknown> {
  const at = { $date: '2026-01-05T02:00:00.000Z' }
  return {
    _id: id,
    townshipId: 'twp-demo',
    villageId,
    name: '王小明',
    sex: 'male',
    birthDate: '2015-05-01',
    idNumber: null,
    school: '青山小学',
    grade: '四年级',
    address: '清水村3组',
    parents: [],
    guardians: [{ id: 'g1', name: '王桂花', relation: 'grandparent', phone: '13800000001' }],
    categories: ['poverty'],
    academicSubtype: null,
    riskLevel: 'medium',
    needs: [],
    notes: '',
    status: 'active',
    archive: null,
    consent: null,
    version: 1,
    createdAt: at,
    updatedAt: at,
    createdBy: 'usr-demo-village-1',
    ...over,
  }
}

beforeAll(async () => {
  stack = await startStack({ seed: true })
  stack.emulator.clock.set(cn('2026-03-10T10:00'))
  await stack.seed({
    children: [
      child('chd-a', 'vil-demo-1'),
      child('chd-b', 'vil-demo-1'),
      child('chd-c', 'vil-demo-2'),
      child('chd-archived', 'vil-demo-1', {
        status: 'archived',
        archive: {
          reason: 'moved',
          note: '',
          at: { $date: '2026-02-01T02:00:00.000Z' },
          by: 'usr-demo-village-1',
        },
      }),
      child('chd-end', 'vil-demo-1'),
      child('chd-race', 'vil-demo-1'),
    ],
    users: [
      {
        _id: 'usr-other-helper',
        openid: 'other-helper',
        role: 'helper',
        displayName: '外镇帮扶人',
        townshipId: 'twp-other',
        villageId: 'vil-other',
        phone: null,
        helperOrgType: 'volunteer',
        guardianOf: [],
      },
      {
        _id: 'usr-volunteer',
        openid: 'volunteer',
        role: 'helper',
        displayName: '青山志愿者协会',
        townshipId: 'twp-demo',
        villageId: null,
        phone: null,
        helperOrgType: 'social_org',
        guardianOf: [],
      },
    ],
  })
})

afterAll(async () => {
  await stack.close()
})

describe('org.villages', () => {
  it('gives a township officer every village of the township', async () => {
    const out = await stack.ok<{ villages: unknown[] }>('demo-township', 'org.villages', {})
    expect(out.villages).toEqual([
      { id: 'vil-demo-1', name: '清水村' },
      { id: 'vil-demo-2', name: '石桥村' },
    ])
  })

  it('gives a village officer only their own village', async () => {
    const out = await stack.ok<{ villages: unknown[] }>('demo-village-2', 'org.villages', {})
    expect(out.villages).toEqual([{ id: 'vil-demo-2', name: '石桥村' }])
  })

  it('is FORBIDDEN to helpers and guardians', async () => {
    expect((await stack.fails('demo-helper-1', 'org.villages', {})).code).toBe('FORBIDDEN')
    expect((await stack.fails('demo-guardian-1', 'org.villages', {})).code).toBe('FORBIDDEN')
  })
})

describe('helpers.list', () => {
  type Helper = {
    id: string
    displayName: string
    helperOrgType: string | null
    villageId: string | null
    load: number
  }

  it('lists the township helpers with their current load to a township officer', async () => {
    const { helpers, more } = await stack.ok<{ helpers: Helper[]; more: boolean }>(
      'demo-township',
      'helpers.list',
      {},
    )
    expect(more).toBe(false)
    expect(helpers.map((h) => h.id).sort()).toEqual(
      ['usr-demo-helper-1', 'usr-demo-helper-2', 'usr-demo-helper-3', 'usr-volunteer'].sort(),
    )
    expect(helpers.find((h) => h.id === 'usr-volunteer')).toEqual({
      id: 'usr-volunteer',
      displayName: '青山志愿者协会',
      helperOrgType: 'social_org',
      villageId: null,
      load: 0,
    })
  })

  it('shows a village officer only the helpers of their village', async () => {
    const { helpers } = await stack.ok<{ helpers: Helper[] }>('demo-village-1', 'helpers.list', {})
    expect(helpers.map((h) => h.id).sort()).toEqual(['usr-demo-helper-1', 'usr-demo-helper-2'])
    const other = await stack.ok<{ helpers: Helper[] }>('demo-village-1', 'helpers.list', {
      villageId: 'vil-demo-2',
    })
    expect(other.helpers).toEqual([])
  })

  it('finds helpers by part of their name and narrows by village', async () => {
    const byName = await stack.ok<{ helpers: Helper[] }>('demo-township', 'helpers.list', {
      q: '丽',
    })
    expect(byName.helpers.map((h) => h.displayName)).toEqual(['张丽华'])
    const byVillage = await stack.ok<{ helpers: Helper[] }>('demo-township', 'helpers.list', {
      villageId: 'vil-demo-2',
    })
    expect(byVillage.helpers.map((h) => h.id)).toEqual(['usr-demo-helper-3'])
  })

  it('says when more helpers match than the page holds', async () => {
    const out = await stack.ok<{ helpers: Helper[]; more: boolean }>(
      'demo-township',
      'helpers.list',
      {
        limit: 2,
      },
    )
    expect(out.helpers).toHaveLength(2)
    expect(out.more).toBe(true)
  })

  it('refuses a malformed search (VALIDATION) and helpers (FORBIDDEN)', async () => {
    expect((await stack.fails('demo-township', 'helpers.list', { limit: 500 })).code).toBe(
      'VALIDATION',
    )
    expect((await stack.fails('demo-township', 'helpers.list', { q: '' })).code).toBe('VALIDATION')
    expect((await stack.fails('demo-helper-1', 'helpers.list', {})).code).toBe('FORBIDDEN')
  })
})

describe('pairings.assign', () => {
  it('pairs a child with a helper from today, and the helper load counts it', async () => {
    const out = await stack.ok<{ pairing: Pairing; ended: Pairing | null }>(
      'demo-village-1',
      'pairings.assign',
      {
        childId: 'chd-a',
        helperId: 'usr-demo-helper-1',
      },
    )
    expect(out.ended).toBeNull()
    expect(out.pairing).toMatchObject({
      childId: 'chd-a',
      helperId: 'usr-demo-helper-1',
      helperName: '张丽华',
      startDate: '2026-03-10',
      endDate: null,
      active: true,
      endReason: null,
    })
    const { helpers } = await stack.ok<{ helpers: Array<{ id: string; load: number }> }>(
      'demo-village-1',
      'helpers.list',
      {},
    )
    expect(helpers.find((h) => h.id === 'usr-demo-helper-1')?.load).toBe(1)
  })

  it('refuses the same helper again with CONFLICT', async () => {
    const out = await stack.fails('demo-village-1', 'pairings.assign', {
      childId: 'chd-a',
      helperId: 'usr-demo-helper-1',
    })
    expect(out.code).toBe('CONFLICT')
  })

  it('hands over to another helper: the old pairing ends where the new one starts, history keeps both', async () => {
    const out = await stack.ok<{ pairing: Pairing; ended: Pairing | null }>(
      'demo-township',
      'pairings.assign',
      {
        childId: 'chd-a',
        helperId: 'usr-demo-helper-2',
        startDate: '2026-03-10',
      },
    )
    expect(out.ended).toMatchObject({
      helperId: 'usr-demo-helper-1',
      active: false,
      endReason: 'handover',
      endDate: '2026-03-10',
    })
    expect(out.pairing).toMatchObject({
      helperId: 'usr-demo-helper-2',
      active: true,
      startDate: '2026-03-10',
    })

    const history = await stack.ok<{ current: Pairing; pairings: Pairing[] }>(
      'demo-village-1',
      'pairings.history',
      {
        childId: 'chd-a',
      },
    )
    expect(history.current.helperId).toBe('usr-demo-helper-2')
    expect(
      history.pairings.map((p) => [p.helperName, p.startDate, p.endDate, p.endReason]),
    ).toEqual([
      ['陈志强', '2026-03-10', null, null],
      ['张丽华', '2026-03-10', '2026-03-10', 'handover'],
    ])
    // The new helper now has the child on their board, the old one no longer.
    const board2 = await stack.ok<{ items: Array<{ child: { id: string } }> }>(
      'demo-helper-2',
      'duties.list',
      {},
    )
    expect(board2.items.map((i) => i.child.id)).toContain('chd-a')
    const board1 = await stack.ok<{ items: Array<{ child: { id: string } }> }>(
      'demo-helper-1',
      'duties.list',
      {},
    )
    expect(board1.items.map((i) => i.child.id)).not.toContain('chd-a')
  })

  it('writes one audit entry per pairing change, naming ids only', async () => {
    const docs = (await stack.docs('audit_log', { 'target.id': 'chd-a' })) as Array<{
      action: string
      detail: Record<string, unknown>
    }>
    expect(docs.map((d) => d.action)).toEqual(['pairings.assign', 'pairings.assign'])
    expect(docs[1]?.detail).toMatchObject({
      helperId: 'usr-demo-helper-2',
      handoverFromHelperId: 'usr-demo-helper-1',
    })
    expect(JSON.stringify(docs)).not.toContain('王小明')
  })

  it('lets a township officer pair across villages and with a township-wide helper', async () => {
    const out = await stack.ok<{ pairing: Pairing }>('demo-township', 'pairings.assign', {
      childId: 'chd-c',
      helperId: 'usr-volunteer',
    })
    expect(out.pairing.helperId).toBe('usr-volunteer')
  })

  it('refuses a start date in the future or before the current pairing began (VALIDATION)', async () => {
    const future = await stack.fails('demo-village-1', 'pairings.assign', {
      childId: 'chd-b',
      helperId: 'usr-demo-helper-1',
      startDate: '2026-03-11',
    })
    expect(future.code).toBe('VALIDATION')
    expect(future.issues?.map((i) => i.path)).toEqual(['startDate'])
    const early = await stack.fails('demo-township', 'pairings.assign', {
      childId: 'chd-a',
      helperId: 'usr-demo-helper-1',
      startDate: '2026-03-01',
    })
    expect(early.code).toBe('VALIDATION')
    const badDate = await stack.fails('demo-village-1', 'pairings.assign', {
      childId: 'chd-b',
      helperId: 'usr-demo-helper-1',
      startDate: '2026-02-30',
    })
    expect(badDate.code).toBe('VALIDATION')
  })

  it('answers NOT_FOUND for a child or helper outside the officer’s scope', async () => {
    // A village officer cannot reach the other village's child, nor its helper.
    expect(
      (
        await stack.fails('demo-village-1', 'pairings.assign', {
          childId: 'chd-c',
          helperId: 'usr-demo-helper-1',
        })
      ).code,
    ).toBe('NOT_FOUND')
    expect(
      (
        await stack.fails('demo-village-1', 'pairings.assign', {
          childId: 'chd-b',
          helperId: 'usr-demo-helper-3',
        })
      ).code,
    ).toBe('NOT_FOUND')
    // Nobody pairs with a helper of another township, nor with a user who is not a helper.
    expect(
      (
        await stack.fails('demo-township', 'pairings.assign', {
          childId: 'chd-b',
          helperId: 'usr-other-helper',
        })
      ).code,
    ).toBe('NOT_FOUND')
    expect(
      (
        await stack.fails('demo-township', 'pairings.assign', {
          childId: 'chd-b',
          helperId: 'usr-demo-guardian-1',
        })
      ).code,
    ).toBe('NOT_FOUND')
    expect(
      (
        await stack.fails('demo-township', 'pairings.assign', {
          childId: 'chd-nobody',
          helperId: 'usr-demo-helper-1',
        })
      ).code,
    ).toBe('NOT_FOUND')
  })

  it('refuses an archived child (CONFLICT), helpers (FORBIDDEN) and unknown fields (VALIDATION)', async () => {
    expect(
      (
        await stack.fails('demo-township', 'pairings.assign', {
          childId: 'chd-archived',
          helperId: 'usr-demo-helper-1',
        })
      ).code,
    ).toBe('CONFLICT')
    expect(
      (
        await stack.fails('demo-helper-1', 'pairings.assign', {
          childId: 'chd-b',
          helperId: 'usr-demo-helper-1',
        })
      ).code,
    ).toBe('FORBIDDEN')
    expect(
      (
        await stack.fails('demo-township', 'pairings.assign', {
          childId: 'chd-b',
          helperId: 'usr-demo-helper-1',
          x: 1,
        })
      ).code,
    ).toBe('VALIDATION')
  })

  it('keeps one active pairing when two officers pair the same child at once', async () => {
    const results = await Promise.all([
      stack.call('demo-township', 'pairings.assign', {
        childId: 'chd-race',
        helperId: 'usr-demo-helper-1',
      }),
      stack.call('demo-village-1', 'pairings.assign', {
        childId: 'chd-race',
        helperId: 'usr-demo-helper-2',
      }),
    ])
    const history = await stack.ok<{ pairings: Pairing[] }>('demo-township', 'pairings.history', {
      childId: 'chd-race',
    })
    expect(history.pairings.filter((p) => p.active)).toHaveLength(1)
    // Either both landed as a hand-over, or the second was refused; never two active pairings.
    for (const r of results) if (!r.ok) expect(r.code).toBe('CONFLICT')
  })
})

describe('pairings.end', () => {
  it('ends the active pairing with a reason; the child is then unpaired', async () => {
    await stack.ok('demo-village-1', 'pairings.assign', {
      childId: 'chd-end',
      helperId: 'usr-demo-helper-1',
    })
    const out = await stack.ok<{ pairing: Pairing }>('demo-village-1', 'pairings.end', {
      childId: 'chd-end',
      reason: 'helper_unavailable',
      note: '外出务工',
    })
    expect(out.pairing).toMatchObject({
      active: false,
      endReason: 'helper_unavailable',
      endNote: '外出务工',
      endDate: '2026-03-10',
    })
    const history = await stack.ok<{ current: Pairing | null; pairings: Pairing[] }>(
      'demo-village-1',
      'pairings.history',
      {
        childId: 'chd-end',
      },
    )
    expect(history.current).toBeNull()
    expect(history.pairings).toHaveLength(1)
  })

  it('answers CONFLICT when there is nothing to end, and VALIDATION for an unknown reason', async () => {
    expect(
      (await stack.fails('demo-village-1', 'pairings.end', { childId: 'chd-end', reason: 'other' }))
        .code,
    ).toBe('CONFLICT')
    expect(
      (await stack.fails('demo-village-1', 'pairings.end', { childId: 'chd-a', reason: 'bored' }))
        .code,
    ).toBe('VALIDATION')
  })

  it('lets the child be paired again, from the day the last pairing ended', async () => {
    const out = await stack.ok<{ pairing: Pairing }>('demo-village-1', 'pairings.assign', {
      childId: 'chd-end',
      helperId: 'usr-demo-helper-2',
    })
    expect(out.pairing.startDate).toBe('2026-03-10')
  })

  it('answers NOT_FOUND outside the scope and FORBIDDEN to helpers', async () => {
    expect(
      (await stack.fails('demo-village-2', 'pairings.end', { childId: 'chd-a', reason: 'other' }))
        .code,
    ).toBe('NOT_FOUND')
    expect(
      (await stack.fails('demo-helper-2', 'pairings.end', { childId: 'chd-a', reason: 'other' }))
        .code,
    ).toBe('FORBIDDEN')
  })
})

describe('pairings.history', () => {
  it('answers NOT_FOUND outside the scope, FORBIDDEN to guardians', async () => {
    expect(
      (await stack.fails('demo-village-2', 'pairings.history', { childId: 'chd-a' })).code,
    ).toBe('NOT_FOUND')
    expect(
      (await stack.fails('demo-guardian-1', 'pairings.history', { childId: 'chd-a' })).code,
    ).toBe('FORBIDDEN')
  })

  it('is empty for a child never paired', async () => {
    const out = await stack.ok<{ current: unknown; pairings: unknown[] }>(
      'demo-village-1',
      'pairings.history',
      {
        childId: 'chd-b',
      },
    )
    expect(out).toEqual({ childId: 'chd-b', current: null, pairings: [] })
  })
})
