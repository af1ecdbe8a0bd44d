// Test stack: functions built, a fresh emulator in a temporary data folder, demo data loaded on request.
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import * as z from 'zod'
import type { Emulator } from '../../emulator/src'
import { buildFunctions } from '../../scripts/build-functions'
import { seedDemoData, type DemoScope } from '../../scripts/demo-data'
import { H5_DIR, startShouhu } from '../../scripts/stack'

let built: Promise<string[]> | null = null

/** JSON.parse reviver for the database's canonical EJSON answers: numbers and dates as plain values. */
function fromEjson(_key: string, v: unknown): unknown {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return v
  const o = v as Record<string, unknown>
  for (const k of ['$numberInt', '$numberLong', '$numberDouble']) if (k in o) return Number(o[k])
  if ('$date' in o) return new Date(typeof o.$date === 'string' ? o.$date : Number(o.$date))
  return v
}

export type Ok<T> = { ok: true; data: T }
export type Fail = {
  ok: false
  code: string
  message: string
  issues?: Array<{ path: string; message: string }>
}

export type Stack = {
  url: string
  emulator: Emulator
  dataDir: string
  /** Calls the `api` function as the given openid, as the h5 app does; returns the function's result. */
  api(openid: string | null, body: unknown): Promise<unknown>
  /** One action as `openid`: the envelope the function answered. */
  call<T = unknown>(
    openid: string,
    action: string,
    data: unknown,
    requestId?: string,
  ): Promise<Ok<T> | Fail>
  /** One action that must succeed: its data (a failure throws with its code and message). */
  ok<T = unknown>(openid: string, action: string, data?: unknown, requestId?: string): Promise<T>
  /** One action that must fail: the failure (a success throws). */
  fails(openid: string, action: string, data?: unknown, requestId?: string): Promise<Fail>
  /** Every stored document of a collection matching `query` (at most 5,000), dates as Date. */
  docs(collection: string, query?: Record<string, unknown>): Promise<Array<Record<string, unknown>>>
  /** Inserts documents as they are stored (dates as `{"$date": ISO}`) through the emulator's seed endpoint. */
  seed(collections: Record<string, unknown[]>): Promise<void>
  close(): Promise<void>
}

/** `seed: true` loads the organisation and demo users; `'full'` also the demo children, pairings and logs. */
export async function startStack(
  opts: { seed?: boolean | DemoScope; staticDir?: string; dataDir?: string } = {},
): Promise<Stack> {
  built ??= buildFunctions()
  await built
  const dataDir = opts.dataDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'shouhu-test-'))
  const logs: string[] = []
  const emulator = await startShouhu({
    dataDir,
    port: 0,
    staticDir: opts.staticDir ?? H5_DIR,
    timers: false,
    log: (fn, stream, line) => {
      logs.push(`[${fn}:${stream}] ${line}`)
    },
  })
  if (opts.seed) await seedDemoData(emulator.url, opts.seed === true ? 'org' : opts.seed)
  const stack: Stack = {
    url: emulator.url,
    emulator,
    dataDir,
    async call<T>(openid: string, action: string, data: unknown = {}, requestId?: string) {
      return (await stack.api(openid, { action, data, ...(requestId ? { requestId } : {}) })) as
        Ok<T> | Fail
    },
    async ok<T>(openid: string, action: string, data: unknown = {}, requestId?: string) {
      const out = await stack.call<T>(openid, action, data, requestId)
      if (!out.ok)
        throw new Error(
          `${action} failed: ${out.code} ${out.message} ${JSON.stringify(out.issues ?? [])}`,
        )
      return out.data
    },
    async fails(openid, action, data, requestId) {
      const out = await stack.call(openid, action, data, requestId)
      if (out.ok) throw new Error(`${action} unexpectedly succeeded`)
      return out
    },
    async docs(collection, query = {}) {
      const res = await emulator.database.handle(
        'database.getDocument',
        {
          action: 'database.getDocument',
          collectionName: collection,
          query: JSON.stringify(query),
          limit: 5000,
        },
        { env: emulator.env, requestId: 'test-docs' },
      )
      const list = z.object({ list: z.array(z.unknown()) }).parse(res.data).list
      return list.map(
        (d) =>
          JSON.parse(typeof d === 'string' ? d : JSON.stringify(d), fromEjson) as Record<
            string,
            unknown
          >,
      )
    },
    async seed(collections) {
      const res = await fetch(`${emulator.url}/__emulator/seed`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ collections }),
      })
      if (!res.ok) throw new Error(`seed failed: ${res.status} ${await res.text()}`)
    },
    async api(openid, body) {
      const res = await fetch(`${emulator.url}/cloud/api`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          ...(openid ? { 'X-Local-Openid': openid } : {}),
        },
        body: typeof body === 'string' ? body : JSON.stringify(body),
      })
      const answer = (await res.json()) as { result?: unknown; errMsg?: string }
      if (!res.ok)
        throw new Error(
          `callFunction failed: ${res.status} ${answer.errMsg ?? ''}\n${logs.join('\n')}`,
        )
      return answer.result
    },
    async close() {
      await emulator.close()
      if (!opts.dataDir) fs.rmSync(dataDir, { recursive: true, force: true })
    },
  }
  return stack
}
