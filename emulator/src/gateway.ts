// The emulator's HTTP face on 127.0.0.1: admin API for SDKs, callFunction for clients, storage links, controls, static files.
import fs from 'node:fs'
import http from 'node:http'
import path from 'node:path'
import * as z from 'zod'
import { handleAdmin, type AdminServices, type HttpAnswer } from './admin/handler'
import type { EmulatorClock } from './clock'

export const LIMITS = {
  /** wx.cloud.callFunction rejects request payloads over 5 MB; a little headroom for the envelope. */
  callFunctionBytes: 6 * 1024 * 1024,
  adminBytes: 16 * 1024 * 1024,
  uploadBytes: 50 * 1024 * 1024,
  controlBytes: 64 * 1024 * 1024,
}

export type GatewayDeps = AdminServices & {
  clock: EmulatorClock
  staticDir?: string
  /** Wipes every store; the emulator recreates declared collections. */
  reset: () => Promise<void>
}

class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly errCode: number,
    message: string,
  ) {
    super(message)
  }
}

const ClockBody = z.union([
  z.object({ now: z.iso.datetime({ offset: true }) }),
  z.object({ advanceMs: z.number().int() }),
  z.object({ reset: z.literal(true) }),
])

const SeedBody = z.object({
  env: z.string().min(1).optional(),
  collections: z.record(z.string(), z.array(z.record(z.string(), z.unknown()))).default({}),
  grants: z
    .array(
      z.object({
        openid: z.string().min(1),
        templateId: z.string().min(1),
        count: z.number().int().positive().default(1),
      }),
    )
    .default([]),
})

const GrantBody = z.object({
  openid: z.string().min(1),
  templateId: z.string().min(1),
  count: z.number().int().positive().default(1),
})

export function createGateway(deps: GatewayDeps): http.Server {
  return http.createServer((req, res) => {
    route(deps, req)
      .then((answer) => send(res, answer))
      .catch((err: unknown) => {
        const status = err instanceof HttpError ? err.status : 500
        const errCode = err instanceof HttpError ? err.errCode : -1
        const message = err instanceof Error ? err.message : String(err)
        if (!(err instanceof HttpError)) console.error('[emulator] unexpected error:', err)
        send(res, jsonAnswer({ errCode, errMsg: message }, status))
      })
  })
}

function send(res: http.ServerResponse, answer: HttpAnswer): void {
  if (res.headersSent) return
  res.writeHead(answer.status, {
    ...answer.headers,
    'content-length': String(answer.body.length),
    'access-control-allow-origin': '*',
  })
  res.end(answer.body)
}

function jsonAnswer(value: unknown, status = 200): HttpAnswer {
  return {
    status,
    headers: { 'content-type': 'application/json; charset=utf-8' },
    body: Buffer.from(JSON.stringify(value)),
  }
}

async function readBody(req: http.IncomingMessage, limit: number): Promise<Buffer> {
  const declared = Number(req.headers['content-length'] ?? 0)
  if (declared > limit) {
    req.resume()
    throw new HttpError(413, -1, `request body over ${limit} bytes`)
  }
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of req) {
    const buf = chunk as Buffer
    size += buf.length
    if (size > limit) {
      req.resume()
      throw new HttpError(413, -1, `request body over ${limit} bytes`)
    }
    chunks.push(buf)
  }
  return Buffer.concat(chunks)
}

async function readJson<T>(
  req: http.IncomingMessage,
  schema: z.ZodType<T>,
  limit = LIMITS.controlBytes,
): Promise<T> {
  const body = await readBody(req, limit)
  let value: unknown = {}
  if (body.length) {
    try {
      value = JSON.parse(body.toString('utf8'))
    } catch {
      throw new HttpError(400, -1, 'request body is not valid JSON')
    }
  }
  const parsed = schema.safeParse(value)
  if (!parsed.success)
    throw new HttpError(400, -1, `invalid request: ${z.prettifyError(parsed.error)}`)
  return parsed.data
}

