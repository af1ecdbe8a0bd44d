// Invites through the api function: officers create, list and revoke them; a new WeChat user peeks and joins.
import jsQR from 'jsqr'
import { PNG } from 'pngjs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startStack, type Stack } from '../support/stack'

let stack: Stack
const NOW = new Date('2026-03-10T02:00:00.000Z')

type Fail = { ok: false; code: string; message: string; issues?: Array<{ path: string }> }
type Invite = {
  id: string
  role: string
  villageId: string | null
  villageName: string | null
  helperOrgType: string | null
  maxUses: number
  uses: number
  status: string
  scene: string
  path: string
  qrUrl: string | null
  expiresAt: string
}

/** Fetches a QR image by its temporary link and reads the text it encodes. */
export async function decodeQrAt(url: string): Promise<string> {
  const res = await fetch(url)
  expect(res.status).toBe(200)
  const img = PNG.sync.read(Buffer.from(await res.arrayBuffer()))
  const code = jsQR(new Uint8ClampedArray(img.data), img.width, img.height)
  if (!code) throw new Error('no QR code in the image')
  return code.data
}

let n = 0
const newcomer = () => `wx-newcomer-${++n}`

beforeAll(async () => {
  stack = await startStack({ seed: 'full' })
  stack.emulator.clock.set(NOW)
})
afterAll(async () => {
  await stack?.close()
})

describe('invites.create', () => {
  it('makes a real QR code that opens the join page with the scene', async () => {
    const { invite } = await stack.ok<{ invite: Invite }>('demo-village-1', 'invites.create', {
      role: 'helper',
    })
    expect(invite).toMatchObject({
      role: 'helper',
      villageId: 'vil-demo-1',
      villageName: '清水村',
      maxUses: 1,
      uses: 0,
      status: 'active',
      expiresAt: expect.stringMatching(/^2026-03-17T02:0/),
    })
    expect(invite.scene).toMatch(/^I\.[A-Za-z0-9_-]{20}$/)
    expect(invite.path).toBe(`pages/join/index?scene=${encodeURIComponent(invite.scene)}`)
    const text = await decodeQrAt(invite.qrUrl ?? '')
    expect(text).toBe(`${stack.url}/#/pages/join/index?scene=${encodeURIComponent(invite.scene)}`)
    expect(new URL(text.replace('/#/', '/')).searchParams.get('scene')).toBe(invite.scene)
  })

  it('lets a village officer invite helpers of their own village only', async () => {
    expect(
      (
        await stack.fails('demo-village-1', 'invites.create', {
          role: 'helper',
          villageId: 'vil-demo-2',
        })
      ).code,
    ).toBe('FORBIDDEN')
    expect(
      (await stack.fails('demo-village-1', 'invites.create', { role: 'village_officer' })).code,
    ).toBe('FORBIDDEN')
  })

  it('lets a township officer invite village officers (village required) and township-wide helpers', async () => {
    const noVillage = await stack.fails('demo-township', 'invites.create', {
      role: 'village_officer',
    })
    expect(noVillage).toMatchObject({ code: 'VALIDATION', issues: [{ path: 'villageId' }] })
    const { invite } = await stack.ok<{ invite: Invite }>('demo-township', 'invites.create', {
      role: 'village_officer',
      villageId: 'vil-demo-2',
      maxUses: 2,
      expiresInDays: 3,
    })
    expect(invite).toMatchObject({ role: 'village_officer', villageName: '石桥村', maxUses: 2 })
    const wide = await stack.ok<{ invite: Invite }>('demo-township', 'invites.create', {
      role: 'helper',
      helperOrgType: 'volunteer',
    })
    expect(wide.invite).toMatchObject({ villageId: null, helperOrgType: 'volunteer' })
  })

  it('refuses helpers, guardians and bad limits', async () => {
    expect((await stack.fails('demo-helper-1', 'invites.create', { role: 'helper' })).code).toBe(
      'FORBIDDEN',
    )
    expect((await stack.fails('demo-guardian-1', 'invites.create', { role: 'helper' })).code).toBe(
      'FORBIDDEN',
    )
    expect((await stack.fails('demo-township', 'invites.create', { role: 'guardian' })).code).toBe(
      'VALIDATION',
    )
    expect(
      (await stack.fails('demo-township', 'invites.create', { role: 'helper', maxUses: 51 })).code,
    ).toBe('VALIDATION')
  })
})

