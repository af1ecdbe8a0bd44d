// Household QR check-in (一户一码) through the api function: officers' codes, a paired helper's scan, the home-visit log.
import jsQR from 'jsqr'
import { PNG } from 'pngjs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startStack, type Stack } from '../support/stack'

let stack: Stack

type Code = {
  childId: string
  childName: string
  scene: string
  path: string
  qrUrl: string | null
}
type Checkin = { checkinId: string; childId: string; childName: string; at: string }
type Doc = Record<string, unknown>

let seq = 0
const rid = () => `req-chk-${Date.now().toString(36)}-${++seq}`

const visit = (over: Doc = {}) => ({
  childId: 'chd-demo-01',
  duty: 'home_visit',
  occurredAt: new Date(Date.now() - 60_000).toISOString(),
  mode: 'in_person',
  learned: { dailyLife: '家里收拾得干净' },
  ...over,
})

let code: Code

beforeAll(async () => {
  stack = await startStack({ seed: 'full' })
  code = (
    await stack.ok<{ code: Code }>('demo-village-1', 'checkins.household', {
      childId: 'chd-demo-01',
    })
  ).code
})
afterAll(async () => {
  await stack?.close()
})

describe('checkins.household', () => {
  it('gives an officer a printable QR code for the household, stable until regenerated', async () => {
    expect(code).toMatchObject({ childId: 'chd-demo-01', villageName: '清水村' })
    expect(code.scene).toMatch(/^H\.[A-Za-z0-9_-]{20}$/)
    expect(code.path).toBe(`pages/checkin/index?scene=${encodeURIComponent(code.scene)}`)
    const png = await fetch(code.qrUrl ?? '')
    const img = PNG.sync.read(Buffer.from(await png.arrayBuffer()))
    const qr = jsQR(new Uint8ClampedArray(img.data), img.width, img.height)
    expect(qr?.data).toBe(
      `${stack.url}/#/pages/checkin/index?scene=${encodeURIComponent(code.scene)}`,
    )
    const again = await stack.ok<{ code: Code }>('demo-township', 'checkins.household', {
      childId: 'chd-demo-01',
    })
    expect(again.code.scene).toBe(code.scene)
  })

  it('is for officers in scope only', async () => {
    expect(
      (await stack.fails('demo-village-1', 'checkins.household', { childId: 'chd-demo-23' })).code,
    ).toBe('NOT_FOUND')
    expect(
      (await stack.fails('demo-helper-1', 'checkins.household', { childId: 'chd-demo-01' })).code,
    ).toBe('FORBIDDEN')
  })

  it('a regenerated code replaces the old one', async () => {
    const first = await stack.ok<{ code: Code }>('demo-village-1', 'checkins.household', {
      childId: 'chd-demo-02',
    })
    const next = await stack.ok<{ code: Code }>('demo-village-1', 'checkins.household', {
      childId: 'chd-demo-02',
      regenerate: true,
    })
    expect(next.code.scene).not.toBe(first.code.scene)
    expect(
      (await stack.fails('demo-helper-1', 'checkins.scan', { scene: first.code.scene })).code,
    ).toBe('NOT_FOUND')
    expect(
      await stack.ok<Checkin>('demo-helper-1', 'checkins.scan', { scene: next.code.scene }),
    ).toMatchObject({
      childId: 'chd-demo-02',
    })
  })
})

describe('checkins.scan and the home-visit log', () => {
  it('the paired helper checks in and logs the visit with the check-in as evidence, once', async () => {
    const c = await stack.ok<Checkin>('demo-helper-1', 'checkins.scan', { scene: code.scene })
    expect(c).toMatchObject({ childId: 'chd-demo-01', childName: expect.any(String) })
    const { log } = await stack.ok<{ log: Doc }>(
      'demo-helper-1',
      'contacts.log',
      visit({ checkinId: c.checkinId }),
      rid(),
    )
    expect(log.checkin).toEqual({ id: c.checkinId, at: c.at })
    const reuse = await stack.fails(
      'demo-helper-1',
      'contacts.log',
      visit({ checkinId: c.checkinId }),
      rid(),
    )
    expect(reuse).toMatchObject({ code: 'VALIDATION', issues: [{ path: 'checkinId' }] })
    const [saved] = await stack.docs('checkins', { _id: c.checkinId })
    expect(saved).toMatchObject({ kind: 'visit', helperId: 'usr-demo-helper-1', logId: log.id })

    // The checked-in log stays a home visit: a correction to another kind is refused, nothing changes.
    const recast = await stack.fails('demo-helper-1', 'contacts.correct', {
      logId: log.id,
      changes: { duty: 'companionship' },
    })
    expect(recast).toMatchObject({ code: 'VALIDATION', issues: [{ path: 'changes.duty' }] })
    const [kept] = await stack.docs('contact_logs', { _id: log.id })
    expect(kept).toMatchObject({ duty: 'home_visit', corrections: [] })
  })

  it('a check-in is only for a home visit by the helper who made it', async () => {
    const c = await stack.ok<Checkin>('demo-helper-1', 'checkins.scan', { scene: code.scene })
    const wrongDuty = await stack.fails(
      'demo-helper-1',
      'contacts.log',
      visit({ checkinId: c.checkinId, duty: 'companionship' }),
      rid(),
    )
    expect(wrongDuty).toMatchObject({ code: 'VALIDATION', issues: [{ path: 'checkinId' }] })
    const wrongChild = await stack.fails(
      'demo-helper-1',
      'contacts.log',
      visit({ checkinId: c.checkinId, childId: 'chd-demo-02' }),
      rid(),
    )
    expect(wrongChild).toMatchObject({ code: 'VALIDATION', issues: [{ path: 'checkinId' }] })
  })

  it('a helper not paired with the household is refused and nothing is recorded', async () => {
    const before = await stack.docs('checkins', { kind: 'visit' })
    const res = await stack.fails('demo-helper-2', 'checkins.scan', { scene: code.scene })
    expect(res.code).toBe('FORBIDDEN')
    expect(res.message).toContain('没有与这户的儿童结对')
    expect(await stack.docs('checkins', { kind: 'visit' })).toHaveLength(before.length)
    expect((await stack.fails('demo-village-1', 'checkins.scan', { scene: code.scene })).code).toBe(
      'FORBIDDEN',
    )
    expect(
      (await stack.fails('demo-helper-1', 'checkins.scan', { scene: 'H.AAAAAAAAAAAAAAAAAAAA' }))
        .code,
    ).toBe('NOT_FOUND')
  })
})