async function route(deps: GatewayDeps, req: http.IncomingMessage): Promise<HttpAnswer> {
  const url = new URL(req.url ?? '/', 'http://127.0.0.1')
  const method = req.method ?? 'GET'
  const p = url.pathname

  if (method === 'OPTIONS') {
    return {
      status: 204,
      headers: {
        'access-control-allow-methods': 'GET, POST, PUT, OPTIONS',
        'access-control-allow-headers': 'content-type, x-local-openid',
      },
      body: Buffer.alloc(0),
    }
  }

  if (p === '/admin' && method === 'POST') {
    const body = await readBody(req, LIMITS.adminBytes)
    return handleAdmin(deps, {
      body,
      contentType: String(req.headers['content-type'] ?? ''),
      query: url.searchParams,
    })
  }

  if (p.startsWith('/cloud/') && method === 'POST')
    return callFunction(deps, req, decodeURIComponent(p.slice(7)))

  if (p.startsWith('/__storage/upload/') && method === 'PUT') {
    const body = await readBody(req, LIMITS.uploadBytes)
    const out = deps.storage.acceptUpload(
      p.slice('/__storage/upload/'.length),
      url.searchParams,
      body,
    )
    return {
      status: out.status,
      headers: { 'content-type': 'application/xml' },
      body: Buffer.from(out.body),
    }
  }
  if (p === '/__storage/client-upload' && method === 'POST') {
    // What wx.cloud.uploadFile does from a phone: the body is the file, the caller's identity as for /cloud/<fn>.
    const openid = localOpenid(req)
    const cloudPath = url.searchParams.get('cloudPath') ?? ''
    const body = await readBody(req, LIMITS.uploadBytes)
    const out = deps.storage.clientUpload(
      url.searchParams.get('env') || deps.defaultEnv,
      openid,
      cloudPath,
      body,
    )
    return jsonAnswer(out.answer, out.status)
  }
  if (p.startsWith('/__storage/file/') && (method === 'GET' || method === 'HEAD')) {
    const out = deps.storage.readLink(p.slice('/__storage/file/'.length), url.searchParams)
    return {
      status: out.status,
      headers: { 'content-type': out.contentType, 'cache-control': 'private, no-store' },
      body: method === 'HEAD' ? Buffer.alloc(0) : out.body,
    }
  }

  if (p.startsWith('/__emulator/'))
    return control(deps, req, method, p.slice('/__emulator/'.length), url)

  if (method === 'GET' || method === 'HEAD') return serveStatic(deps.staticDir, p)
  throw new HttpError(404, -1, `no route for ${method} ${p}`)
}

async function callFunction(
  deps: GatewayDeps,
  req: http.IncomingMessage,
  name: string,
): Promise<HttpAnswer> {
  const body = await readBody(req, LIMITS.callFunctionBytes)
  const openid = localOpenid(req)
  // A body that is not JSON reaches the function as the raw text: the function's own validation answers it.
  let event: unknown = body.toString('utf8')
  try {
    event = body.length ? JSON.parse(body.toString('utf8')) : {}
  } catch {
    /* keep the text */
  }
  if (typeof event === 'object' && event !== null && !Array.isArray(event) && openid) {
    event = { ...event, userInfo: { appId: 'wx-emulator-app', openId: openid } }
  }
  const out = await deps.functions.invoke(name, {
    event,
    openid: openid ?? undefined,
    source: 'wx_client',
  })
  if (out.ok)
    return jsonAnswer({
      result: out.result,
      errMsg: 'cloud.callFunction:ok',
      requestID: out.requestId,
    })
  const status = out.errCode === -501000 ? 404 : 502
  return jsonAnswer(
    {
      errCode: out.errCode,
      errMsg: `cloud.callFunction:fail ${out.errCode} ${out.errMsg}`,
      requestID: out.requestId,
    },
    status,
  )
}

/** Identity of the local caller: the X-Local-Openid header (tests, the h5 app) or the local sign-in cookie. */
function localOpenid(req: http.IncomingMessage): string | null {
  const header = req.headers['x-local-openid']
  const fromHeader = Array.isArray(header) ? header[0] : header
  const cookie = /(?:^|;\s*)local_openid=([^;]+)/.exec(req.headers.cookie ?? '')?.[1]
  const value = fromHeader ?? (cookie ? decodeURIComponent(cookie) : undefined)
  if (!value) return null
  if (!/^[A-Za-z0-9_-]{1,64}$/.test(value))
    throw new HttpError(400, -1, 'X-Local-Openid must be 1-64 letters, digits, _ or -')
  return value
}

