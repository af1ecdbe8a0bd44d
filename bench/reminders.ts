// Benchmark of the daily reminder sweep (the `reminders` timer function) at county scale: 100,000 active
// pairings, 20,000 helpers, 40 villages, on a day when 5% of the children are due.
// Run alone: `npx tsx bench/reminders.ts` (day A below; `--days=AB` adds day B, about a minute more).
//
// Through the whole stack as in production: the `reminders` function fired by its timer in a warm
// instance, the real wx-server-sdk over HTTP, the emulator's database and subscription messages. The
// sweep reads duty states, users, the quota ledger (`subscriptions`), the outbox, villages and
// townships: only those are seeded (children, pairings and logs are not read by it). Each helper and
// officer has a ledger row and the matching emulator grant, except 1 helper in 53 who never accepted.
//
// Days, swept one after the other on the same data:
//  A. Fri 24 April 2026: 7 days of April left; 5% of the children have no April guardian contact yet
//     (stage due_7): one digest per helper concerned, no officer message.
//  B. Fri 1 May 2026, the first working day of May: the same children missed April (just overdue,
//     some two months in a row: escalated by name), so officers get overdue + monthly summary digests.
// Each day: the clock set to 09:00 China time, then the timer fired again while the run reports it
// stopped on its time budget (phase not done) or left messages pending, as a later trigger would.
// Reports messages sent, database calls (target ≤ 1.2 per message sent + ceil(due / 1000)), wall time
// per trigger and per page (the function's timeout is 60 s), and triggers needed. The emulator's
// database and openapi services are timed in this process, to show what a trigger's time is made of
// (the emulator filters ranges in JavaScript after an equality pre-filter, so its reads cost more
// with collection size than an indexed production read would).

import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import { DEFAULT_CADENCE } from '../src/core/cadence'
import { CATEGORIES, RISK_LEVELS } from '../src/core/domain'
import {
  assessStored,
  buildDutyState,
  type DutyChildFacts,
  type DutyPairingFacts,
  type DutyStateRecord,
  type PerDuty,
} from '../src/core/duties'
import { assessHelper, summaryTriggers } from '../src/core/reminders-plan'
import { SUBSCRIPTIONS, type TemplateKey } from '../src/core/subscriptions-config'
import { chinaDate, chinaStartOfDay, chinaMidnight } from '../src/core/time'
import type { Emulator } from '../emulator/src'
import { buildFunctions } from '../scripts/build-functions'
import { DEMO_IDS, seedDemoData } from '../scripts/demo-data'
import { startShouhu } from '../scripts/stack'
import { insert, spread, villageId, type Doc } from './seed'
import { ledgerId } from '../src/server/reminders-store'

const CHILDREN = 100_000
const CHILDREN_PER_HELPER = 5 // 20,000 helpers
const VILLAGES = 40
const QUOTA = 3 // one-time acceptances per recipient and template (a digest a day at most)
const MAX_TRIGGERS = 8
const FUNCTION_TIMEOUT_MS = 60_000

const SWEEP = SUBSCRIPTIONS.sweep
const CADENCE = DEFAULT_CADENCE
const DAY = 86_400_000

/** The duty states are written on the evening before day A (stored due dates stay valid after). */
const BUILT_AT = new Date('2026-04-23T20:00:00+08:00')
const PAIRED_FROM = new Date('2025-09-01T00:00:00+08:00')
const DAYS: Array<{ key: 'A' | 'B'; name: string; at: Date }> = [
  {
    key: 'A',
    name: 'A: Fri 24 Apr, due soon (7 days left)',
    at: new Date('2026-04-24T09:00:00+08:00'),
  },
  {
    key: 'B',
    name: 'B: Fri 1 May, just overdue + first working day (officers)',
    at: new Date('2026-05-01T09:00:00+08:00'),
  },
]

const SURNAMES = '张李王刘陈杨赵黄周吴徐孙马朱胡郭何林罗高'
const GIVEN = ['小明', '雨涵', '子轩', '欣怡', '浩然', '梓涵', '宇航', '诗琪', '俊杰', '思雨']

// Prime moduli, so that these helpers are spread over every village (a helper's village is h % 40).
/** A helper who has not done this month's contacts for any of their children (1 helper in 47). */
const behindHelper = (h: number) => spread(h, 47) === 7
/** A helper who never accepted the reminder template (1 in 53): no ledger row, no grant. */
const unsubscribed = (h: number) => spread(h, 53) === 13
/** A child without an April guardian contact: all of a behind helper's, and 1 in 34 of the others'. */
const dueChild = (c: number) =>
  behindHelper(Math.floor(c / CHILDREN_PER_HELPER)) || spread(c, 34) === 0
