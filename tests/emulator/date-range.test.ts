// Date ranges on indexed paths are answered through SQLite's index, and answer exactly what the query means.
import { afterAll, beforeAll, expect, it } from 'vitest'
import { startDbHarness, type DbHarness } from './db-harness'

const SCHEMA = {
  collections: [
    { name: 'logs', indexes: [{ name: 'k_at', keys: { k: 1 as const, at: 1 as const } }] },
    { name: 'plain' },
  ],
}

let h: DbHarness
const day = (d: string) => new Date(`${d}T00:00:00.000Z`)

beforeAll(async () => {
  h = await startDbHarness({ schema: SCHEMA })
  const docs = [
    { _id: 'in-1', k: 'a', at: day('2026-03-01') },
    { _id: 'in-2', k: 'a', at: day('2026-03-31') },
    { _id: 'edge-end', k: 'a', at: day('2026-04-01') },
    { _id: 'before', k: 'a', at: day('2026-02-28') },
    { _id: 'old', k: 'a', at: day('1990-03-15') },
    { _id: 'text', k: 'a', at: '2026-03-10' },
    { _id: 'number', k: 'a', at: 1772323200000 },
    { _id: 'missing', k: 'a' },
    { _id: 'other-k', k: 'b', at: day('2026-03-10') },
  ]
  for (const name of ['logs', 'plain']) await h.db.collection(name).add({ data: docs })
})

afterAll(async () => {
  await h.close()
})

it.each(['logs', 'plain'])(
  'answers a half-open date range exactly, indexed or not (%s)',
  async (name) => {
    const _ = h.db.command
    const res = (await h.db
      .collection(name)
      .where({ k: 'a', at: _.gte(day('2026-03-01')).and(_.lt(day('2026-04-01'))) })
      .get()) as { data: Array<{ _id: string }> }
    expect(res.data.map((d) => d._id).sort()).toEqual(['in-1', 'in-2'])
  },
)

it.each(['logs', 'plain'])(
  'answers an upper bound alone, keeping dates before 2001 and leaving out other types (%s)',
  async (name) => {
    const _ = h.db.command
    const res = (await h.db
      .collection(name)
      .where({ k: 'a', at: _.lt(day('2026-03-01')) })
      .get()) as { data: Array<{ _id: string }> }
    expect(res.data.map((d) => d._id).sort()).toEqual(['before', 'old'])
  },
)

it.each(['logs', 'plain'])(
  'answers "any date up to now" (a bound at the epoch and one at now) exactly (%s)',
  async (name) => {
    const _ = h.db.command
    const res = (await h.db
      .collection(name)
      .where({ k: 'a', at: _.gte(new Date(0)).and(_.lte(day('2026-03-31'))) })
      .get()) as { data: Array<{ _id: string }> }
    expect(res.data.map((d) => d._id).sort()).toEqual(['before', 'in-1', 'in-2', 'old'])
  },
)

it('uses the index for the range in an aggregation too', async () => {
  const _ = h.db.command
  const $ = h.db.command.aggregate
  const res = (await h.db
    .collection('logs')
    .aggregate()
    .match({ k: 'a', at: _.gte(day('2026-03-01')).and(_.lte(day('2026-04-01'))) })
    .group({ _id: '$k', n: $.sum(1) })
    .end()) as { list: Array<{ _id: string; n: number }> }
  expect(res.list).toEqual([{ _id: 'a', n: 3 }])
})
