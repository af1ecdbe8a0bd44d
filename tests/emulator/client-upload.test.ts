// Client uploads (wx.cloud.uploadFile from a phone): identity, storage rules, limits, uploader recorded.
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startEmulator, type Emulator } from '../../emulator/src'
import { sniffContentType } from '../../emulator/src/storage'

const FUNCTIONS = path.join(__dirname, 'fixtures', 'functions')
const RULES = {
  clientWrite: [
    {
      path: '^photos/{openid}/[a-z0-9]{8}\\.(jpg|png|webp)$',
      maxBytes: 1024,
      contentTypes: ['image/jpeg', 'image/png', 'image/webp'],
    },
  ],
}

const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==',
  'base64',
)
const JPEG = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(16)])

let emu: Emulator
let dataDir: string

async function upload(cloudPath: string, body: Buffer, openid?: string) {
  const res = await fetch(
    `${emu.url}/__storage/client-upload?cloudPath=${encodeURIComponent(cloudPath)}`,
    {
      method: 'POST',
      headers: openid ? { 'X-Local-Openid': openid } : {},
      body: new Uint8Array(body),
    },
  )
  return { status: res.status, body: (await res.json()) as Record<string, unknown> }
}

async function call(fn: string, event: unknown) {
  const res = await fetch(`${emu.url}/cloud/${fn}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(event),
  })
  return (await res.json()) as { result: Record<string, unknown> }
}

beforeAll(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'emu-upload-'))
  emu = await startEmulator({
    dataDir,
    port: 0,
    functionsDir: FUNCTIONS,
    schema: { collections: [] },
    storageRules: RULES,
    timers: false,
    log: () => {},
  })
})

afterAll(async () => {
  await emu.close()
  fs.rmSync(dataDir, { recursive: true, force: true })
})

describe('POST /__storage/client-upload', () => {
  it('stores the file as the caller, answers its fileID, and a function can link and read it', async () => {
    const { status, body } = await upload('photos/user-a/abcd1234.png', PNG, 'user-a')
    expect(status).toBe(200)
    expect(body).toEqual({
      fileID: `cloud://${emu.env}.${emu.env}-emulator-bucket/photos/user-a/abcd1234.png`,
      statusCode: 200,
      errMsg: 'cloud.uploadFile:ok',
    })
    expect(emu.storage.ownerOf(emu.env, 'photos/user-a/abcd1234.png')).toBe('user-a')

    const link = (await call('probe', { op: 'link', fileID: body.fileID, maxAge: 60 })).result
    expect(link.status).toBe(0)
    const fetched = await fetch(String(link.tempFileURL))
    expect(fetched.headers.get('content-type')).toBe('image/png')
    expect(Buffer.from(await fetched.arrayBuffer()).equals(PNG)).toBe(true)
  })

  it('refuses a caller without identity', async () => {
    const { status, body } = await upload('photos/user-a/abcd1235.png', PNG)
    expect(status).toBe(401)
    expect(body.errMsg).toMatch(/no user identity/)
  })

  it('refuses paths the rules do not open to the caller: another user’s folder, other folders', async () => {
    for (const p of [
      'photos/user-b/abcd1234.png',
      'other/user-a/abcd1234.png',
      'photos/user-a/x.png',
    ]) {
      const { status, body } = await upload(p, PNG, 'user-a')
      expect(status, p).toBe(403)
      expect(body.errCode).toBe(-503002)
    }
    expect((await upload('photos/user-a/../x.png', PNG, 'user-a')).status).toBe(400)
    const escape = await fetch(
      `${emu.url}/__storage/client-upload?env=..&cloudPath=photos/user-a/abcd1234.png`,
      { method: 'POST', headers: { 'X-Local-Openid': 'user-a' }, body: new Uint8Array(PNG) },
    )
    expect(escape.status).toBe(400)
    expect(fs.existsSync(path.join(dataDir, 'storage', emu.env, 'photos', 'user-b'))).toBe(false)
  })

  it('refuses a file over the size limit and a type the rules do not allow or the extension belies', async () => {
    const big = Buffer.concat([JPEG, Buffer.alloc(2000)])
    const tooBig = await upload('photos/user-a/abcd1236.jpg', big, 'user-a')
    expect(tooBig.status).toBe(413)
    expect(tooBig.body.errMsg).toMatch(/too large \(2020 bytes, at most 1024\)/)

    const text = await upload('photos/user-a/abcd1237.png', Buffer.from('not an image'), 'user-a')
    expect(text.status).toBe(415)
    expect(text.body.errMsg).toMatch(/content type unknown not allowed/)

    const disguised = await upload('photos/user-a/abcd1238.png', JPEG, 'user-a')
    expect(disguised.status).toBe(415)
    expect(emu.storage.ownerOf(emu.env, 'photos/user-a/abcd1238.png')).toBeNull()
  })

  it('never lets a client overwrite a file another user uploaded', async () => {
    // Both can write under their own folder only, so the collision needs a rule open to both.
    await emu.close()
    emu = await startEmulator({
      dataDir,
      port: 0,
      functionsDir: FUNCTIONS,
      schema: { collections: [] },
      storageRules: {
        clientWrite: [
          { path: '^shared/[a-z]+\\.png$', maxBytes: 1024, contentTypes: ['image/png'] },
        ],
      },
      timers: false,
      log: () => {},
    })
    expect((await upload('shared/one.png', PNG, 'user-a')).status).toBe(200)
    const other = await upload('shared/one.png', PNG, 'user-b')
    expect(other.status).toBe(403)
    expect(other.body.errMsg).toMatch(/belongs to another user/)
    expect((await upload('shared/one.png', PNG, 'user-a')).status).toBe(200)
    expect(emu.storage.ownerOf(emu.env, 'shared/one.png')).toBe('user-a')
  })

  it('refuses every client upload when no rules are declared (the default admin-only rule)', async () => {
    await emu.close()
    emu = await startEmulator({
      dataDir,
      port: 0,
      functionsDir: FUNCTIONS,
      schema: { collections: [] },
      timers: false,
      log: () => {},
    })
    expect((await upload('photos/user-a/abcd1239.png', PNG, 'user-a')).status).toBe(403)
  })
})

describe('sniffContentType', () => {
  it('tells jpeg, png, webp and gif by their first bytes', () => {
    expect(sniffContentType(JPEG)).toBe('image/jpeg')
    expect(sniffContentType(PNG)).toBe('image/png')
    const webp = Buffer.concat([Buffer.from('RIFF'), Buffer.alloc(4), Buffer.from('WEBPVP8 ')])
    expect(sniffContentType(webp)).toBe('image/webp')
    expect(sniffContentType(Buffer.from('GIF89a......'))).toBe('image/gif')
    expect(sniffContentType(Buffer.from('%PDF-1.7'))).toBeNull()
  })
})