/** Of the due children, one in ten also missed March (overdue on day A, escalated on day B). */
const missedMarch = (c: number) => dueChild(c) && spread(c, 10) === 3

const at = (month: number, day: number, hour = 10) =>
  new Date(chinaMidnight(2026, month, day).getTime() + hour * 3_600_000)

type Recipient = { userId: string; openid: string; role: string; villageId: string | null }

type Township = {
  states: DutyStateRecord[]
  helpers: Doc[]
  officers: Doc[]
  villages: Doc[]
  ledger: Doc[]
  grants: Array<{ openid: string; templateId: string }>
}

/** Generates the township: duty states, helpers, village officers, villages, ledger rows and grants. */
function generate(): Township {
  const township = DEMO_IDS.township
  const villages: Doc[] = []
  for (let v = 2; v < VILLAGES; v++)
    villages.push({ _id: villageId(v), townshipId: township, name: `第${v + 1}村` })

  const ledger: Doc[] = []
  const grants: Township['grants'] = []
  const subscribe = (r: Recipient & { displayName: string }, template: TemplateKey) => {
    const templateId = SUBSCRIPTIONS.templates[template].id
    ledger.push({
      _id: ledgerId(r.userId, template),
      userId: r.userId,
      openid: r.openid,
      role: r.role,
      townshipId: township,
      villageId: r.villageId,
      displayName: r.displayName,
      template,
      templateId,
      remaining: QUOTA,
      granted: QUOTA,
      unreachableSince: null,
      grantRequests: [],
      updatedAt: PAIRED_FROM,
    })
    grants.push({ openid: r.openid, templateId })
  }

  // Officers: the demo township officer and the demo village officers (seeded by seedDemoData 'org'),
  // one bench village officer for each other village.
  const officers: Doc[] = []
  const officerRecipients: Array<Recipient & { displayName: string }> = [
    {
      userId: 'usr-demo-township',
      openid: 'demo-township',
      role: 'township_officer',
      villageId: null,
      displayName: '王主任',
    },
    {
      userId: 'usr-demo-village-1',
      openid: 'demo-village-1',
      role: 'village_officer',
      villageId: villageId(0),
      displayName: '李秀英',
    },
    {
      userId: 'usr-demo-village-2',
      openid: 'demo-village-2',
      role: 'village_officer',
      villageId: villageId(1),
      displayName: '赵德明',
    },
  ]
  for (let v = 2; v < VILLAGES; v++) {
    const officer = {
      userId: `usr-bench-vo-${v}`,
      openid: `bench-vo-${v}`,
      role: 'village_officer',
      villageId: villageId(v),
      displayName: `村干部${v + 1}`,
    }
    officerRecipients.push(officer)
    officers.push({
      _id: officer.userId,
      openid: officer.openid,
      role: officer.role,
      displayName: officer.displayName,
      townshipId: township,
      villageId: officer.villageId,
      phone: null,
      helperOrgType: null,
      guardianOf: [],
    })
  }
  for (const o of officerRecipients) {
    subscribe(o, 'officer_digest')
    subscribe(o, 'urgent_report')
  }

  const helpers: Doc[] = []
  const states: DutyStateRecord[] = []
  for (let c = 0; c < CHILDREN; c++) {
    // A helper and their children belong to one village: 500 helpers and 2,500 children a village.
    const h = Math.floor(c / CHILDREN_PER_HELPER)
    const v = h % VILLAGES
    const helperId = `usr-bench-helper-${String(h).padStart(5, '0')}`
    const helperName = `帮扶人${h}`
    if (c % CHILDREN_PER_HELPER === 0) {
      const helper = {
        userId: helperId,
        openid: `bench-helper-${h}`,
        role: 'helper',
        villageId: villageId(v),
        displayName: helperName,
      }
      helpers.push({
        _id: helper.userId,
        openid: helper.openid,
        role: helper.role,
        displayName: helper.displayName,
        townshipId: township,
        villageId: helper.villageId,
        phone: null,
        helperOrgType: 'teacher',
        guardianOf: [],
      })
      if (!unsubscribed(h)) subscribe(helper, 'helper_digest')
    }
    const child: DutyChildFacts = {
      _id: `bench-child-${String(c).padStart(6, '0')}`,
      townshipId: township,
      villageId: villageId(v),
      name: `${SURNAMES[c % SURNAMES.length] ?? '张'}${GIVEN[(c * 3) % GIVEN.length] ?? '小明'}`,
      categories: [CATEGORIES[c % CATEGORIES.length] as string],
      riskLevel: RISK_LEVELS[c % RISK_LEVELS.length] ?? 'low',
      status: 'active',
      archive: null,
    }
    const pairing: DutyPairingFacts = {
      helperId,
      helperName,
      start: PAIRED_FROM,
      end: null,
      active: true,
    }
    // Quarterly duties: done in Q1; 40% of companionships and 25% of visits already done in Q2.
    // Monthly contact: done in March and April, except the due children (and March too for some).
    const last: PerDuty<Date | null> = {
      guardian_contact: missedMarch(c)
        ? at(2, 3 + (c % 25))
        : dueChild(c)
          ? at(3, 3 + (c % 25))
          : at(4, 1 + (c % 22)),
      companionship: c % 5 < 2 ? at(4, 2 + (c % 20)) : at(2, 5 + (c % 20)),
      home_visit: c % 4 === 0 ? at(4, 3 + (c % 19)) : at(3, 1 + (c % 25)),
    }
    states.push(buildDutyState(child, [pairing], last, CADENCE, BUILT_AT))
  }
  return { states, helpers, officers, villages, ledger, grants }
}

