// Benchmark of the duty board (duties.list) at township scale: 20,000 children and 240,000 contact logs.
// Run alone: `npx tsx bench/duties.ts` (or all benchmarks: `npm run bench`).
//
// Through the whole stack as in production: the `api` function in a warm instance, the real
// wx-server-sdk over HTTP, the emulator's database. Reports database calls per request (target:
// constant and at most 5, whatever the number of logs) and p50 latency over 30 calls.

import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import { DEFAULT_CADENCE, DUTIES, type Duty } from '../src/core/cadence'
import { CATEGORIES, RISK_LEVELS } from '../src/core/domain'
import {
  buildDutyState,
  type DutyChildFacts,
  type DutyPairingFacts,
  type PerDuty,
} from '../src/core/duties'
import type { Emulator } from '../emulator/src'
import { buildFunctions } from '../scripts/build-functions'
import { DEMO_IDS, seedDemoData } from '../scripts/demo-data'
import { startShouhu } from '../scripts/stack'
import { insert, spread, villageId, type Doc } from './seed'

const CHILDREN = 20_000
const LOGS_PER_CHILD = 12 // 240,000 logs
const VILLAGES = 40
const CHILDREN_PER_HELPER = 10
const RUNS = 30
const TARGET_CALLS = 5

/** The board is read on 10 March 2026, 10:00 China time. */
const NOW = new Date('2026-03-10T10:00:00+08:00')
const PAIRED_FROM = new Date('2025-09-01T00:00:00+08:00')
const DAY = 86_400_000

