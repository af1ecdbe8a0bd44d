// Photos on contact logs through the emulator: a helper uploads and logs them; who may see them, through
// links that expire; and every kind of bad photo refused with nothing written.
import fs from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { makePng, photoPath, uploadAs, uploadPhoto } from '../support/photos'
import { startStack, type Stack } from '../support/stack'

let stack: Stack
const ENV = 'shouhu-local'
const BUCKET = `cloud://${ENV}.${ENV}-emulator-bucket`

type Log = { id: string; photoCount: number }
type Photos = { logId: string; photos: Array<{ index: number; url: string; expiresAt: string }> }
type List = { view: string; logs: Array<Record<string, unknown>> }

let seq = 0
const rid = () => `photo-req-${Date.now().toString(36)}-${++seq}`

/** A home visit an hour ago (China time), with the given photos. */
function visit(childId: string, photos: string[]): Record<string, unknown> {
  const at = new Date(Date.now() - 3600_000 + 8 * 3600_000).toISOString().replace('Z', '+08:00')
  return {
    childId,
    duty: 'home_visit',
    occurredAt: at,
    mode: 'in_person',
    learned: { dailyLife: '家里收拾得很干净' },
    photos,
  }
}

async function logCount(childId: string): Promise<number> {
  return (await stack.ok<List>('demo-village-1', 'contacts.list', { childId, limit: 100 })).logs
    .length
}

let logId = ''
let uploaded: Buffer[] = []

beforeAll(async () => {
  stack = await startStack({ seed: 'full' })
})

afterAll(async () => {
  await stack?.close()
})

describe('a helper attaches photos to a home visit', () => {
  it('tells the app its own openid, the folder its uploads go to', async () => {
    const me = await stack.ok<{ openid: string }>('demo-helper-1', 'session.me')
    expect(me.openid).toBe('demo-helper-1')
  })

  it('stores the file ids on the log and shows only how many there are', async () => {
    uploaded = [makePng(64, 48, 0), makePng(40, 30, 90)]
    const ids: string[] = []
    for (const png of uploaded) {
      const out = await uploadAs(stack.url, 'demo-helper-1', png)
      expect(out.status).toBe(200)
      expect(out.fileID).toMatch(new RegExp(`^${BUCKET}/contact-photos/demo-helper-1/`))
      ids.push(out.fileID ?? '')
    }
    const requestId = rid()
    const { log } = await stack.ok<{ log: Log }>(
      'demo-helper-1',
      'contacts.log',
      visit('chd-demo-01', ids),
      requestId,
    )
    logId = log.id
    expect(log.photoCount).toBe(2)
    expect(JSON.stringify(log)).not.toContain('cloud://')

    // A retry of the same submission (even with other photos) gets the first log: one log, one set.
    const other = await uploadPhoto(stack.url, 'demo-helper-1', 40)
    const again = await stack.ok<{ log: Log }>(
      'demo-helper-1',
      'contacts.log',
      visit('chd-demo-01', [other]),
      requestId,
    )
    expect(again.log).toEqual(log)

    const full = await stack.ok<List>('demo-helper-1', 'contacts.list', { childId: 'chd-demo-01' })
    expect(full.logs.find((l) => l.id === logId)?.photoCount).toBe(2)
    const guardian = await stack.ok<List>('demo-guardian-1', 'contacts.list', {
      childId: 'chd-demo-01',
    })
    expect(guardian.view).toBe('guardian')
    expect(guardian.logs.find((l) => l.id === logId)).not.toHaveProperty('photoCount')
  })

  it('gives the helper and officers in scope temporary links that show the photos', async () => {
    for (const openid of ['demo-helper-1', 'demo-village-1', 'demo-township']) {
      const out = await stack.ok<Photos>(openid, 'contacts.photos', { logId })
      expect(out.photos.map((p) => p.index)).toEqual([0, 1])
      expect(JSON.stringify(out)).not.toContain('cloud://')
      const res = await fetch(out.photos[1]?.url ?? '')
      expect(res.status).toBe(200)
      expect(res.headers.get('content-type')).toBe('image/png')
      expect(Buffer.from(await res.arrayBuffer()).equals(uploaded[1] ?? Buffer.alloc(0))).toBe(true)
      const expiresIn = Date.parse(out.photos[0]?.expiresAt ?? '') - Date.now()
      expect(expiresIn).toBeGreaterThan(590_000)
      expect(expiresIn).toBeLessThanOrEqual(600_000)
    }
  })

  it('refuses other helpers, guardians and officers of another village', async () => {
    expect((await stack.fails('demo-helper-2', 'contacts.photos', { logId })).code).toBe(
      'NOT_FOUND',
    )
    expect((await stack.fails('demo-helper-3', 'contacts.photos', { logId })).code).toBe(
      'NOT_FOUND',
    )
    expect((await stack.fails('demo-village-2', 'contacts.photos', { logId })).code).toBe(
      'NOT_FOUND',
    )
    expect((await stack.fails('demo-guardian-1', 'contacts.photos', { logId })).code).toBe(
      'FORBIDDEN',
    )
  })

  it('audits every read of the photos', async () => {
    const audit = await stack.ok<{
      items: Array<{ actorId: string; target: { id: string }; detail: Record<string, unknown> }>
    }>('demo-township', 'audit.list', { action: 'contacts.photos', targetId: logId })
    expect(audit.items.map((i) => i.actorId).sort()).toEqual(
      ['usr-demo-helper-1', 'usr-demo-township', 'usr-demo-village-1'].sort(),
    )
    expect(audit.items[0]?.detail).toEqual({ childId: 'chd-demo-01', count: 2 })
  })

  it('makes links that stop working once the clock passes their max age', async () => {
    const out = await stack.ok<Photos>('demo-helper-1', 'contacts.photos', { logId })
    const url = out.photos[0]?.url ?? ''
    expect((await fetch(url)).status).toBe(200)
    await fetch(`${stack.url}/__emulator/clock`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ advanceMs: 601_000 }),
    })
    try {
      expect((await fetch(url)).status).toBe(403)
      // A new read gives a new link that works.
      const fresh = await stack.ok<Photos>('demo-helper-1', 'contacts.photos', { logId })
      expect((await fetch(fresh.photos[0]?.url ?? '')).status).toBe(200)
    } finally {
      await fetch(`${stack.url}/__emulator/clock`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ reset: true }),
      })
    }
  })
})