/** What the sweep should send on `now`: helper digests (from the same pure rules) and officer digests. */
function expected(
  t: Township,
  now: Date,
): { due: number; helperDigests: number; helpersReachable: number; officerDigests: number } {
  const edge = new Date(chinaStartOfDay(now).getTime() + Math.max(...SWEEP.dueSoonStages) * DAY)
  const byHelper = new Map<string, DutyStateRecord[]>()
  let due = 0
  for (const s of t.states) {
    if (s.status !== 'active' || !s.nextDueAt || s.nextDueAt > edge || !s.helperId) continue
    due += 1
    byHelper.set(s.helperId, [...(byHelper.get(s.helperId) ?? []), s])
  }
  const reachable = new Set(
    t.ledger.filter((l) => l.template === 'helper_digest').map((l) => l.userId),
  )
  let helperDigests = 0
  let helpersReachable = 0
  let anyOverdue = false
  for (const [helperId, states] of byHelper) {
    const f = assessHelper(
      states.map((s) => ({
        childId: s._id,
        childName: s.childName,
        villageId: s.villageId,
        states: assessStored(s, CADENCE, now),
      })),
      now,
      SWEEP,
    )
    if (f.overdue.length > 0) anyOverdue = true
    if (f.digest.triggers.length === 0) continue
    helperDigests += 1
    if (reachable.has(helperId)) helpersReachable += 1
  }
  // Every village has due children, so with any overdue or a summary day every officer is told.
  const officers = VILLAGES + 1
  const officerDigests = anyOverdue || summaryTriggers(now, CADENCE).length > 0 ? officers : 0
  return { due, helperDigests, helpersReachable, officerDigests }
}

async function seed(emu: Emulator, t: Township, log: (line: string) => void): Promise<void> {
  const t0 = performance.now()
  await insert(emu, 'villages', t.villages)
  await insert(emu, 'users', [...t.helpers, ...t.officers])
  await insert(emu, 'subscriptions', t.ledger)
  await insert(
    emu,
    'duty_states',
    t.states.map((s) => ({ ...s, rev: 1 })),
  )
  const t1 = performance.now()
  for (const g of t.grants) emu.openapi.grant(g.openid, g.templateId, QUOTA)
  const t2 = performance.now()
  log(
    `seed: ${t.states.length} duty states (active pairings), ${t.helpers.length} helpers, ` +
      `${t.officers.length + 3} officers, ${VILLAGES} villages, ${t.ledger.length} ledger rows in ` +
      `${((t1 - t0) / 1000).toFixed(1)} s; ${t.grants.length} emulator grants in ${((t2 - t1) / 1000).toFixed(1)} s`,
  )
}

/** Time the emulator (this process) spends serving the function, by kind: what a trigger's wall time is made of. */
type Spent = {
  dbMs: number
  pageMs: number
  pageReads: number
  sendMs: number
  sends: number
  /** database time by action and collection, cleared before each trigger */
  byKind: Map<string, { n: number; ms: number }>
}