/** Generates the township and stores it: villages, helpers, children, pairings, logs and duty states. */
async function seedTownship(emu: Emulator, log: (line: string) => void): Promise<void> {
  const t0 = performance.now()
  const township = DEMO_IDS.township
  const villages: Doc[] = []
  for (let v = 2; v < VILLAGES; v++)
    villages.push({ _id: villageId(v), townshipId: township, name: `第${v + 1}村` })

  const helpers: Doc[] = []
  const helperOf = (c: number): { id: string; name: string } => {
    const h = Math.floor(c / CHILDREN_PER_HELPER)
    // The demo helper 1 (village 1) takes the first ten children, so the bench can sign in as them.
    return h === 0
      ? { id: 'usr-demo-helper-1', name: '张丽华' }
      : { id: `usr-bench-helper-${h}`, name: `帮扶人${h}` }
  }
  const children: Doc[] = []
  const pairings: Doc[] = []
  const logs: Doc[] = []
  const states: Doc[] = []
  for (let c = 0; c < CHILDREN; c++) {
    // Each helper and their children belong to one village: 50 helpers and 500 children a village.
    const v = Math.floor(c / CHILDREN_PER_HELPER) % VILLAGES
    const helper = helperOf(c)
    if (c % CHILDREN_PER_HELPER === 0 && helper.id !== 'usr-demo-helper-1') {
      helpers.push({
        _id: helper.id,
        openid: `bench-helper-${c / CHILDREN_PER_HELPER}`,
        role: 'helper',
        displayName: helper.name,
        townshipId: township,
        villageId: villageId(v),
        phone: null,
        helperOrgType: 'teacher',
        guardianOf: [],
      })
    }
    const childId = `bench-child-${c}`
    const child: DutyChildFacts & Doc = {
      _id: childId,
      townshipId: township,
      villageId: villageId(v),
      name: `儿童${c}`,
      categories: [CATEGORIES[c % CATEGORIES.length] as string],
      riskLevel: RISK_LEVELS[c % RISK_LEVELS.length] ?? 'low',
      status: 'active',
      archive: null,
    }
    children.push({
      ...child,
      sex: c % 2 ? 'male' : 'female',
      birthDate: '2015-05-01',
      idNumber: null,
      school: '青山小学',
      grade: '四年级',
      address: '',
      parents: [],
      guardians: [],
      academicSubtype: null,
      needs: [],
      notes: '',
      consent: null,
      version: 1,
      createdAt: PAIRED_FROM,
      updatedAt: PAIRED_FROM,
      createdBy: 'usr-demo-township',
    })
    const pairing: DutyPairingFacts = {
      helperId: helper.id,
      helperName: helper.name,
      start: PAIRED_FROM,
      end: null,
      active: true,
    }
    const pairingId = `bench-pairing-${c}`
    pairings.push({
      _id: pairingId,
      childId,
      townshipId: township,
      villageId: villageId(v),
      ...pairing,
      activeKey: childId,
      endReason: null,
      endNote: null,
      endedBy: null,
      createdBy: 'usr-demo-township',
      createdAt: PAIRED_FROM,
    })
    // Twelve logs over the four months before now; one child in five fell behind two months ago.
    const behind = spread(c, 5) === 0 ? 60 : 0
    const last: PerDuty<Date | null> = {
      guardian_contact: null,
      companionship: null,
      home_visit: null,
    }
    for (let k = 0; k < LOGS_PER_CHILD; k++) {
      const duty: Duty = DUTIES[k % 3 === 0 ? 1 : k % 4 === 0 ? 2 : 0] ?? 'guardian_contact'
      const daysAgo = behind + 2 + ((k * 10 + spread(c, 11)) % 120)
      const occurredAt = new Date(NOW.getTime() - daysAgo * DAY)
      if (!last[duty] || (last[duty]?.getTime() ?? 0) < occurredAt.getTime())
        last[duty] = occurredAt
      logs.push({
        childId,
        pairingId,
        helperId: helper.id,
        helperName: helper.name,
        villageId: villageId(v),
        townshipId: township,
        duty,
        occurredAt,
        mode: 'in_person',
        learned: { dailyLife: '一切正常', study: '', health: '', mood: '' },
        problems: '',
        actions: '',
        createdAt: occurredAt,
        requestKey: `${helper.id}:bench-${c}-${k}`,
        corrections: [],
        confirmation: null,
      })
    }
    const { _id, ...state } = buildDutyState(child, [pairing], last, DEFAULT_CADENCE, NOW)
    states.push({ _id, ...state, rev: 1 })
  }
  const generated = performance.now()

  await insert(emu, 'villages', villages)
  await insert(emu, 'users', helpers)
  await insert(emu, 'children', children)
  await insert(emu, 'pairings', pairings)
  await insert(emu, 'duty_states', states)
  const t1 = performance.now()
  await insert(emu, 'contact_logs', logs)
  const t2 = performance.now()
  log(
    `seed: ${children.length} children, ${pairings.length} pairings, ${states.length} duty states, ` +
      `${helpers.length} helpers, ${VILLAGES} villages in ${((t1 - t0) / 1000).toFixed(1)} s ` +
      `(generation ${((generated - t0) / 1000).toFixed(1)} s); ${logs.length} contact logs in ${((t2 - t1) / 1000).toFixed(1)} s`,
  )
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(p * (sorted.length - 1)))] ?? NaN
}

type Answer = {
  ok: boolean
  code?: string
  data?: {
    items: unknown[]
    counts: { overdue: number; due_soon: number }
    nextCursor: string | null
  }
}

async function callApi(
  emu: Emulator,
  openid: string,
  data: Doc,
  action = 'duties.list',
): Promise<Answer> {
  const res = await fetch(`${emu.url}/cloud/api`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'X-Local-Openid': openid },
    body: JSON.stringify({ action, data }),
  })
  const body = (await res.json()) as { result?: Answer; errMsg?: string }
  if (!body.result?.ok) throw new Error(`${action} failed for ${openid}: ${JSON.stringify(body)}`)
  return body.result
}

