// Benchmark of the emulator's database at 100,000 documents, measured through the real wx-server-sdk over HTTP.
// Run alone: `npx tsx bench/emulator-db.ts` (or all benchmarks: `npm run bench`).

import { mkdtempSync, rmSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import { startEmulator } from '../emulator/src/index'

type WxServerSdk = typeof import('wx-server-sdk')

const DOCS = 100_000
const BATCH = 1_000
const COLLECTION = 'bench_docs'
const GROUPS = 50

/** Targets the figures are judged against (indexed lookups must stay interactive at this size). */
const TARGET_INDEXED_P50_MS = 5

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN
  return sorted[Math.min(sorted.length - 1, Math.floor(p * (sorted.length - 1)))] as number
}

async function timeRuns(
  runs: number,
  fn: (i: number) => Promise<void>,
): Promise<{ p50: number; p95: number }> {
  const times: number[] = []
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now()
    await fn(i)
    times.push(performance.now() - t0)
  }
  times.sort((a, b) => a - b)
  return { p50: percentile(times, 0.5), p95: percentile(times, 0.95) }
}

const ms = (n: number) => `${n.toFixed(2)} ms`

export async function benchDatabase(log: (line: string) => void): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'bench-db-'))
  const emu = await startEmulator({
    dataDir,
    port: 0,
    timers: false,
    schema: {
      collections: [
        { name: COLLECTION, indexes: [{ name: 'key_1', keys: { key: 1 }, unique: true }] },
      ],
    },
  })
  try {
    Object.assign(process.env, emu.sdkEnv(), { SILENCE: 'true' })
    const cloud = createRequire(import.meta.url)('wx-server-sdk') as WxServerSdk
    cloud.init({ env: emu.env })
    const db = cloud.database()
    const _ = db.command
    const $ = _.aggregate
    const coll = db.collection(COLLECTION)
    const base = Date.parse('2024-01-01T00:00:00Z')

    // Insert: batched adds of 1,000 documents.
    const t0 = performance.now()
    for (let start = 0; start < DOCS; start += BATCH) {
      const data = Array.from({ length: BATCH }, (_x, j) => {
        const i = start + j
        return {
          key: `k${i}`,
          name: `name-${i}`,
          group: i % GROUPS,
          n: i,
          flag: i % 2 === 0,
          tags: ['t' + (i % 7), 't' + (i % 11)],
          profile: { village: `v${i % 300}`, age: i % 90 },
          createdAt: new Date(base + i * 60_000),
        }
      })
      await coll.add({ data: data as unknown as Record<string, unknown> })
    }
    const insertMs = performance.now() - t0
    log(
      `insert: ${DOCS} documents in ${(insertMs / 1000).toFixed(1)} s = ${Math.round(DOCS / (insertMs / 1000))} docs/s (batches of ${BATCH})`,
    )

    const rnd = (i: number) => (i * 7919) % DOCS // deterministic spread over the collection

    // Warm-up (statement cache, SDK sockets).
    for (let i = 0; i < 10; i++) await coll.where({ key: `k${rnd(i)}` }).get()

    const indexed = await timeRuns(300, async (i) => {
      const r = (await coll.where({ key: `k${rnd(i + 11)}` }).get()) as { data: unknown[] }
      if (r.data.length !== 1)
        throw new Error('indexed lookup returned the wrong number of documents')
    })
    log(
      `indexed equality where({key}).get(): p50 ${ms(indexed.p50)}, p95 ${ms(indexed.p95)} (target p50 < ${TARGET_INDEXED_P50_MS} ms)`,
    )

    const byId = (await coll.where({ key: 'k42' }).get()) as { data: Array<{ _id: string }> }
    const docId = byId.data[0]?._id ?? ''
    const doc = await timeRuns(300, async () => {
      await coll.doc(docId).get()
    })
    log(`doc(_id).get(): p50 ${ms(doc.p50)}, p95 ${ms(doc.p95)}`)

    const unindexedEq = await timeRuns(20, async (i) => {
      const r = (await coll.where({ name: `name-${rnd(i + 3)}` }).get()) as { data: unknown[] }
      if (r.data.length !== 1)
        throw new Error('unindexed lookup returned the wrong number of documents')
    })
    log(
      `unindexed equality where({name}).get() (SQL pre-filter, full scan): p50 ${ms(unindexedEq.p50)}, p95 ${ms(unindexedEq.p95)}`,
    )

    const unindexedRange = await timeRuns(10, async (i) => {
      const lo = rnd(i + 5)
      await coll
        .where({ n: _.gte(lo).and(_.lt(lo + 50)) })
        .orderBy('n', 'desc')
        .get()
    })
    log(
      `unindexed range where({n: gte/lt}).orderBy().get() (mingo over every document): p50 ${ms(unindexedRange.p50)}, p95 ${ms(unindexedRange.p95)}`,
    )

    const countAll = await timeRuns(50, async () => {
      await coll.count()
    })
    log(`count() of the whole collection: p50 ${ms(countAll.p50)}, p95 ${ms(countAll.p95)}`)

    const countWhere = await timeRuns(20, async (i) => {
      const r = (await coll.where({ group: i % GROUPS }).count()) as { total: number }
      if (r.total !== DOCS / GROUPS) throw new Error(`count returned ${r.total}`)
    })
    log(`count() where({group}) (unindexed): p50 ${ms(countWhere.p50)}, p95 ${ms(countWhere.p95)}`)

    const agg = await timeRuns(10, async () => {
      const r = (await coll
        .aggregate()
        .group({ _id: '$group', n: $.sum(1), total: $.sum('$n') })
        .end()) as { list: unknown[] }
      if (r.list.length !== GROUPS) throw new Error('aggregate returned the wrong number of groups')
    })
    log(`aggregate().group() over all ${DOCS} documents: p50 ${ms(agg.p50)}, p95 ${ms(agg.p95)}`)

    const aggMatch = await timeRuns(20, async (i) => {
      await coll
        .aggregate()
        .match({ key: _.in([`k${rnd(i)}`, `k${rnd(i + 1)}`, `k${rnd(i + 2)}`]) })
        .group({ _id: '$group', n: $.sum(1) })
        .end()
    })
    log(
      `aggregate().match({key: in}).group() (indexed pre-filter): p50 ${ms(aggMatch.p50)}, p95 ${ms(aggMatch.p95)}`,
    )

    log(`database actions served: ${emu.database.stats().calls}`)
    if (indexed.p50 >= TARGET_INDEXED_P50_MS)
      log(`WARNING: indexed p50 ${ms(indexed.p50)} misses the ${TARGET_INDEXED_P50_MS} ms target`)
  } finally {
    await emu.close()
    rmSync(dataDir, { recursive: true, force: true })
  }
}

// Run directly (`npx tsx bench/emulator-db.ts`); bench/index.ts imports it instead.
if (/emulator-db\.ts$/.test(process.argv[1] ?? '')) {
  const started = performance.now()
  benchDatabase((line) => console.log(line))
    .then(() => console.log(`total: ${((performance.now() - started) / 1000).toFixed(1)} s`))
    .catch((err: unknown) => {
      console.error(err)
      process.exit(1)
    })
}