type Bench = {
  emu: Emulator
  spent: Spent
  /** A read of the bench's own, in process: neither timed nor inside a measured window of calls. */
  read(action: string, params: Doc): Promise<Doc>
  log: (line: string) => void
}

/** Wraps the emulator's database and openapi services (in this process) to time what they serve. */
function instrument(emu: Emulator, log: (line: string) => void): Bench {
  const spent: Spent = {
    dbMs: 0,
    pageMs: 0,
    pageReads: 0,
    sendMs: 0,
    sends: 0,
    byKind: new Map(),
  }
  const handle = emu.database.handle.bind(emu.database)
  emu.database.handle = async (action, params, ctx) => {
    const t0 = performance.now()
    try {
      return await handle(action, params, ctx)
    } finally {
      const ms = performance.now() - t0
      spent.dbMs += ms
      const kind = `${action.replace('database.', '')} ${String(params.collectionName)}`
      const k = spent.byKind.get(kind) ?? { n: 0, ms: 0 }
      spent.byKind.set(kind, { n: k.n + 1, ms: k.ms + ms })
      if (action === 'database.getDocument' && params.collectionName === 'duty_states') {
        spent.pageMs += ms
        spent.pageReads += 1
      }
    }
  }
  const handleHttp = emu.openapi.handleHttp.bind(emu.openapi)
  emu.openapi.handleHttp = async (req, caller) => {
    const t0 = performance.now()
    try {
      return await handleHttp(req, caller)
    } finally {
      spent.sendMs += performance.now() - t0
      spent.sends += 1
    }
  }
  const read = (action: string, params: Doc) =>
    handle(action, { action, ...params }, { env: emu.env, requestId: 'bench-read' })
  return { emu, spent, read, log }
}

async function count(b: Bench, collectionName: string, query: Doc): Promise<number> {
  const out = await b.read('database.calculateDocument', {
    collectionName,
    query: JSON.stringify(query),
  })
  return (out.data as { total: number }).total
}

type RunStats = { pages: number; states: number; sent: number; pendingLeft: number }
const NO_STATS: RunStats = { pages: 0, states: 0, sent: 0, pendingLeft: 0 }

async function runStats(b: Bench, runId: string): Promise<RunStats | null> {
  const out = await b.read('database.getDocument', {
    collectionName: 'reminder_runs',
    query: JSON.stringify({ _id: runId }),
    limit: 1,
  })
  // Documents come back as the SDK receives them: canonical EJSON text (numbers as {$numberInt}).
  const [raw] = (out.data as { list: unknown[] }).list
  if (typeof raw !== 'string') return null
  const doc = JSON.parse(raw, (_key, value: unknown) => {
    if (value && typeof value === 'object' && !Array.isArray(value)) {
      const v = value as Record<string, unknown>
      const n = v.$numberInt ?? v.$numberLong ?? v.$numberDouble
      if (typeof n === 'string' && Object.keys(v).length === 1) return Number(n)
    }
    return value
  }) as { stats?: RunStats }
  return doc.stats ?? null
}

type RunResult = { ok: boolean; runId?: string; phase?: string; sent?: number; pages?: number }

/** Times the sweep's first page query alone, in process (no HTTP, no SDK): the database's own cost of a page. */
async function pageQueryMs(b: Bench, now: Date): Promise<{ ms: number; rows: number }> {
  const edge = new Date(chinaStartOfDay(now).getTime() + Math.max(...SWEEP.dueSoonStages) * DAY)
  const t0 = performance.now()
  const out = await b.read('database.getDocument', {
    collectionName: 'duty_states',
    query: JSON.stringify({
      townshipId: DEMO_IDS.township,
      status: 'active',
      nextDueAt: { $lte: { $date: edge.toISOString() } },
      helperId: { $gt: '' },
    }),
    order: JSON.stringify({ helperId: 1, _id: 1 }),
    limit: SWEEP.pageSize,
  })
  return { ms: performance.now() - t0, rows: (out.data as { list: unknown[] }).list.length }
}

const secs = (ms: number) => `${(ms / 1000).toFixed(1)} s`

