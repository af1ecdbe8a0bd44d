// Test harness: the real wx-server-sdk (and its @cloudbase/node-sdk) in-process, talking HTTP to the emulator's database service.
//
// The HTTP shape mirrors the gateway's POST /admin: JSON in, `{requestId, ...result}` or
// `{requestId, code, message}` out. The server outlives service restarts so the SDK's keep-alive
// sockets and TCB_CONTEXT_CNFG stay valid while the database is closed and reopened.

import { createServer, type Server } from 'node:http'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createRequire } from 'node:module'
import { randomUUID } from 'node:crypto'
import { EmulatorClock } from '../../emulator/src/clock'
import {
  createDatabaseService,
  type DatabaseSchema,
  type DatabaseService,
} from '../../emulator/src/admin/database'
import { AdminError, type AdminParams } from '../../emulator/src/admin/protocol'

export type WxServerSdk = typeof import('wx-server-sdk')

/** The @cloudbase/node-sdk that wx-server-sdk 4.0.2 bundles (it exposes updateAndReturn and ObjectId). */
type NodeSdk = {
  init(config: { env: string }): { database(): CloudbaseDb }
}
export type CloudbaseDb = {
  collection(name: string): {
    where(q: Record<string, unknown>): {
      updateAndReturn(data: Record<string, unknown>): Promise<{ updated: number; doc: unknown }>
    }
    add(data: Record<string, unknown>): Promise<{ id: string }>
  }
  ObjectId(opts: { id: string }): unknown
  command: WxServerSdk extends { database(): infer D }
    ? D extends { command: infer C }
      ? C
      : never
    : never
}

export type Captured = {
  action: string
  body: Record<string, unknown>
  answer: Record<string, unknown>
}

export type DbHarness = {
  sdk: WxServerSdk
  db: ReturnType<WxServerSdk['database']>
  /** A @cloudbase/node-sdk database on the same emulator. */
  nodeDb: CloudbaseDb
  service(): DatabaseService
  clock: EmulatorClock
  dataDir: string
  port: number
  /** Every admin request and answer, to pin wire shapes. */
  captured: Captured[]
  /** Closes the service and opens a new one on the same data folder (a restart). */
  restart(schema?: DatabaseSchema): void
  close(): Promise<void>
}

export const TEST_ENV = 'test-env'

export async function startDbHarness(
  opts: { schema?: DatabaseSchema; dataDir?: string } = {},
): Promise<DbHarness> {
  const dataDir = opts.dataDir ?? mkdtempSync(join(tmpdir(), 'db-test-'))
  const clock = new EmulatorClock()
  let schema = opts.schema
  let service = createDatabaseService({ dataDir, clock, schema })
  const captured: Captured[] = []

  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      const requestId = randomUUID()
      const send = (answer: Record<string, unknown>, body: Record<string, unknown>) => {
        captured.push({ action: String(body.action), body, answer })
        res
          .writeHead(200, { 'content-type': 'application/json; charset=utf-8' })
          .end(JSON.stringify({ requestId, ...answer }))
      }
      let body: Record<string, unknown>
      try {
        body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>
      } catch {
        send({ code: 'INVALID_PARAM', message: 'bad json' }, {})
        return
      }
      const url = new URL(req.url ?? '/', 'http://x')
      const env =
        (typeof body.envName === 'string' && body.envName) ||
        url.searchParams.get('env') ||
        TEST_ENV
      if (typeof body.action !== 'string' || !body.action.startsWith('database.')) {
        send({ code: 'INVALID_PARAM', message: `unexpected action ${String(body.action)}` }, body)
        return
      }
      service.handle(body.action, body as AdminParams, { env, requestId }).then(
        (result) => send(result, body),
        (err: unknown) => {
          if (err instanceof AdminError) send({ code: err.code, message: err.message }, body)
          else send({ code: 'SYS_ERR', message: String(err) }, body)
        },
      )
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const address = server.address()
  if (address === null || typeof address === 'string') throw new Error('no port')

  // The SDK reads these per request; without credentials its first database call crashes.
  Object.assign(process.env, {
    TCB_CONTEXT_CNFG: JSON.stringify({ URL: `http://127.0.0.1:${address.port}/admin` }),
    TENCENTCLOUD: 'true',
    TENCENTCLOUD_SECRETID: 'local',
    TENCENTCLOUD_SECRETKEY: 'local',
    SILENCE: 'true',
  })
  // Loaded through Node's require (not vite's transform), exactly as a cloud function loads it.
  const req = createRequire(import.meta.url)
  const sdk = req('wx-server-sdk') as WxServerSdk
  sdk.init({ env: TEST_ENV })
  const nodeSdk = req(
    req.resolve('@cloudbase/node-sdk', { paths: [req.resolve('wx-server-sdk')] }),
  ) as NodeSdk
  const nodeDb = nodeSdk.init({ env: TEST_ENV }).database()

  return {
    sdk,
    db: sdk.database(),
    nodeDb,
    service: () => service,
    clock,
    dataDir,
    port: address.port,
    captured,
    restart(next) {
      if (next !== undefined) schema = next
      service.close()
      service = createDatabaseService({ dataDir, clock, schema })
    },
    async close() {
      service.close()
      // The SDK keeps sockets alive; drop them or close() waits for their idle timeout.
      const closed = new Promise<void>((resolve) => server.close(() => resolve()))
      server.closeAllConnections()
      await closed
      if (!opts.dataDir) rmSync(dataDir, { recursive: true, force: true })
    },
  }
}

/** What wx-server-sdk rejects with: an Error carrying errCode and errMsg. */
export type SdkError = { errCode: number | string; errMsg: string; message: string; code?: string }

/** Runs an SDK call that must fail and returns the error as the caller sees it. */
export async function rejection(p: Promise<unknown>): Promise<SdkError> {
  try {
    await p
  } catch (e) {
    if (typeof e === 'object' && e !== null) {
      const o = e as Record<string, unknown>
      return {
        errCode: typeof o.errCode === 'number' || typeof o.errCode === 'string' ? o.errCode : -1,
        errMsg: typeof o.errMsg === 'string' ? o.errMsg : String(o.message ?? ''),
        message: String(o.message ?? ''),
        ...(typeof o.code === 'string' ? { code: o.code } : {}),
      }
    }
    throw new Error(`rejected with a non-object: ${String(e)}`, { cause: e })
  }
  throw new Error('expected the call to be rejected')
}