describe('photos that are refused, with nothing written', () => {
  it.each<[string, () => Promise<string[]>, string]>([
    [
      'a photo another helper uploaded',
      async () => [await uploadPhoto(stack.url, 'demo-helper-2')],
      '第1张照片无效',
    ],
    [
      'a photo that was never uploaded',
      async () => [
        await uploadPhoto(stack.url, 'demo-helper-1'),
        `${BUCKET}/${photoPath('demo-helper-1')}`,
      ],
      '第2张照片没有上传成功',
    ],
    [
      'a photo of another environment',
      async () => [`cloud://other-env.other-env-bucket/${photoPath('demo-helper-1')}`],
      '第1张照片无效',
    ],
    [
      'a file outside the photo folder',
      async () => [`${BUCKET}/qrcodes/invites/x.png`],
      '第1张照片无效',
    ],
    [
      'a file in the folder that is not an image (written around the upload rules)',
      async () => {
        const p = photoPath('demo-helper-1')
        const file = path.join(stack.dataDir, 'storage', ENV, p)
        fs.mkdirSync(path.dirname(file), { recursive: true })
        fs.writeFileSync(file, 'not a picture')
        return [`${BUCKET}/${p}`]
      },
      '第1张照片不是 JPG、PNG 或 WebP 图片',
    ],
  ])('refuses %s', async (_name, photos, message) => {
    const before = await logCount('chd-demo-01')
    const requestId = rid()
    const out = await stack.fails(
      'demo-helper-1',
      'contacts.log',
      visit('chd-demo-01', await photos()),
      requestId,
    )
    expect(out.code).toBe('VALIDATION')
    expect(out.issues).toContainEqual({ path: 'photos', message: expect.stringContaining(message) })
    expect(await logCount('chd-demo-01')).toBe(before)
    // Nothing was kept under that submission: the same requestId with good photos writes the log.
    const good = await uploadPhoto(stack.url, 'demo-helper-1')
    const { log } = await stack.ok<{ log: Log }>(
      'demo-helper-1',
      'contacts.log',
      visit('chd-demo-01', [good]),
      requestId,
    )
    expect(log.photoCount).toBe(1)
  })

  it('refuses more than four photos and the same photo twice, before looking at storage', async () => {
    const ids = await Promise.all(
      [1, 2, 3, 4, 5].map((t) => uploadPhoto(stack.url, 'demo-helper-1', t)),
    )
    const five = await stack.fails(
      'demo-helper-1',
      'contacts.log',
      visit('chd-demo-01', ids),
      rid(),
    )
    expect(five.issues).toContainEqual({ path: 'photos', message: '最多添加4张照片' })
    const twice = await stack.fails(
      'demo-helper-1',
      'contacts.log',
      visit('chd-demo-01', [ids[0] ?? '', ids[0] ?? '']),
      rid(),
    )
    expect(twice.issues).toContainEqual({ path: 'photos', message: '同一张照片添加了两次' })
  })
})