/** Sweeps one day: the timer fired until the run is done and nothing is left pending. */
async function sweepDay(b: Bench, t: Township, day: { name: string; at: Date }): Promise<void> {
  const { emu, spent, log } = b
  const want = expected(t, day.at)
  const runId = chinaDate(day.at)
  log(`day ${day.name} (run ${runId}):`)
  log(
    `  due: ${want.due} duty states (${((want.due / CHILDREN) * 100).toFixed(1)}%); expected ` +
      `${want.helperDigests} helper digests (${want.helpersReachable} with quota), ${want.officerDigests} officer digests`,
  )
  emu.clock.set(day.at)
  const q = await pageQueryMs(b, day.at)
  log(`  the sweep's page query alone (in process): ${q.ms.toFixed(0)} ms for ${q.rows} rows`)

  const messagesBefore = emu.openapi.messages().length
  let calls = 0
  let wall = 0
  let triggers = 0
  let worst = 0
  let prev = NO_STATS
  for (;;) {
    if (triggers >= MAX_TRIGGERS) {
      log(`  STOPPED after ${MAX_TRIGGERS} triggers: the run is not finishing`)
      break
    }
    triggers += 1
    const before = emu.database.stats().calls
    const spentBefore = { ...spent }
    spent.byKind.clear()
    const t0 = performance.now()
    const out = await emu.trigger('reminders')
    const ms = performance.now() - t0
    const used = emu.database.stats().calls - before
    calls += used
    wall += ms
    worst = Math.max(worst, ms)
    const result = (out.ok ? out.result : null) as RunResult | null
    const stats = (await runStats(b, runId)) ?? prev
    const pages = stats.pages - prev.pages
    const [pending, retry] = await Promise.all([
      count(b, 'outbox', { batch: runId, state: 'pending' }),
      count(b, 'outbox', { state: 'retry' }),
    ])
    const pageReads = spent.pageReads - spentBefore.pageReads
    log(
      `  trigger ${triggers}: ${secs(ms)} wall` +
        (out.ok
          ? `, phase ${result?.phase ?? '(lease held: nothing done)'}, sent ${result?.sent ?? 0}`
          : `, FAILED ${out.errCode} ${out.errMsg}`) +
        `; ${pages} pages, ${stats.states - prev.states} states read, ${used} database calls` +
        ` (${pages > 0 ? (used / pages).toFixed(0) : '-'}/page); outbox left pending ${pending}, retry ${retry}`,
    )
    log(
      `    where the time went: database ${secs(spent.dbMs - spentBefore.dbMs)} (of which ${pageReads} page reads ` +
        `${secs(spent.pageMs - spentBefore.pageMs)}), ${spent.sends - spentBefore.sends} sends ${secs(spent.sendMs - spentBefore.sendMs)} ` +
        `in the emulator; the rest is the function, the SDK and HTTP` +
        (pages > 0 ? `; ${secs(ms / pages)} per page of work` : ''),
    )
    const top = [...spent.byKind.entries()].sort((x, y) => y[1].ms - x[1].ms).slice(0, 4)
    log(
      `    database time by call: ${top.map(([k, v]) => `${k} ${v.n}× ${secs(v.ms)}`).join(', ')}`,
    )
    prev = stats
    if (!out.ok || !result?.phase) {
      // The instance was discarded (timeout) or another invocation holds the run: the lease must expire.
      emu.clock.set(new Date(emu.clock.nowMs() + FUNCTION_TIMEOUT_MS))
      continue
    }
    if (result.phase === 'done' && pending === 0 && retry === 0) break
  }

  const sentMessages = emu.openapi.messages().slice(messagesBefore)
  const sent = sentMessages.length
  const helperSent = sentMessages.filter(
    (m) => m.templateId === SUBSCRIPTIONS.templates.helper_digest.id,
  ).length
  const target = 1.2 * sent + Math.ceil(want.due / 1000)
  const [noQuota, failed] = await Promise.all([
    count(b, 'outbox', { batch: runId, state: 'no_quota' }),
    count(b, 'outbox', { batch: runId, state: 'failed' }),
  ])
  const sample = (templateId: string, touser?: string) => {
    const m = sentMessages.find(
      (x) => x.templateId === templateId && (!touser || x.touser === touser),
    )
    return m
      ? Object.values(m.data)
          .map((v) => v.value)
          .join(' | ')
      : '-'
  }
  log(`  a helper digest: ${sample(SUBSCRIPTIONS.templates.helper_digest.id)}`)
  if (sent > helperSent)
    log(
      `  the township officer's: ${sample(SUBSCRIPTIONS.templates.officer_digest.id, 'demo-township')}`,
    )
  log(
    `  messages sent: ${sent} (${helperSent} helper digests, ${sent - helperSent} officer digests); ` +
      `outbox no_quota ${noQuota} (helpers who never accepted), failed ${failed}`,
  )
  log(
    `  database calls: ${calls} = ${sent > 0 ? (calls / sent).toFixed(3) : '-'} per message sent; ` +
      `target ≤ 1.2 × ${sent} + ceil(${want.due}/1000) = ${target.toFixed(1)}: ${calls <= target ? 'MET' : 'MISSED'} ` +
      `(${(calls / target).toFixed(3)} of the target)`,
  )
  log(
    `  triggers needed: ${triggers}; wall ${secs(wall)} in all, worst trigger ${secs(worst)} ` +
      `(function timeout ${FUNCTION_TIMEOUT_MS / 1000} s, sweep budget ${SWEEP.budgetMs / 1000} s)`,
  )
  const missing = want.helpersReachable + want.officerDigests - sent
  if (missing !== 0)
    log(
      `  WARNING: expected ${want.helpersReachable + want.officerDigests} messages, ${sent} sent ` +
        `(${missing > 0 ? `${missing} missing` : `${-missing} extra`})`,
    )
  if (triggers > 1)
    log(
      `  NOTE: the function's only timer is daily (cloudfunctions/reminders/config.json); in production ` +
        `trigger 2 would be tomorrow's, which starts a new run: this day's run would stop after trigger 1`,
    )

  // One more firing on the finished run: what each firing of a repeating timer costs once the day is done.
  const messagesDone = emu.openapi.messages().length
  const callsDone = emu.database.stats().calls
  const t0 = performance.now()
  const extra = await emu.trigger('reminders')
  const extraMs = performance.now() - t0
  const resent = emu.openapi.messages().length - messagesDone
  log(
    `  one more trigger on the finished run: ${emu.database.stats().calls - callsDone} database calls, ` +
      `${secs(extraMs)}, ${extra.ok ? `phase ${(extra.result as RunResult).phase ?? '-'}` : 'FAILED'}, ` +
      `${resent} messages${resent > 0 ? ' (WARNING: sent again)' : ''}`,
  )
}