describe('invites.peek and invites.join', () => {
  it('a new WeChat user sees what they join, joins, and is a helper of that village', async () => {
    const { invite } = await stack.ok<{ invite: Invite }>('demo-village-1', 'invites.create', {
      role: 'helper',
      helperOrgType: 'teacher',
    })
    const who = newcomer()
    const peek = await stack.ok<Record<string, unknown>>(who, 'invites.peek', {
      scene: invite.scene,
    })
    expect(peek).toEqual({
      role: 'helper',
      roleLabel: '帮扶人',
      townshipName: expect.any(String),
      villageName: '清水村',
      helperOrgType: 'teacher',
      status: 'active',
      refusal: null,
      expiresAt: expect.stringMatching(/^2026-03-17T02:0/),
      alreadyRegistered: false,
    })
    expect(await stack.ok(who, 'session.me')).toBeNull()
    const joined = await stack.ok<{ user: Record<string, unknown> }>(who, 'invites.join', {
      scene: invite.scene,
      displayName: ' 李老师 ',
      phone: '138 1234 5678',
    })
    expect(joined.user).toMatchObject({
      role: 'helper',
      displayName: '李老师',
      villageId: 'vil-demo-1',
      helperOrgType: 'teacher',
    })
    expect(await stack.ok(who, 'session.me')).toMatchObject({
      role: 'helper',
      displayName: '李老师',
      villageName: '清水村',
    })
    // the new helper has an (empty) board
    expect(await stack.ok<{ items: unknown[] }>(who, 'duties.list', {})).toMatchObject({
      items: [],
    })
    // the one use is spent
    const again = await stack.fails(newcomer(), 'invites.join', {
      scene: invite.scene,
      displayName: '王五',
      phone: '13812345679',
    })
    expect(again.code).toBe('CONFLICT')
    expect(again.message).toContain('使用次数已满')
    const list = await stack.ok<{ invites: Invite[] }>('demo-village-1', 'invites.list', {
      status: 'all',
    })
    expect(list.invites.find((i) => i.id === invite.id)).toMatchObject({
      uses: 1,
      status: 'used_up',
    })
  })

  it('an already registered WeChat user cannot join again', async () => {
    const { invite } = await stack.ok<{ invite: Invite }>('demo-village-1', 'invites.create', {
      role: 'helper',
    })
    const res = await stack.fails('demo-helper-2', 'invites.join', {
      scene: invite.scene,
      displayName: '张三',
      phone: '13812345678',
    })
    expect(res.code).toBe('CONFLICT')
    expect(res.message).toContain('已经登记')
  })

  it('an expired or revoked invite is refused in clear words; an unknown one is NOT_FOUND', async () => {
    const { invite } = await stack.ok<{ invite: Invite }>('demo-village-1', 'invites.create', {
      role: 'helper',
      maxUses: 5,
      expiresInDays: 1,
    })
    const join = { scene: invite.scene, displayName: '赵六', phone: '13812345670' }
    stack.emulator.clock.set(new Date(NOW.getTime() + 25 * 3_600_000))
    try {
      const expired = await stack.fails(newcomer(), 'invites.join', join)
      expect(expired).toMatchObject({ code: 'CONFLICT', message: expect.stringContaining('过期') })
      expect(await stack.ok(newcomer(), 'invites.peek', { scene: invite.scene })).toMatchObject({
        status: 'expired',
      })
    } finally {
      stack.emulator.clock.set(NOW)
    }
    const revoked = await stack.ok<{ invite: Invite }>('demo-village-1', 'invites.revoke', {
      id: invite.id,
    })
    expect(revoked.invite.status).toBe('revoked')
    const res = await stack.fails(newcomer(), 'invites.join', join)
    expect(res).toMatchObject({ code: 'CONFLICT', message: expect.stringContaining('作废') })
    const unknown = await stack.fails(newcomer(), 'invites.join', {
      ...join,
      scene: 'I.AAAAAAAAAAAAAAAAAAAA',
    })
    expect(unknown.code).toBe('NOT_FOUND')
    expect((await stack.fails(newcomer(), 'invites.join', { ...join, scene: 'hello' })).code).toBe(
      'VALIDATION',
    )
  })

  it('an unregistered user can call nothing else', async () => {
    expect((await stack.fails(newcomer(), 'invites.list')).code).toBe('FORBIDDEN')
    expect((await stack.fails(newcomer(), 'children.list')).code).toBe('FORBIDDEN')
  })

  it('a multi-use invite counts every join and stops at its limit', async () => {
    const { invite } = await stack.ok<{ invite: Invite }>('demo-township', 'invites.create', {
      role: 'helper',
      villageId: 'vil-demo-2',
      maxUses: 2,
    })
    const join = (phone: string) => ({ scene: invite.scene, displayName: '志愿者', phone })
    const results = await Promise.all(
      ['13800000001', '13800000002', '13800000003'].map((p) =>
        stack.call(newcomer(), 'invites.join', join(p)),
      ),
    )
    expect(results.filter((r) => r.ok)).toHaveLength(2)
    expect(results.filter((r) => !r.ok).map((r) => (r as Fail).code)).toEqual(['CONFLICT'])
  })
})

describe('invites.list and invites.revoke', () => {
  it('shows each officer the invites of their scope only', async () => {
    const other = await stack.ok<{ invite: Invite }>('demo-village-2', 'invites.create', {
      role: 'helper',
    })
    const mine = await stack.ok<{ invites: Invite[] }>('demo-village-1', 'invites.list', {})
    expect(mine.invites.every((i) => i.villageId === 'vil-demo-1')).toBe(true)
    expect(mine.invites.every((i) => i.status === 'active')).toBe(true)
    const all = await stack.ok<{ invites: Invite[] }>('demo-township', 'invites.list', {
      status: 'all',
    })
    expect(all.invites.map((i) => i.id)).toContain(other.invite.id)
    expect(
      (await stack.fails('demo-village-1', 'invites.revoke', { id: other.invite.id })).code,
    ).toBe('NOT_FOUND')
  })
})
