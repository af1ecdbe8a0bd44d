// Wire snapshot: what the pinned wx-server-sdk sends to the admin API. An SDK upgrade that changes an
// action, a parameter or the endpoint the emulator relies on fails here, before anything subtler does.
import fs from 'node:fs'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { createRequire } from 'node:module'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { startEmulator, type Emulator } from '../../emulator/src'
import { parseMultipart } from '../../emulator/src/openapi'

const require = createRequire(__filename)

type Sent = { action: string; params: string[]; query: string[] }

let emu: Emulator
let proxy: http.Server
const sent: Sent[] = []

/** The shape of a request, not its values: action, sorted parameter names, query-string names. */
function shapeOf(url: string, contentType: string, body: Buffer): Sent {
  const query = [...new URL(url, 'http://x').searchParams.keys()].sort()
  if (contentType.startsWith('multipart/form-data')) {
    const parts = parseMultipart(body, contentType) ?? new Map()
    const action = parts.get('action')?.data.toString('utf8') ?? '?'
    return { action, params: [...parts.keys()].sort(), query }
  }
  const json = JSON.parse(body.toString('utf8')) as Record<string, unknown>
  return { action: String(json.action), params: Object.keys(json).sort(), query }
}

beforeAll(async () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'emu-wire-'))
  emu = await startEmulator({
    dataDir,
    port: 0,
    schema: { collections: [{ name: 'things' }] },
    timers: false,
    log: () => {},
  })
  // A recording proxy in front of the emulator's admin endpoint.
  proxy = http.createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      const body = Buffer.concat(chunks)
      const contentType = String(req.headers['content-type'] ?? '')
      sent.push(shapeOf(req.url ?? '/', contentType, body))
      const forward = http.request(
        `${emu.url}${req.url ?? '/admin'}`,
        { method: 'POST', headers: { 'content-type': contentType } },
        (answer) => {
          res.writeHead(answer.statusCode ?? 500, answer.headers)
          answer.pipe(res)
        },
      )
      forward.end(body)
    })
  })
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', () => resolve()))
  const { port } = proxy.address() as AddressInfo
  Object.assign(process.env, {
    ...emu.sdkEnv(),
    TCB_CONTEXT_CNFG: JSON.stringify({ URL: `http://127.0.0.1:${port}/admin` }),
    WX_API_TOKEN: 'wire-test',
    WX_CONTEXT_KEYS: 'WX_API_TOKEN',
    SILENCE: 'true',
  })
})

afterAll(async () => {
  await new Promise<void>((resolve) => proxy.close(() => resolve()))
  await emu.close()
})

it('pins the SDK versions the emulator was verified against', () => {
  const sdk = require('wx-server-sdk/package.json') as { version: string }
  const nodeSdkPath = require.resolve('@cloudbase/node-sdk/package.json', {
    paths: [path.dirname(require.resolve('wx-server-sdk'))],
  })
  const nodeSdk = JSON.parse(fs.readFileSync(nodeSdkPath, 'utf8')) as { version: string }
  expect({ 'wx-server-sdk': sdk.version, '@cloudbase/node-sdk': nodeSdk.version }).toEqual({
    'wx-server-sdk': '4.0.2',
    '@cloudbase/node-sdk': '3.17.2',
  })
})

it('sends every call the emulator serves in the recorded shape', async () => {
  const cloud = require('wx-server-sdk') as typeof import('wx-server-sdk')
  cloud.init({ env: emu.env })
  const db = cloud.database()
  const _ = db.command
  const things = db.collection('things')
  const settle = (p: unknown) => Promise.resolve(p).catch(() => undefined)

  const { _id } = (await things.add({ data: { n: 1, at: db.serverDate() } })) as { _id: string }
  await things.add({ data: [{ n: 2 }, { n: 3 }] })
  await things
    .where({ n: _.gt(0) })
    .orderBy('n', 'asc')
    .skip(1)
    .limit(2)
    .field({ n: true })
    .get()
  await things.count()
  await things.doc(_id).get()
  await things.doc(_id).update({ data: { n: _.inc(1) } })
  await things.doc(_id).set({ data: { n: 9 } })
  await things.where({ n: 3 }).update({ data: { m: 1 } })
  await things.where({ n: 2 }).remove()
  await things
    .aggregate()
    .match({ n: _.gte(1) })
    .group({ _id: null, total: $sum('n') })
    .end()
  type Tx = {
    collection(name: string): {
      doc(id: string): { get(): Promise<unknown>; update(arg: { data: object }): Promise<unknown> }
    }
  }
  await db.runTransaction(async (tx: Tx) => {
    await tx.collection('things').doc(_id).get()
    await tx
      .collection('things')
      .doc(_id)
      .update({ data: { n: 10 } })
  })
  await settle(db.createCollection('more'))
  const up = (await cloud.uploadFile({
    cloudPath: 'wire/a.txt',
    fileContent: Buffer.from('x'),
  })) as { fileID: string }
  await cloud.getTempFileURL({ fileList: [up.fileID] })
  await cloud.deleteFile({ fileList: [up.fileID] })
  await settle(
    cloud.openapi.subscribeMessage.send({
      touser: 'u',
      templateId: 't',
      data: { thing1: { value: 'x' } },
    }),
  )
  await settle(cloud.callFunction({ name: 'none', data: {} }))

  await expect(JSON.stringify(sent, null, 2) + '\n').toMatchFileSnapshot('__snapshots__/wire.json')

  function $sum(field: string) {
    return db.command.aggregate.sum(`$${field}`)
  }
})
