// Guardian confirmation through the api function: the helper's QR token, a first-time guardian's check, one answer per log.
import jsQR from 'jsqr'
import { PNG } from 'pngjs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startStack, type Stack } from '../support/stack'

let stack: Stack

type Token = {
  id: string
  logId: string
  scene: string
  path: string
  qrUrl: string | null
  expiresAt: string
  state: string
}
type Doc = Record<string, unknown>

async function decodeQrAt(url: string): Promise<string> {
  const res = await fetch(url)
  expect(res.status).toBe(200)
  const img = PNG.sync.read(Buffer.from(await res.arrayBuffer()))
  const code = jsQR(new Uint8ClampedArray(img.data), img.width, img.height)
  if (!code) throw new Error('no QR code in the image')
  return code.data
}

let seq = 0
const rid = () => `req-cfm-${Date.now().toString(36)}-${++seq}`
let n = 0
const newcomer = () => `wx-guardian-${++n}`

/** demo-helper-1 logs a home visit an hour ago for the child; returns the log id. */
async function logVisit(childId = 'chd-demo-01'): Promise<string> {
  const out = await stack.ok<{ log: { id: string } }>(
    'demo-helper-1',
    'contacts.log',
    {
      childId,
      duty: 'home_visit',
      occurredAt: new Date(Date.now() - 3_600_000).toISOString(),
      mode: 'in_person',
      learned: { dailyLife: '饮食起居正常' },
    },
    rid(),
  )
  return out.log.id
}

async function token(logId: string): Promise<Token> {
  return (
    await stack.ok<{ confirmation: Token }>('demo-helper-1', 'confirmations.create', { logId })
  ).confirmation
}

beforeAll(async () => {
  stack = await startStack({ seed: 'full' })
})
afterAll(async () => {
  await stack?.close()
})

describe('confirmations.create', () => {
  it('gives the log’s author a single QR code (the same again until answered) that opens the confirm page', async () => {
    const logId = await logVisit()
    const t = await token(logId)
    expect(t).toMatchObject({ logId, state: 'open' })
    expect(t.scene).toMatch(/^C\.[A-Za-z0-9_-]{20}$/)
    expect(t.path).toBe(`confirm/index?scene=${encodeURIComponent(t.scene)}`)
    const text = await decodeQrAt(t.qrUrl ?? '')
    expect(new URL(text.replace('/#/', '/')).searchParams.get('scene')).toBe(t.scene)
    expect(text).toContain('/#/confirm/index?scene=')
    expect((await token(logId)).scene).toBe(t.scene)
    expect(Date.parse(t.expiresAt) - Date.now()).toBeGreaterThan(6.9 * 86_400_000)
  })

  it('is refused to anyone but the author', async () => {
    const logId = await logVisit()
    expect((await stack.fails('demo-helper-2', 'confirmations.create', { logId })).code).toBe(
      'NOT_FOUND',
    )
    expect((await stack.fails('demo-village-1', 'confirmations.create', { logId })).code).toBe(
      'FORBIDDEN',
    )
    expect((await stack.fails('demo-guardian-1', 'confirmations.create', { logId })).code).toBe(
      'FORBIDDEN',
    )
  })
})

describe('a first-time guardian', () => {
  it('sees nothing before the check, binds with the last 4 digits, confirms once; the helper sees it', async () => {
    const logId = await logVisit()
    const t = await token(logId)
    const grandma = newcomer()

    const before = await stack.ok<Doc>(grandma, 'confirmations.view', { scene: t.scene })
    expect(before).toEqual({ status: 'check_needed', checksLeft: 5 })

    const wrong = await stack.fails(grandma, 'confirmations.bind', {
      scene: t.scene,
      phoneLast4: '0000',
    })
    expect(wrong).toMatchObject({ code: 'VALIDATION', issues: [{ path: 'phoneLast4' }] })
    expect(wrong.message).toContain('还可以再试4次')
    expect(await stack.ok(grandma, 'session.me')).toBeNull()

    const bound = await stack.ok<Doc>(grandma, 'confirmations.bind', {
      scene: t.scene,
      phoneLast4: '1111',
    })
    expect(bound).toEqual({
      status: 'open',
      visit: {
        helperName: expect.any(String),
        date: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/),
        duty: 'home_visit',
        dutyLabel: '上门走访',
        mode: 'in_person',
        modeLabel: '当面',
        childGivenName: expect.any(String),
      },
    })
    const visit = bound.visit as Doc
    expect(String(visit.childGivenName).length).toBeLessThanOrEqual(2)
    expect(await stack.ok(grandma, 'session.me')).toMatchObject({
      role: 'guardian',
      displayName: '周桂兰',
    })
    expect(await stack.ok<Doc>(grandma, 'confirmations.view', { scene: t.scene })).toMatchObject({
      status: 'open',
    })

    const answer = await stack.ok<Doc>(grandma, 'confirmations.answer', {
      scene: t.scene,
      answer: 'confirmed',
    })
    expect(answer).toMatchObject({ answer: 'confirmed', visit })

    // once per log: the same token, a new token and a second guardian all get CONFLICT
    expect(
      (await stack.fails(grandma, 'confirmations.answer', { scene: t.scene, answer: 'disputed' }))
        .code,
    ).toBe('CONFLICT')
    expect((await stack.fails('demo-helper-1', 'confirmations.create', { logId })).code).toBe(
      'CONFLICT',
    )
    expect(
      (
        await stack.fails('demo-guardian-1', 'confirmations.answer', {
          scene: t.scene,
          answer: 'disputed',
        })
      ).code,
    ).toBe('CONFLICT')
    expect(await stack.ok<Doc>(grandma, 'confirmations.view', { scene: t.scene })).toMatchObject({
      status: 'answered',
      answer: 'confirmed',
    })
    // someone else scanning the used token learns nothing
    const late = await stack.fails(newcomer(), 'confirmations.view', { scene: t.scene })
    expect(late.code).toBe('CONFLICT')

    const list = await stack.ok<{ logs: Array<{ id: string; confirmation: Doc | null }> }>(
      'demo-helper-1',
      'contacts.list',
      { childId: 'chd-demo-01', limit: 100 },
    )
    expect(list.logs.find((l) => l.id === logId)?.confirmation).toMatchObject({
      answer: 'confirmed',
      comment: '',
    })
    const [log] = await stack.docs('contact_logs', { _id: logId })
    expect(log?.confirmation).toMatchObject({
      answer: 'confirmed',
      guardianUserId: expect.stringMatching(/^usr-/),
    })
  })

  it('is locked out of a token after 5 wrong checks, even with the right digits', async () => {
    const t = await token(await logVisit())
    const who = newcomer()
    for (let i = 4; i >= 1; i--) {
      const res = await stack.fails(who, 'confirmations.bind', {
        scene: t.scene,
        phoneLast4: '9999',
      })
      expect(res.message).toContain(`还可以再试${i}次`)
    }
    const fifth = await stack.fails(who, 'confirmations.bind', {
      scene: t.scene,
      phoneLast4: '9999',
    })
    expect(fifth.message).toContain('锁定')
    const right = await stack.fails(who, 'confirmations.bind', {
      scene: t.scene,
      phoneLast4: '1111',
    })
    expect(right).toMatchObject({ code: 'CONFLICT', message: expect.stringContaining('锁定') })
    expect(await stack.ok(who, 'session.me')).toBeNull()
    // a guardian bound before may still answer through it
    expect(
      await stack.ok<Doc>('demo-guardian-1', 'confirmations.view', { scene: t.scene }),
    ).toMatchObject({
      status: 'open',
    })
    // and the helper gets a fresh token instead of the locked one
    expect((await token(t.logId)).scene).not.toBe(t.scene)
  })
})

