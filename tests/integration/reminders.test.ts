// The daily reminder sweep through the emulator: a quarter walked day by day on the demo data, the timer firing twice, crashes mid-run.
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { SUBSCRIPTIONS } from '../../src/core/subscriptions-config'
import { chinaDate } from '../../src/core/time'
import { seedDemoData } from '../../scripts/demo-data'
import { startStack, type Stack } from '../support/stack'

const cn = (s: string) => new Date(`${s}:00+08:00`)
const HELPER_TPL = SUBSCRIPTIONS.templates.helper_digest.id
const OFFICER_TPL = SUBSCRIPTIONS.templates.officer_digest.id
const DAY = 86_400_000

type Msg = {
  touser: string
  templateId: string
  sentAt: string
  data: Record<string, { value: string }>
}
type Ok<T> = { ok: true; data: T }

async function ok<T>(
  stack: Stack,
  openid: string,
  action: string,
  data: Record<string, unknown>,
  requestId?: string,
): Promise<T> {
  const out = (await stack.api(openid, { action, data, ...(requestId ? { requestId } : {}) })) as
    Ok<T> | { ok: false; code: string; message: string }
  if (!out.ok) throw new Error(`${action} failed: ${out.code} ${out.message}`)
  return out.data
}

/** A stack whose demo data is dated relative to `seedAt`; the demo users (but helper 2) accept `grants` reminders each. */
async function demoStack(seedAt: Date, grants = 12): Promise<Stack> {
  const stack = await startStack({ seed: false })
  stack.emulator.clock.set(seedAt)
  await seedDemoData(stack.url, 'full')
  const who: Array<[string, string[]]> = [
    ['demo-helper-1', [HELPER_TPL]],
    ['demo-helper-3', [HELPER_TPL]],
    ['demo-village-1', [OFFICER_TPL]],
    ['demo-village-2', [OFFICER_TPL]],
    ['demo-township', [OFFICER_TPL]],
  ]
  for (const [openid, templateIds] of who) {
    for (let i = 0; i < grants; i++) {
      await ok(stack, openid, 'subscriptions.grant', { templateIds }, `grant-${openid}-${i}`)
    }
  }
  return stack
}

async function trigger(stack: Stack): Promise<void> {
  const res = await fetch(`${stack.url}/__emulator/trigger/reminders`, { method: 'POST' })
  const body = (await res.json()) as { result?: { ok: boolean } }
  if (!res.ok || !body.result?.ok) throw new Error(`reminders run failed: ${JSON.stringify(body)}`)
}

async function messages(stack: Stack): Promise<Msg[]> {
  const res = await fetch(`${stack.url}/__emulator/messages`)
  const body = (await res.json()) as Msg[] | { messages: Msg[] }
  return Array.isArray(body) ? body : body.messages
}

const dayOf = (m: Msg) => chinaDate(new Date(m.sentAt))
const daysOf = (ms: Msg[], touser: string, tpl: string) =>
  [...new Set(ms.filter((m) => m.touser === touser && m.templateId === tpl).map(dayOf))].sort()

