// The emulator's function runtime, gateway, storage and clock, driven through real functions on the real SDK.
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startEmulator, type Emulator } from '../../emulator/src'

const FUNCTIONS = path.join(__dirname, 'fixtures', 'functions')
const SCHEMA = { collections: [{ name: 'notes' }, { name: 'timer_runs' }] }

let emu: Emulator
let dataDir: string

async function call(fn: string, event: unknown, openid?: string) {
  const res = await fetch(`${emu.url}/cloud/${fn}`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(openid ? { 'X-Local-Openid': openid } : {}),
    },
    body: JSON.stringify(event),
  })
  return { status: res.status, body: (await res.json()) as Record<string, unknown> }
}

beforeAll(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'emu-runtime-'))
  emu = await startEmulator({
    dataDir,
    port: 0,
    functionsDir: FUNCTIONS,
    schema: SCHEMA,
    timers: false,
    log: () => {},
  })
})

afterAll(async () => {
  await emu.close()
  fs.rmSync(dataDir, { recursive: true, force: true })
})

describe('callFunction through the gateway', () => {
  it('answers what wx.cloud.callFunction resolves to, with the caller identity from X-Local-Openid', async () => {
    const { status, body } = await call('probe', { op: 'whoami' }, 'user-a')
    expect(status).toBe(200)
    expect(body.errMsg).toBe('cloud.callFunction:ok')
    expect(typeof body.requestID).toBe('string')
    const result = body.result as { before: string; event: { userInfo: unknown } }
    expect(result.before).toBe('user-a')
    expect(result.event.userInfo).toEqual({ appId: 'wx-emulator-app', openId: 'user-a' })
  })

  it('never lets two concurrent invocations see each other’s identity', async () => {
    const calls = Array.from({ length: 8 }, (_, i) =>
      call('probe', { op: 'whoami', delayMs: 150 }, `user-${i}`),
    )
    const answers = await Promise.all(calls)
    answers.forEach(({ body }, i) => {
      const r = body.result as { before: string; after: string }
      expect(r.before).toBe(`user-${i}`)
      expect(r.after).toBe(`user-${i}`)
    })
    // Instances are reused (warm), never more than the per-function limit.
    expect(emu.functions.status().probe?.instances).toBeLessThanOrEqual(4)
  })

  it('an invocation without identity sees no OPENID even on an instance that served a user before', async () => {
    await call('probe', { op: 'whoami' }, 'someone')
    const { body } = await call('probe', { op: 'whoami' })
    expect((body.result as { before?: string }).before).toBeUndefined()
  })

  it('reports a thrown error as functions execute fail without crashing', async () => {
    const { status, body } = await call('probe', { op: 'throw' })
    expect(status).toBe(502)
    expect(body.errCode).toBe(-504002)
    expect(String(body.errMsg)).toContain('fixture failure')
    expect((await call('probe', { op: 'echo' })).status).toBe(200)
  })

  it('times out a function after its config.json timeout and keeps serving', async () => {
    const { status, body } = await call('slow', {})
    expect(status).toBe(502)
    expect(body.errCode).toBe(-504003)
    expect(String(body.errMsg)).toContain('timed out after 1 seconds')
  })

  it('answers an unknown function with 404 and the platform code', async () => {
    const { status, body } = await call('nope', {})
    expect(status).toBe(404)
    expect(body.errCode).toBe(-501000)
  })

  it('passes a body that is not JSON to the function as text, and rejects huge bodies with 413', async () => {
    const res = await fetch(`${emu.url}/cloud/probe`, { method: 'POST', body: '{not json' })
    expect(res.status).toBe(200)
    expect(((await res.json()) as { result: { echo: unknown } }).result.echo).toBe('{not json')
    const huge = await fetch(`${emu.url}/cloud/probe`, {
      method: 'POST',
      body: 'x'.repeat(7 * 1024 * 1024),
    })
    expect(huge.status).toBe(413)
    expect((await call('probe', { op: 'echo' })).status).toBe(200)
  })

  it('rejects an openid header with characters an openid never has', async () => {
    const res = await fetch(`${emu.url}/cloud/probe`, {
      method: 'POST',
      headers: { 'X-Local-Openid': 'a b' },
      body: '{}',
    })
    expect(res.status).toBe(400)
  })

  it('lets a function call another function through the SDK', async () => {
    const { body } = await call(
      'probe',
      { op: 'call', name: 'probe', data: { op: 'echo', x: 1 } },
      'u1',
    )
    expect((body.result as { echo: { x: number } }).echo.x).toBe(1)
  })
})

describe('the database from a function', () => {
  it('writes and reads through the SDK, with serverDate from the emulator clock', async () => {
    emu.clock.set(new Date('2026-03-31T15:59:59.000Z'))
    const { body } = await call('probe', { op: 'db', text: 'hello' })
    const r = body.result as { id: string; doc: { text: string; at: string } }
    expect(r.doc.text).toBe('hello')
    expect(
      Math.abs(new Date(r.doc.at).getTime() - new Date('2026-03-31T15:59:59.000Z').getTime()),
    ).toBeLessThan(5000)
    emu.clock.reset()
  })
})