/** Calls duties.list RUNS times; returns the database calls of each request and the latency percentiles. */
async function measure(
  emu: Emulator,
  openid: string,
  data: Doc,
  action = 'duties.list',
): Promise<{ calls: number[]; p50: number; p95: number; last: Answer }> {
  await callApi(emu, openid, data, action) // warm: instance started, statements prepared
  const calls: number[] = []
  const times: number[] = []
  let last: Answer = { ok: false }
  for (let i = 0; i < RUNS; i++) {
    const before = emu.database.stats().calls
    const t0 = performance.now()
    last = await callApi(emu, openid, data, action)
    times.push(performance.now() - t0)
    calls.push(emu.database.stats().calls - before)
  }
  times.sort((a, b) => a - b)
  return { calls, p50: percentile(times, 0.5), p95: percentile(times, 0.95), last }
}

export async function benchDuties(log: (line: string) => void): Promise<void> {
  await buildFunctions()
  const dataDir = mkdtempSync(join(tmpdir(), 'bench-duties-'))
  const emu = await startShouhu({ dataDir, port: 0, timers: false, log: () => {} })
  try {
    emu.clock.set(NOW)
    // The bulk seed runs in this process and holds its event loop for seconds, long enough for the
    // gateway to drop idle keep-alive sockets: the first HTTP request comes after it.
    await seedTownship(emu, log)
    await seedDemoData(emu.url, 'org') // the organisation only: the bench brings its own children

    const cases: Array<[string, string, Doc]> = [
      [`helper (${CHILDREN_PER_HELPER} children)`, 'demo-helper-1', {}],
      ['village officer (first page of 20)', 'demo-village-1', {}],
      [`township officer (first page of 20 of ${CHILDREN})`, 'demo-township', {}],
      ['township officer, overdue only', 'demo-township', { status: 'overdue' }],
      [
        'township officer, guardian contacts open, poverty',
        'demo-township',
        { duty: 'guardian_contact', status: 'open', category: 'poverty' },
      ],
    ]
    // The floor every call pays: the function instance, the SDK over HTTP, one database call.
    const floor = await measure(emu, 'demo-township', {}, 'session.me')
    log(
      `session.me (for comparison): ${floor.calls[0]} database calls, p50 ${floor.p50.toFixed(1)} ms`,
    )
    let worst = 0
    for (const [name, openid, data] of cases) {
      const r = await measure(emu, openid, data)
      const distinct = [...new Set(r.calls)]
      worst = Math.max(worst, ...r.calls)
      const counts = r.last.data?.counts
      log(
        `duties.list, ${name}: ${distinct.join('/')} database calls per request` +
          `${distinct.length === 1 ? ' (constant)' : ' (VARIES)'}, p50 ${r.p50.toFixed(1)} ms, p95 ${r.p95.toFixed(1)} ms` +
          ` — ${r.last.data?.items.length ?? 0} items, counts overdue ${counts?.overdue ?? '?'} / due soon ${counts?.due_soon ?? '?'}`,
      )
    }
    // A second page through the cursor costs the same.
    const first = await callApi(emu, 'demo-township', {})
    const before = emu.database.stats().calls
    await callApi(emu, 'demo-township', { cursor: first.data?.nextCursor })
    log(
      `duties.list, township officer, second page: ${emu.database.stats().calls - before} database calls`,
    )
    if (worst > TARGET_CALLS)
      log(`WARNING: ${worst} database calls per request misses the target of ${TARGET_CALLS}`)
  } finally {
    await emu.close()
    rmSync(dataDir, { recursive: true, force: true })
  }
}

// Run directly (`npx tsx bench/duties.ts`); bench/index.ts may import it instead.
if (/duties\.ts$/.test(process.argv[1] ?? '')) {
  const started = performance.now()
  benchDuties((line) => console.log(line))
    .then(() => console.log(`total: ${((performance.now() - started) / 1000).toFixed(1)} s`))
    .catch((err: unknown) => {
      console.error(err)
      process.exit(1)
    })
}