describe('a whole quarter of the demo data, the timer firing twice every day', () => {
  let stack: Stack
  let sent: Msg[] = []
  const START = cn('2026-03-20T09:00')

  beforeAll(async () => {
    stack = await demoStack(START)
    for (let t = START.getTime() + DAY; t <= cn('2026-06-30T09:00').getTime(); t += DAY) {
      stack.emulator.clock.set(new Date(t))
      await trigger(stack)
      await trigger(stack)
    }
    sent = await messages(stack)
  }, 600_000)
  afterAll(async () => stack?.close())

  it('sends each helper one digest on each reminder day: 7 and 2 days left, and the day a duty became overdue', () => {
    const expected = [
      '2026-03-25',
      '2026-03-30',
      '2026-04-01',
      '2026-04-24',
      '2026-04-29',
      '2026-05-01',
      '2026-05-25',
      '2026-05-30',
      '2026-06-01',
      '2026-06-24',
      '2026-06-29',
    ]
    expect(daysOf(sent, 'demo-helper-1', HELPER_TPL)).toEqual(expected)
    expect(daysOf(sent, 'demo-helper-3', HELPER_TPL)).toEqual(expected)
  })

  it('never sends the same recipient two messages of a template on one day', () => {
    const seen = new Set<string>()
    for (const m of sent) {
      const k = `${m.touser}|${m.templateId}|${dayOf(m)}`
      expect(seen.has(k), k).toBe(false)
      seen.add(k)
    }
  })

  it('messages respect the template: keys of config, values within WeChat limits, no full child name', () => {
    for (const m of sent) {
      const t = Object.values(SUBSCRIPTIONS.templates).find((x) => x.id === m.templateId)
      expect(t).toBeDefined()
      expect(Object.keys(m.data).sort()).toEqual(
        Object.values(t?.fields ?? {})
          .map((f) => f.key)
          .sort(),
      )
    }
  })

  it('a helper without quota gets nothing and shows as unreachable, with an in-app badge', async () => {
    expect(sent.filter((m) => m.touser === 'demo-helper-2')).toEqual([])
    const list = await ok<{ helpers: Array<{ helperId: string }> }>(
      stack,
      'demo-village-1',
      'reminders.unreachable',
      {},
    )
    expect(list.helpers.map((h) => h.helperId)).toEqual(['usr-demo-helper-2'])
    const mine = await ok<{ badge: number; items: Array<{ state: string }> }>(
      stack,
      'demo-helper-2',
      'reminders.mine',
      {},
    )
    expect(mine.badge).toBeGreaterThan(0)
    expect(mine.items.every((i) => i.state === 'no_quota')).toBe(true)
  })

  it('officers get the overdue digest (with the period summary) on the first days of April, May and June', () => {
    for (const officer of ['demo-village-1', 'demo-township']) {
      expect(daysOf(sent, officer, OFFICER_TPL)).toEqual(['2026-04-01', '2026-05-01', '2026-06-01'])
    }
    const may = sent.find((m) => m.touser === 'demo-village-1' && dayOf(m) === '2026-05-01')
    // Contacts missed in March and April: helpers escalated by name to the village officer.
    expect(
      Object.values(may?.data ?? {})
        .map((v) => v.value)
        .join(' '),
    ).toMatch(/张丽华|陈志强/)
  })

  it('explains per helper what was sent, when and why', async () => {
    const ex = await ok<{
      items: Array<{ state: string; reason: string; sentAt: string | null }>
      escalations: unknown[]
    }>(stack, 'demo-village-1', 'reminders.explain', { helperId: 'usr-demo-helper-1' })
    expect(
      ex.items.some((i) => i.state === 'sent' && i.sentAt !== null && i.reason.length > 0),
    ).toBe(true)
    expect(ex.escalations.length).toBeGreaterThan(0)
  })
})

describe('09:00 two days before a month end, the timer fired twice', () => {
  let stack: Stack
  beforeAll(async () => {
    stack = await demoStack(cn('2026-03-30T08:00'))
    stack.emulator.clock.set(cn('2026-03-30T09:00'))
    await trigger(stack)
    await trigger(stack)
  }, 180_000)
  afterAll(async () => stack?.close())

  it('one digest per helper with open duties and quota, none twice', async () => {
    const sent = await messages(stack)
    const helperDigests = sent
      .filter((m) => m.templateId === HELPER_TPL)
      .map((m) => m.touser)
      .sort()
    expect(helperDigests).toEqual(['demo-helper-1', 'demo-helper-3'])
    expect(sent.filter((m) => m.templateId === OFFICER_TPL)).toEqual([])
  })
})