describe('the clock', () => {
  it('is what function code reads as now, settable over HTTP', async () => {
    const set = await fetch(`${emu.url}/__emulator/clock`, {
      method: 'POST',
      body: JSON.stringify({ now: '2027-01-31T16:00:00.000Z' }),
    })
    expect(((await set.json()) as { now: string }).now.slice(0, 16)).toBe('2027-01-31T16:00')
    const { body } = await call('probe', { op: 'now' })
    const r = body.result as { now: string; dateNow: number }
    expect(r.now.slice(0, 16)).toBe('2027-01-31T16:00')
    expect(Math.abs(r.dateNow - Date.parse('2027-01-31T16:00:00.000Z'))).toBeLessThan(5000)
    const bad = await fetch(`${emu.url}/__emulator/clock`, {
      method: 'POST',
      body: JSON.stringify({ now: 'soon' }),
    })
    expect(bad.status).toBe(400)
    await fetch(`${emu.url}/__emulator/clock`, {
      method: 'POST',
      body: JSON.stringify({ reset: true }),
    })
    const real = (await (await fetch(`${emu.url}/__emulator/clock`)).json()) as { now: string }
    expect(Math.abs(Date.parse(real.now) - Date.now())).toBeLessThan(5000)
  })
})

describe('storage', () => {
  it('uploads, links, downloads and deletes files; links are private and expire', async () => {
    const { body } = await call('probe', { op: 'files', path: 'photos/a.txt', content: '你好' })
    const r = body.result as {
      fileID: string
      link: { tempFileURL: string; status: number }
      content: string
    }
    expect(r.fileID).toMatch(/^cloud:\/\/shouhu|^cloud:\/\//)
    expect(r.content).toBe('你好')
    expect(r.link.status).toBe(0)
    const fetched = await fetch(r.link.tempFileURL)
    expect(fetched.status).toBe(200)
    expect(await fetched.text()).toBe('你好')

    // A tampered link is refused; a link past its max age is refused.
    expect((await fetch(r.link.tempFileURL.replace(/sign=[0-9a-f]{4}/, 'sign=0000'))).status).toBe(
      403,
    )
    const short = (await call('probe', { op: 'link', fileID: r.fileID, maxAge: 60 })).body
      .result as { tempFileURL: string }
    emu.clock.set(new Date(Date.now() + 61_000))
    expect((await fetch(short.tempFileURL)).status).toBe(403)
    emu.clock.reset()
    expect((await fetch(short.tempFileURL)).status).toBe(200)

    const del = (await call('probe', { op: 'delete', fileID: r.fileID })).body.result as {
      status: number
    }
    expect(del.status).toBe(0)
    const gone = (await call('probe', { op: 'link', fileID: r.fileID, maxAge: 60 })).body
      .result as { status: number }
    expect(gone.status).toBe(-503003)
  })

  it('refuses cloud paths that try to leave the storage folder', async () => {
    const { body } = await call('probe', { op: 'files', path: '../escape.txt', content: 'x' })
    expect(body.errCode).toBe(-504002)
    expect(fs.existsSync(path.join(dataDir, 'escape.txt'))).toBe(false)
  })
})

describe('openapi permissions', () => {
  it('gives -604101 to a function whose config.json lacks the permission', async () => {
    const message = { touser: 'u1', templateId: 'tpl', data: { thing1: { value: 'x' } } }
    const { body } = await call('noperm', { message })
    expect((body.result as { errCode: number }).errCode).toBe(-604101)
  })
})

describe('timers', () => {
  it('fires a function’s cron at 09:00 China time on the emulator clock, as a timer call without identity', async () => {
    // 08:59:58 in China is 00:59:58 UTC.
    emu.clock.set(new Date('2026-12-01T00:59:58.500Z'))
    const timerEmu = await startEmulator({
      dataDir: fs.mkdtempSync(path.join(os.tmpdir(), 'emu-timer-')),
      port: 0,
      functionsDir: FUNCTIONS,
      schema: SCHEMA,
      log: () => {},
    })
    try {
      timerEmu.clock.set(new Date('2026-12-01T00:59:58.500Z'))
      const deadline = Date.now() + 8000
      let runs: unknown[] = []
      while (Date.now() < deadline && runs.length === 0) {
        await new Promise((r) => setTimeout(r, 500))
        const res = await fetch(`${timerEmu.url}/cloud/probe`, {
          method: 'POST',
          body: JSON.stringify({ op: 'list', collection: 'timer_runs' }),
        })
        runs = ((await res.json()) as { result: unknown[] }).result
      }
      expect(runs).toHaveLength(1)
      const run = runs[0] as {
        event: { Type: string; TriggerName: string }
        openid: string | null
      }
      expect(run.event.Type).toBe('Timer')
      expect(run.event.TriggerName).toBe('daily-0900')
      expect(run.openid).toBeNull()
    } finally {
      await timerEmu.close()
      emu.clock.reset()
    }
  })

  it('fires a timer on demand through POST /__emulator/trigger/<fn>', async () => {
    const res = await fetch(`${emu.url}/__emulator/trigger/timer`, { method: 'POST' })
    expect(res.status).toBe(200)
    expect(((await res.json()) as { result: unknown }).result).toEqual({ ran: true })
    const none = await fetch(`${emu.url}/__emulator/trigger/probe`, { method: 'POST' })
    expect(none.status).toBe(400)
  })
})

describe('gateway robustness', () => {
  it('answers malformed control requests and unknown routes with clear errors', async () => {
    const bad = await fetch(`${emu.url}/__emulator/seed`, { method: 'POST', body: '{' })
    expect(bad.status).toBe(400)
    expect(((await bad.json()) as { errMsg: string }).errMsg).toContain('not valid JSON')
    expect((await fetch(`${emu.url}/__emulator/nothing`)).status).toBe(404)
    const admin = await fetch(`${emu.url}/admin`, { method: 'POST', body: 'nope' })
    expect(((await admin.json()) as { code: string }).code).toBe('INVALID_PARAM')
    expect((await fetch(`${emu.url}/__emulator/health`)).status).toBe(200)
  })
})