export type BenchRemindersOptions = {
  /** which days to sweep: A (due soon, helpers only) and/or B (just overdue, officers too); default A */
  days?: ReadonlyArray<'A' | 'B'>
}

export async function benchReminders(
  log: (line: string) => void,
  opts: BenchRemindersOptions = {},
): Promise<void> {
  const days = DAYS.filter((d) => (opts.days ?? ['A']).includes(d.key))
  await buildFunctions()
  const dataDir = mkdtempSync(join(tmpdir(), 'bench-reminders-'))
  // The function's own lines (a JSON summary per invocation, any error) are printed as they come.
  const emu = await startShouhu({
    dataDir,
    port: 0,
    timers: false,
    log: (fn, stream, line) => {
      if (fn === 'reminders') log(`    [fn:${fn}:${stream}] ${line}`)
    },
  })
  try {
    const b = instrument(emu, log)
    emu.clock.set(BUILT_AT)
    const g0 = performance.now()
    const township = generate()
    log(`generation: ${secs(performance.now() - g0)}`)
    // The bulk seed runs in this process and holds its event loop for seconds, long enough for the
    // gateway to drop idle keep-alive sockets: the first HTTP request comes after it.
    await seed(emu, township, log)
    await seedDemoData(emu.url, 'org') // the township, the demo villages and their officers
    for (const day of days) await sweepDay(b, township, day)
  } finally {
    await emu.close()
    rmSync(dataDir, { recursive: true, force: true })
  }
}

// Run directly (`npx tsx bench/reminders.ts [--days=AB]`); bench/index.ts may import it instead.
if (/reminders\.ts$/.test(process.argv[1] ?? '')) {
  const started = performance.now()
  const arg = process.argv.find((a) => a.startsWith('--days='))?.slice('--days='.length) ?? 'A'
  const days = [...arg.toUpperCase()].filter((d): d is 'A' | 'B' => d === 'A' || d === 'B')
  benchReminders((line) => console.log(line), { days })
    .then(() => console.log(`total: ${secs(performance.now() - started)}`))
    .catch((err: unknown) => {
      console.error(err)
      process.exit(1)
    })
}
