// Test harness: the real wx-server-sdk in-process, talking HTTP to the emulator's openapi service.
//
// It mirrors what the gateway does for POST /admin multipart bodies: the calling function is known by
// the `wxCloudApiToken` part (the SDK fills it from WX_API_TOKEN, listed in WX_CONTEXT_KEYS as in SCF).

import { createServer, type Server } from 'node:http'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createRequire } from 'node:module'
import * as z from 'zod'
import { EmulatorClock } from '../../emulator/src/clock'
import {
  createOpenApiService,
  parseMultipart,
  type Caller,
  type OpenApiService,
  type OpenApiServiceOptions,
} from '../../emulator/src/openapi'

export const PUBLIC_URL = 'http://127.0.0.1:5199'

/** One raw request as it reached the emulator, kept so tests can pin the SDK's wire format. */
export type CapturedRequest = { url: string; contentType: string; body: Buffer }

/** The slice of wx-server-sdk these tests call; results stay `unknown` until a schema reads them. */
type WxServerSdk = {
  init(config: { env: string }): void
  openapi: {
    subscribeMessage: { send(args: Record<string, unknown>): Promise<unknown> }
    wxacode: { getUnlimited(args: Record<string, unknown>): Promise<unknown> }
    security: { msgSecCheck(args: Record<string, unknown>): Promise<unknown> }
  }
}

/** What the SDK rejects with: a CloudSDKError carrying errCode/errMsg. */
export const sdkError = z.object({ errCode: z.number(), errMsg: z.string(), message: z.string() })

export type Harness = {
  sdk: WxServerSdk
  service: () => OpenApiService
  clock: EmulatorClock
  requests: CapturedRequest[]
  /** Makes the next SDK calls come from this caller (a function with its config.json permissions, or none). */
  callAs(caller: Caller): void
  /** Closes the service and opens a new one on the same data folder, as an emulator restart does. */
  restart(): void
  close(): Promise<void>
}

export async function startHarness(
  opts: Partial<Pick<OpenApiServiceOptions, 'templates'>> = {},
): Promise<Harness> {
  const dataDir = mkdtempSync(join(tmpdir(), 'openapi-test-'))
  const clock = new EmulatorClock()
  const make = () =>
    createOpenApiService({
      dataDir,
      clock,
      publicUrl: () => PUBLIC_URL,
      log: () => {},
      ...(opts.templates && { templates: opts.templates }),
    })
  let service = make()
  const callers = new Map<string, Caller>()
  const requests: CapturedRequest[] = []

  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      const body = Buffer.concat(chunks)
      const contentType = req.headers['content-type'] ?? ''
      requests.push({ url: req.url ?? '', contentType, body })
      if (req.method !== 'POST' || !(req.url ?? '').startsWith('/admin')) {
        res.writeHead(404).end()
        return
      }
      const token =
        parseMultipart(body, contentType)?.get('wxCloudApiToken')?.data.toString('utf8') ?? ''
      const caller = callers.get(token) ?? { functionName: null, openapiPermissions: [] }
      service.handleHttp({ body, contentType }, caller).then(
        (answer) => res.writeHead(answer.status, answer.headers).end(answer.body),
        (err: unknown) => res.writeHead(500).end(String(err)),
      )
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const address = server.address()
  if (address === null || typeof address === 'string') throw new Error('no port')

  // The SDK reads these per request; without credentials it refuses to sign and never calls out.
  Object.assign(process.env, {
    TCB_CONTEXT_CNFG: JSON.stringify({ URL: `http://127.0.0.1:${address.port}/admin` }),
    TENCENTCLOUD: 'true',
    TENCENTCLOUD_SECRETID: 'local',
    TENCENTCLOUD_SECRETKEY: 'local',
    WX_CONTEXT_KEYS: 'WX_API_TOKEN',
    WX_API_TOKEN: '',
  })
  // Loaded through Node's require (not vite's transform), exactly as a cloud function loads it.
  const sdk = createRequire(import.meta.url)('wx-server-sdk') as WxServerSdk
  sdk.init({ env: 'test-env' })

  let nextToken = 0
  return {
    sdk,
    service: () => service,
    clock,
    requests,
    callAs(caller) {
      const token = `token-${++nextToken}`
      callers.set(token, caller)
      process.env.WX_API_TOKEN = token
    },
    restart() {
      service.close()
      service = make()
    },
    async close() {
      service.close()
      // The SDK keeps sockets alive; drop them or close() waits for their idle timeout.
      const closed = new Promise<void>((resolve) => server.close(() => resolve()))
      server.closeAllConnections()
      await closed
      rmSync(dataDir, { recursive: true, force: true })
    },
  }
}

/** Runs an SDK call that must fail and returns the error as the caller sees it. */
export async function rejection(p: Promise<unknown>): Promise<z.infer<typeof sdkError>> {
  try {
    await p
  } catch (e) {
    return sdkError.parse(e)
  }
  throw new Error('expected the call to be rejected')
}