async function control(
  deps: GatewayDeps,
  req: http.IncomingMessage,
  method: string,
  what: string,
  url: URL,
): Promise<HttpAnswer> {
  if (what === 'health' && method === 'GET')
    return jsonAnswer({ ok: true, now: deps.clock.now().toISOString() })
  if (what === 'messages' && method === 'GET') {
    return jsonAnswer({
      messages: deps.openapi.messages({
        touser: url.searchParams.get('touser') ?? undefined,
        templateId: url.searchParams.get('templateId') ?? undefined,
      }),
    })
  }
  if (what === 'clock') {
    if (method === 'POST') {
      const body = await readJson(req, ClockBody)
      if ('now' in body) deps.clock.set(new Date(body.now))
      else if ('advanceMs' in body) deps.clock.set(new Date(deps.clock.nowMs() + body.advanceMs))
      else deps.clock.reset()
    } else if (method !== 'GET') throw new HttpError(405, -1, 'use GET or POST')
    return jsonAnswer({ now: deps.clock.now().toISOString(), offsetMs: deps.clock.offset })
  }
  if (what.startsWith('trigger/') && method === 'POST') {
    const name = decodeURIComponent(what.slice('trigger/'.length))
    const def = deps.functions.definition(name)
    if (!def) throw new HttpError(404, -501000, `no function ${name}`)
    const body = await readJson(req, z.object({ triggerName: z.string().optional() }))
    const trigger = def.config.triggers.find(
      (t) => !body.triggerName || t.name === body.triggerName,
    )
    if (!trigger)
      throw new HttpError(
        400,
        -1,
        `function ${name} has no timer trigger${body.triggerName ? ` ${body.triggerName}` : ''}`,
      )
    const out = await deps.functions.invoke(name, {
      event: timerEvent(trigger.name, deps.clock.now()),
      source: 'timer',
    })
    return jsonAnswer(
      out.ok ? { result: out.result, requestID: out.requestId } : out,
      out.ok ? 200 : 502,
    )
  }
  if (what === 'reset' && method === 'POST') {
    await deps.reset()
    return jsonAnswer({ ok: true })
  }
  if (what === 'seed' && method === 'POST') {
    const body = await readJson(req, SeedBody)
    const env = body.env ?? deps.defaultEnv
    const counts: Record<string, number> = {}
    for (const [collectionName, docs] of Object.entries(body.collections)) {
      if (!docs.length) continue
      await deps.database.handle(
        'database.insertDocument',
        {
          action: 'database.insertDocument',
          collectionName,
          data: docs.map((d) => JSON.stringify(d)),
        },
        { env, requestId: 'seed' },
      )
      counts[collectionName] = docs.length
    }
    for (const g of body.grants) deps.openapi.grant(g.openid, g.templateId, g.count)
    return jsonAnswer({ ok: true, inserted: counts, grants: body.grants.length })
  }
  if (what === 'grant' && method === 'POST') {
    const body = await readJson(req, GrantBody)
    deps.openapi.grant(body.openid, body.templateId, body.count)
    return jsonAnswer({ ok: true, quota: deps.openapi.quota(body.openid, body.templateId) })
  }
  if (what === 'stats' && method === 'GET') {
    return jsonAnswer({ database: deps.database.stats(), functions: deps.functions.status() })
  }
  throw new HttpError(404, -1, `no emulator control ${method} /__emulator/${what}`)
}

export function timerEvent(triggerName: string, at: Date): Record<string, string> {
  return { Type: 'Timer', TriggerName: triggerName, Time: at.toISOString(), Message: '' }
}

const STATIC_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.svg': 'image/svg+xml',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.map': 'application/json',
}

function serveStatic(staticDir: string | undefined, urlPath: string): HttpAnswer {
  if (!staticDir) throw new HttpError(404, -1, 'no static folder configured')
  const root = path.resolve(staticDir)
  let rel: string
  try {
    rel = decodeURIComponent(urlPath)
  } catch {
    throw new HttpError(400, -1, 'bad path')
  }
  let file = path.resolve(root, '.' + rel)
  if (file !== root && !file.startsWith(root + path.sep))
    throw new HttpError(403, -1, 'outside the static folder')
  if (fs.existsSync(file) && fs.statSync(file).isDirectory()) file = path.join(file, 'index.html')
  if (!fs.existsSync(file)) {
    if (!path.extname(file)) file = path.join(root, 'index.html')
    if (!fs.existsSync(file)) throw new HttpError(404, -1, `not found: ${urlPath}`)
  }
  return {
    status: 200,
    headers: {
      'content-type': STATIC_TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream',
      'cache-control': 'no-cache',
    },
    body: fs.readFileSync(file),
  }
}