describe('checkins.scan is idempotent while the check-in is open', () => {
  /** China midnight of the day after today, plus `hours`: well clear of a day boundary. */
  const tomorrowAt = (hours: number) => {
    const chinaNow = new Date(Date.now() + 8 * 3_600_000)
    const midnight = Date.UTC(
      chinaNow.getUTCFullYear(),
      chinaNow.getUTCMonth(),
      chinaNow.getUTCDate() + 1,
    )
    return new Date(midnight - 8 * 3_600_000 + hours * 3_600_000)
  }
  const codeOf = async (childId: string) =>
    (await stack.ok<{ code: Code }>('demo-village-1', 'checkins.household', { childId })).code
  const visitsOf = (childId: string) => stack.docs('checkins', { kind: 'visit', childId })

  beforeAll(() => {
    stack.emulator.clock.set(tomorrowAt(10))
  })
  afterAll(() => {
    stack.emulator.clock.reset()
  })

  it('a second scan of the same code returns the first check-in with its original time', async () => {
    const household = await codeOf('chd-demo-03')
    const first = await stack.ok<Checkin>('demo-helper-1', 'checkins.scan', {
      scene: household.scene,
    })
    stack.emulator.clock.set(tomorrowAt(10.5))
    const second = await stack.ok<Checkin>('demo-helper-1', 'checkins.scan', {
      scene: household.scene,
    })
    expect(second).toEqual(first)
    // The time kept is the first scan's, not the second's.
    expect(Date.parse(second.at)).toBeLessThan(tomorrowAt(10.5).getTime())
    const visits = await visitsOf('chd-demo-03')
    expect(visits).toHaveLength(1)
    expect(visits[0]).toMatchObject({ _id: first.checkinId, logId: null })
  })

  it('two scans at the same moment record one check-in', async () => {
    const household = await codeOf('chd-demo-04')
    const scans = await Promise.all(
      [1, 2, 3].map(() =>
        stack.ok<Checkin>('demo-helper-1', 'checkins.scan', { scene: household.scene }),
      ),
    )
    expect(new Set(scans.map((s) => s.checkinId)).size).toBe(1)
    expect(new Set(scans.map((s) => s.at)).size).toBe(1)
    expect(await visitsOf('chd-demo-04')).toHaveLength(1)
  })

  it('once a home-visit log used the check-in, the next scan makes a new one', async () => {
    const household = await codeOf('chd-demo-05')
    const first = await stack.ok<Checkin>('demo-helper-1', 'checkins.scan', {
      scene: household.scene,
    })
    const { log } = await stack.ok<{ log: Doc }>(
      'demo-helper-1',
      'contacts.log',
      visit({ childId: 'chd-demo-05', checkinId: first.checkinId }),
      rid(),
    )
    expect(log.checkin).toEqual({ id: first.checkinId, at: first.at })
    const next = await stack.ok<Checkin>('demo-helper-1', 'checkins.scan', {
      scene: household.scene,
    })
    expect(next.checkinId).not.toBe(first.checkinId)
    const visits = await visitsOf('chd-demo-05')
    expect(visits).toHaveLength(2)
    expect(visits.find((v) => v._id === next.checkinId)).toMatchObject({ logId: null })
  })

  it('an unused check-in from an earlier China day is not reused', async () => {
    const household = await codeOf('chd-demo-06')
    const first = await stack.ok<Checkin>('demo-helper-1', 'checkins.scan', {
      scene: household.scene,
    })
    stack.emulator.clock.set(tomorrowAt(24 + 8))
    const next = await stack.ok<Checkin>('demo-helper-1', 'checkins.scan', {
      scene: household.scene,
    })
    expect(next.checkinId).not.toBe(first.checkinId)
    expect(await visitsOf('chd-demo-06')).toHaveLength(2)
  })

  it('an unpaired helper scanning an open household is refused and gets nothing recorded', async () => {
    stack.emulator.clock.set(tomorrowAt(10))
    const household = await codeOf('chd-demo-07')
    const mine = await stack.ok<Checkin>('demo-helper-1', 'checkins.scan', {
      scene: household.scene,
    })
    const res = await stack.fails('demo-helper-2', 'checkins.scan', { scene: household.scene })
    expect(res).toMatchObject({
      code: 'FORBIDDEN',
      message: '您没有与这户的儿童结对，不能在此签到',
    })
    const visits = await visitsOf('chd-demo-07')
    expect(visits.map((v) => v._id)).toEqual([mine.checkinId])
    expect(visits.filter((v) => v.helperId !== 'usr-demo-helper-1')).toEqual([])
  })
})