describe('a bound guardian', () => {
  it('disputes with a comment; officers see it', async () => {
    const logId = await logVisit()
    const t = await token(logId)
    expect(
      await stack.ok<Doc>('demo-guardian-1', 'confirmations.view', { scene: t.scene }),
    ).toMatchObject({
      status: 'open',
    })
    await stack.ok('demo-guardian-1', 'confirmations.answer', {
      scene: t.scene,
      answer: 'disputed',
      comment: '那天没有人来过',
    })
    const list = await stack.ok<{ logs: Array<{ id: string; confirmation: Doc | null }> }>(
      'demo-village-1',
      'contacts.list',
      { childId: 'chd-demo-01', limit: 100 },
    )
    expect(list.logs.find((l) => l.id === logId)?.confirmation).toMatchObject({
      answer: 'disputed',
      comment: '那天没有人来过',
    })
  })

  it('stays on the board after the child’s duty state is recomputed from the logs', async () => {
    const logId = await logVisit()
    const t = await token(logId)
    await stack.ok('demo-guardian-1', 'confirmations.answer', {
      scene: t.scene,
      answer: 'disputed',
    })
    // A correction of the date recomputes the state from the stored logs (not from the answer's write).
    await stack.ok('demo-helper-1', 'contacts.correct', {
      logId,
      changes: { occurredAt: new Date(Date.now() - 1_800_000).toISOString() },
    })
    const board = await stack.ok<{
      items: Array<{ child: { id: string }; duties: Record<string, { confirmation: unknown }> }>
    }>('demo-helper-1', 'duties.list', {})
    const row = board.items.find((i) => i.child.id === 'chd-demo-01')
    expect(row?.duties.home_visit?.confirmation).toBe('disputed')
  })

  it('of another child needs the check and cannot answer', async () => {
    const t = await token(await logVisit('chd-demo-02'))
    expect(
      await stack.ok<Doc>('demo-guardian-1', 'confirmations.view', { scene: t.scene }),
    ).toEqual({
      status: 'check_needed',
      checksLeft: 5,
    })
    const res = await stack.fails('demo-guardian-1', 'confirmations.answer', {
      scene: t.scene,
      answer: 'confirmed',
    })
    expect(res.code).toBe('FORBIDDEN')
  })
})

describe('refusals', () => {
  it('an expired token answers nothing', async () => {
    const t = await token(await logVisit())
    stack.emulator.clock.set(new Date(Date.now() + 8 * 86_400_000))
    try {
      const res = await stack.fails('demo-guardian-1', 'confirmations.view', { scene: t.scene })
      expect(res).toMatchObject({ code: 'CONFLICT', message: expect.stringContaining('过期') })
      expect(
        (
          await stack.fails('demo-guardian-1', 'confirmations.answer', {
            scene: t.scene,
            answer: 'confirmed',
          })
        ).code,
      ).toBe('CONFLICT')
    } finally {
      stack.emulator.clock.reset()
    }
  })

  it('helpers and officers cannot bind; unknown tokens are NOT_FOUND', async () => {
    const t = await token(await logVisit())
    expect(
      (
        await stack.fails('demo-helper-1', 'confirmations.bind', {
          scene: t.scene,
          phoneLast4: '1111',
        })
      ).code,
    ).toBe('FORBIDDEN')
    expect(
      (
        await stack.fails('demo-township', 'confirmations.bind', {
          scene: t.scene,
          phoneLast4: '1111',
        })
      ).code,
    ).toBe('FORBIDDEN')
    expect(
      (await stack.fails(newcomer(), 'confirmations.view', { scene: 'C.AAAAAAAAAAAAAAAAAAAA' }))
        .code,
    ).toBe('NOT_FOUND')
  })
})
