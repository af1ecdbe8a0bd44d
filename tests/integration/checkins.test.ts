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

async function stored(collection: string, query: Doc): Promise<Doc[]> {
  const res = await stack.emulator.database.handle(
    'database.getDocument',
    {
      action: 'database.getDocument',
      collectionName: collection,
      query: JSON.stringify(query),
      limit: 1000,
    },
    { env: stack.emulator.env, requestId: 'test' },
  )
  return (res.data as { list: Array<string | Doc> }).list.map((d) =>
    typeof d === 'string' ? (JSON.parse(d) as Doc) : d,
  )
}

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
    const [saved] = await stored('checkins', { _id: c.checkinId })
    expect(saved).toMatchObject({ kind: 'visit', helperId: 'usr-demo-helper-1', logId: log.id })
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
    const before = await stored('checkins', { kind: 'visit' })
    const res = await stack.fails('demo-helper-2', 'checkins.scan', { scene: code.scene })
    expect(res.code).toBe('FORBIDDEN')
    expect(res.message).toContain('没有与这户的儿童结对')
    expect(await stored('checkins', { kind: 'visit' })).toHaveLength(before.length)
    expect((await stack.fails('demo-village-1', 'checkins.scan', { scene: code.scene })).code).toBe(
      'FORBIDDEN',
    )
    expect(
      (await stack.fails('demo-helper-1', 'checkins.scan', { scene: 'H.AAAAAAAAAAAAAAAAAAAA' }))
        .code,
    ).toBe('NOT_FOUND')
  })
})