describe('a run that crashes after N sends (N random, repeated)', () => {
  let stack: Stack
  const ctrl = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'shouhu-fault-')), 'ctrl.json')
  const preload = `${ctrl}.cjs`
  const oldOptions = process.env.NODE_OPTIONS

  beforeAll(async () => {
    fs.writeFileSync(ctrl, JSON.stringify({ crashAfter: null }))
    // Test-only hook (see faultHooks in src/server/reminders-send.ts): kills the instance right after its Nth recorded send.
    fs.writeFileSync(
      preload,
      `const fs = require('fs');
globalThis.__shouhuFaults = { reminders: { afterSendRecorded(n) {
  const c = JSON.parse(fs.readFileSync(${JSON.stringify(ctrl)}, 'utf8'));
  if (c.crashAfter === n) { fs.writeFileSync(${JSON.stringify(ctrl)}, JSON.stringify({ crashAfter: null, crashed: n })); process.exit(1) }
} } };\n`,
    )
    process.env.NODE_OPTIONS = `${oldOptions ?? ''} --require ${preload}`.trim()
    stack = await demoStack(cn('2026-03-20T09:00'))
  }, 180_000)
  afterAll(async () => {
    process.env.NODE_OPTIONS = oldOptions
    if (oldOptions === undefined) delete process.env.NODE_OPTIONS
    await stack?.close()
  })

  it('the next run completes the work and every intended message is sent exactly once', async () => {
    // Reminder days with several messages each: helpers' digests, and officers' on 1 April.
    for (const day of ['2026-03-25', '2026-03-30', '2026-04-01', '2026-04-24']) {
      const before = (await messages(stack)).length
      const expected =
        day === '2026-04-01'
          ? ['demo-helper-1', 'demo-helper-3', 'demo-township', 'demo-village-1', 'demo-village-2']
          : ['demo-helper-1', 'demo-helper-3']
      // Crash after N of the day's sends, N random below their number (the rest must still go out).
      const n = 1 + Math.floor(Math.random() * (expected.length - 1))
      fs.writeFileSync(ctrl, JSON.stringify({ crashAfter: n }))
      stack.emulator.clock.set(cn(`${day}T09:00`))
      const crashed = await fetch(`${stack.url}/__emulator/trigger/reminders`, { method: 'POST' })
      expect(crashed.ok, `run on ${day} should crash after ${n} sends`).toBe(false)
      expect((await messages(stack)).length - before).toBe(n)
      // The timer's retry comes later (the crashed instance's lease has run out by then).
      stack.emulator.clock.set(cn(`${day}T09:05`))
      await trigger(stack)
      await trigger(stack)
      const today = (await messages(stack)).slice(before)
      const keys = today.map((m) => `${m.touser}|${m.templateId}`)
      expect(new Set(keys).size, `duplicates on ${day}: ${keys.join(', ')}`).toBe(keys.length)
      expect(today.map((m) => m.touser).sort()).toEqual(expected)
    }
  }, 240_000)
})

describe('the outbox', () => {
  it('keeps 400 days of history: a finished day removes older entries and keeps the rest', async () => {
    const stack = await demoStack(cn('2026-03-25T08:00'), 2)
    try {
      const entry = (id: string, at: Date) => ({
        _id: id,
        covers: [id],
        recipientId: 'usr-demo-helper-1',
        recipientOpenid: 'demo-helper-1',
        recipientRole: 'helper',
        townshipId: 'twp-demo',
        villageId: 'vil-demo-1',
        template: 'helper_digest',
        templateId: HELPER_TPL,
        periodKey: chinaDate(at).slice(0, 7),
        stage: 'due7',
        reason: '本月联系监护人还剩7天',
        data: {},
        page: 'pages/index/index',
        escalated: [],
        state: 'sent',
        attempts: 1,
        errorCode: null,
        batch: chinaDate(at),
        seq: 0,
        charged: true,
        createdAt: { $date: at.toISOString() },
        updatedAt: { $date: at.toISOString() },
        sentAt: { $date: at.toISOString() },
      })
      await stack.seed({
        outbox: [
          entry('old|401-days', new Date(cn('2026-03-25T09:00').getTime() - 401 * DAY)),
          entry('kept|399-days', new Date(cn('2026-03-25T09:00').getTime() - 399 * DAY)),
        ],
      })
      stack.emulator.clock.set(cn('2026-03-25T09:00'))
      await trigger(stack)
      const ids = (await stack.docs('outbox')).map((d) => d._id)
      expect(ids).not.toContain('old|401-days')
      expect(ids).toContain('kept|399-days')
      // The day's own digests are there too: pruning happened after them, not instead of them.
      expect(ids.length).toBeGreaterThan(1)
    } finally {
      await stack.close()
    }
  })
})
