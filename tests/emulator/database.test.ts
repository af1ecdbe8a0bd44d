// The emulator's database service driven by the real wx-server-sdk 4.0.2 over HTTP: every call a cloud function makes, compared with what CloudBase documents.

import { existsSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { DatabaseSchema } from '../../emulator/src/admin/database'
import { AdminError, type AdminParams } from '../../emulator/src/admin/protocol'
import { rejection, startDbHarness, TEST_ENV, type DbHarness } from './db-harness'

type Doc = Record<string, unknown>

const SCHEMA: DatabaseSchema = {
  collections: [
    {
      name: 'users',
      indexes: [
        { name: 'openid_1', keys: { openid: 1 }, unique: true },
        { name: 'phone_1', keys: { 'profile.phone': 1 }, unique: true },
        { name: 'village_1_role_1', keys: { village: 1, role: -1 } },
      ],
    },
    { name: 'pairs', indexes: [{ name: 'a_1_b_1', keys: { a: 1, b: 1 }, unique: true }] },
    { name: 'orders' },
  ],
}

let h: DbHarness

beforeAll(async () => {
  h = await startDbHarness({ schema: SCHEMA })
})
afterAll(async () => {
  await h.close()
})

// wx-server-sdk's typings return unions with void; these narrow the awaited results.
async function list(q: { get(): unknown }): Promise<Doc[]> {
  const r = (await q.get()) as { data: unknown }
  if (!Array.isArray(r.data)) throw new Error('get() did not resolve to a list')
  return r.data as Doc[]
}
async function one(ref: { get(): unknown }): Promise<Doc> {
  const r = (await ref.get()) as { data: Doc }
  return r.data
}
async function addOne(coll: string, data: Doc): Promise<string> {
  const r = (await h.db.collection(coll).add({ data })) as { _id: string }
  return r._id
}
async function addMany(coll: string, data: Doc[]): Promise<string[]> {
  const r = (await h.db.collection(coll).add({ data: data as unknown as Doc })) as unknown as {
    _ids: string[]
  }
  return r._ids
}
async function count(q: { count(): unknown }): Promise<number> {
  return ((await q.count()) as { total: number }).total
}
async function fresh(name: string): Promise<string> {
  await h.db.createCollection(name)
  return name
}
/** Runtime features of db.command that wx-server-sdk 4.0.2's typings leave out. */
type Pipe = { match(q: unknown): Pipe; project(p: unknown): Pipe; done(): unknown[] }
type UntypedCommand = {
  expr(v: unknown): Record<string, unknown>
  geoWithin(o: { centerSphere: unknown }): unknown
  aggregate: { pipeline(): Pipe; eq(v: unknown): unknown }
}
const untyped = (): UntypedCommand => h.db.command as unknown as UntypedCommand
const serverDate = (opts?: { offset: number }): unknown =>
  (h.db.serverDate as (o?: { offset: number }) => unknown)(opts)

/** Calls the service directly with a hand-made body (what a non-SDK client could send). */
async function raw(
  action: string,
  body: Record<string, unknown>,
): Promise<Record<string, unknown>> {
  return h
    .service()
    .handle(action, { action, ...body } as AdminParams, { env: TEST_ENV, requestId: 'raw' })
}
async function rawError(action: string, body: Record<string, unknown>): Promise<AdminError> {
  try {
    await raw(action, body)
  } catch (e) {
    if (e instanceof AdminError) return e
    throw e
  }
  throw new Error(`${action} was expected to fail`)
}

describe('collections', () => {
  it('creates collections, refuses a second create, and answers -502005 for a collection never created', async () => {
    const r = (await h.db.createCollection('made')) as { errMsg: string }
    expect(r.errMsg).toBe('createCollection:ok')
    const again = await rejection(h.db.createCollection('made'))
    // wx-server-sdk's createCollection does not map codes: the TcbError becomes errCode -1.
    expect(again.errCode).toBe(-1)
    expect(again.errMsg).toContain('createCollection:fail [ResourceInUse] Table exist.')

    const missing = h.db.collection('never-created')
    for (const call of [
      missing.get(),
      missing.count(),
      missing.add({ data: { a: 1 } }),
      missing.doc('x').get(),
      missing.doc('x').update({ data: { a: 1 } }),
      missing.where({ a: 1 }).update({ data: { a: 2 } }),
      missing.where({ a: 1 }).remove(),
    ]) {
      const e = await rejection(call as Promise<unknown>)
      expect(e.errCode).toBe(-502005)
      expect(e.errMsg).toContain('database collection not exists')
      expect(e.errMsg).toContain('[ResourceNotFound] Db or Table not exist')
    }
    // aggregate().end() does not map codes in wx-server-sdk: errCode -1, the server's message kept.
    const agg = await rejection(missing.aggregate().match({}).end() as Promise<unknown>)
    expect(agg.errCode).toBe(-1)
    expect(agg.errMsg).toContain(
      'collection.aggregate:fail [ResourceNotFound] Db or Table not exist',
    )
  })

  it('has the schema collections without createCollection', async () => {
    expect(await count(h.db.collection('orders'))).toBe(0)
  })

  it('keeps environments apart, one sqlite file each', async () => {
    await fresh('only-here')
    await addOne('only-here', { a: 1 })
    const other = h.sdk.database({ env: 'other-env' })
    const e = await rejection(other.collection('only-here').get() as Promise<unknown>)
    expect(e.errCode).toBe(-502005)
    expect(await count(other.collection('orders'))).toBe(0) // the schema applies to every environment
    const files = readdirSync(join(h.dataDir, 'database'))
    expect(files).toContain(`${TEST_ENV}.sqlite`)
    expect(files).toContain('other-env.sqlite')
  })
})

describe('add and get', () => {
  it('adds a document with a CloudBase-style _id and reads it back with every value type intact', async () => {
    await fresh('types')
    h.clock.set(new Date('2030-01-02T03:04:05.000Z'))
    const id = await addOne('types', {
      int: 42,
      neg: -7,
      double: 1.5,
      big: 12345678901,
      str: '守护 "quoted" \\ back',
      yes: true,
      nothing: null,
      nested: { deep: { x: [1, { y: 'z' }] } },
      arr: ['a', 2, false],
      when: new Date('2021-06-01T08:00:00.000Z'),
      stamped: serverDate(),
      later: serverDate({ offset: 60_000 }),
    })
    expect(id).toMatch(/^[0-9a-f]{32}$/)
    // The second 8 hex digits carry the emulator clock's unix seconds, as CloudBase ids do.
    expect(parseInt(id.slice(8, 16), 16)).toBe(
      Math.floor(Date.parse('2030-01-02T03:04:05.000Z') / 1000),
    )
    const doc = await one(h.db.collection('types').doc(id))
    expect(doc).toMatchObject({
      _id: id,
      int: 42,
      neg: -7,
      double: 1.5,
      big: 12345678901,
      str: '守护 "quoted" \\ back',
      yes: true,
      nothing: null,
      nested: { deep: { x: [1, { y: 'z' }] } },
      arr: ['a', 2, false],
    })
    expect(doc.when).toBeInstanceOf(Date)
    expect((doc.when as Date).toISOString()).toBe('2021-06-01T08:00:00.000Z')
    // serverDate is resolved on the server with the emulator clock (which keeps running from the set time).
    expect(doc.stamped).toBeInstanceOf(Date)
    const stamped = (doc.stamped as Date).getTime()
    expect(stamped - Date.parse('2030-01-02T03:04:05.000Z')).toBeGreaterThanOrEqual(0)
    expect(stamped - Date.parse('2030-01-02T03:04:05.000Z')).toBeLessThan(5_000)
    expect((doc.later as Date).getTime() - stamped).toBe(60_000)
    h.clock.reset()
  })

  it('answers canonical EJSON on the wire, as CloudBase does', async () => {
    await fresh('wire')
    const id = await addOne('wire', { n: 1, d: 2.5, at: new Date(0) })
    h.captured.length = 0
    await h.db.collection('wire').doc(id).get()
    const answer = h.captured.find((c) => c.action === 'database.getDocument')?.answer as {
      data: { list: string[] }
    }
    expect(JSON.parse(answer.data.list[0] as string)).toEqual({
      _id: id,
      n: { $numberInt: '1' },
      d: { $numberDouble: '2.5' },
      at: { $date: { $numberLong: '0' } },
    })
  })

  it('adds several documents at once, honours given _ids and refuses a duplicate _id', async () => {
    await fresh('batch')
    const ids = await addMany('batch', [{ _id: 'one', v: 1 }, { v: 2 }, { v: 3 }])
    expect(ids).toHaveLength(3)
    expect(ids[0]).toBe('one')
    expect(await count(h.db.collection('batch'))).toBe(3)
    const dup = await rejection(
      h.db.collection('batch').add({ data: { _id: 'one', v: 9 } }) as Promise<unknown>,
    )
    expect(dup.errCode).toBe(-502001)
    expect(dup.errMsg).toContain(
      'E11000 duplicate key error collection: batch index: _id_ dup key: { _id: "one" }',
    )
    expect(await one(h.db.collection('batch').doc('one'))).toEqual({ _id: 'one', v: 1 })
  })

  it('rejects doc().get() of a missing document the way wx-server-sdk does', async () => {
    await fresh('empty')
    const e = await rejection(h.db.collection('empty').doc('nope').get() as Promise<unknown>)
    expect(e.errMsg).toBe('document.get:fail document with _id nope does not exist')
  })

  it('supports numeric document ids and doc().set() create/replace', async () => {
    await fresh('setme')
    const created = (await h.db
      .collection('setme')
      .doc(7)
      .set({ data: { a: 1, b: 2 } })) as {
      _id: number
      stats: { updated: number; created: number }
    }
    expect(created).toMatchObject({ _id: 7, stats: { updated: 0, created: 1 } })
    const replaced = (await h.db
      .collection('setme')
      .doc(7)
      .set({ data: { c: 3 } })) as { stats: { updated: number; created: number } }
    expect(replaced.stats).toEqual({ updated: 1, created: 0 })
    expect(await one(h.db.collection('setme').doc(7))).toEqual({ _id: 7, c: 3 })
    // A string id "7" is another document.
    expect(
      (await rejection(h.db.collection('setme').doc('7').get() as Promise<unknown>)).errMsg,
    ).toContain('does not exist')
  })

  it('projects fields with field()', async () => {
    await fresh('proj')
    const id = await addOne('proj', { a: 1, b: { c: 2, d: 3 }, e: [1, 2, 3, 4] })
    expect(await one(h.db.collection('proj').doc(id).field({ a: true }))).toEqual({ _id: id, a: 1 })
    expect(await list(h.db.collection('proj').field({ 'b.c': true, _id: false }))).toEqual([
      { b: { c: 2 } },
    ])
    expect(await list(h.db.collection('proj').field({ b: false, e: false }))).toEqual([
      { _id: id, a: 1 },
    ])
    const slice = h.db.command.project.slice(2)
    expect(await list(h.db.collection('proj').field({ e: slice, _id: 0 }))).toEqual([{ e: [1, 2] }])
  })
})

describe('queries', () => {
  const people = [
    {
      _id: 'p1',
      name: 'Ann',
      age: 30,
      tags: ['a', 'b'],
      addr: { city: 'Xian', zip: 710000 },
      score: [80, 95],
      at: new Date('2024-01-01T00:00:00Z'),
    },
    {
      _id: 'p2',
      name: 'bob',
      age: 25,
      tags: ['b'],
      addr: { city: 'Beijing', zip: 100000 },
      score: [60],
      at: new Date('2024-02-01T00:00:00Z'),
    },
    {
      _id: 'p3',
      name: 'Cid',
      age: 35,
      tags: [],
      addr: { city: 'Xian', zip: 710001 },
      score: [70, 75, 99],
      at: new Date('2024-03-01T00:00:00Z'),
    },
    {
      _id: 'p4',
      name: 'dan',
      age: null,
      tags: ['c'],
      score: [],
      at: new Date('2024-04-01T00:00:00Z'),
    },
    {
      _id: 'p5',
      name: 'Eve',
      tags: ['a', 'c'],
      addr: { city: 'Shanghai', zip: 200000 },
      score: [88],
      items: [
        { k: 'x', n: 1 },
        { k: 'y', n: 5 },
      ],
    },
  ]
  const ids = async (q: { get(): unknown }) => (await list(q)).map((d) => d._id)

  beforeAll(async () => {
    await fresh('people')
    await addMany('people', people)
  })

  it('compares: eq, neq, lt, lte, gt, gte, in, nin', async () => {
    const _ = h.db.command
    const c = h.db.collection('people')
    expect(await ids(c.where({ age: 30 }))).toEqual(['p1'])
    expect(await ids(c.where({ age: _.eq(25) }))).toEqual(['p2'])
    expect(await ids(c.where({ age: _.neq(30) }))).toEqual(['p2', 'p3', 'p4', 'p5'])
    expect(await ids(c.where({ age: _.lt(30) }))).toEqual(['p2'])
    expect(await ids(c.where({ age: _.lte(30) }))).toEqual(['p1', 'p2'])
    expect(await ids(c.where({ age: _.gt(25) }))).toEqual(['p1', 'p3'])
    expect(await ids(c.where({ age: _.gte(30) }))).toEqual(['p1', 'p3'])
    expect(await ids(c.where({ age: _.in([25, 35]) }))).toEqual(['p2', 'p3'])
    expect(await ids(c.where({ age: _.nin([25, 35]) }))).toEqual(['p1', 'p4', 'p5'])
    expect(await ids(c.where({ age: null }))).toEqual(['p4', 'p5']) // null matches missing too
    expect(
      await ids(
        c.where({
          at: _.gte(new Date('2024-02-01T00:00:00Z')).and(_.lt(new Date('2024-04-01T00:00:00Z'))),
        }),
      ),
    ).toEqual(['p2', 'p3'])
  })

  it('combines: and, or, nor, not, chained commands, several fields', async () => {
    const _ = h.db.command
    const c = h.db.collection('people')
    expect(await ids(c.where({ age: _.gt(20).and(_.lt(31)) }))).toEqual(['p1', 'p2'])
    expect(await ids(c.where({ age: _.lt(26).or(_.gt(34)) }))).toEqual(['p2', 'p3'])
    expect(await ids(c.where(_.or([{ name: 'Ann' }, { 'addr.city': 'Beijing' }])))).toEqual([
      'p1',
      'p2',
    ])
    expect(await ids(c.where(_.and([{ 'addr.city': 'Xian' }, { age: _.gt(30) }])))).toEqual(['p3'])
    expect(await ids(c.where(_.nor([{ 'addr.city': 'Xian' }, { age: null }])))).toEqual(['p2'])
    expect(await ids(c.where({ age: _.not(_.gt(26)) }))).toEqual(['p2', 'p4', 'p5'])
    expect(await ids(c.where({ 'addr.city': 'Xian', age: _.gte(35) }))).toEqual(['p3'])
  })

  it('matches nested fields both as dotted paths and as nested objects', async () => {
    const c = h.db.collection('people')
    expect(await ids(c.where({ 'addr.city': 'Xian' }))).toEqual(['p1', 'p3'])
    expect(await ids(c.where({ addr: { city: 'Xian' } }))).toEqual(['p1', 'p3']) // the SDK flattens it to addr.city
    expect(await ids(c.where({ 'items.k': 'y' }))).toEqual(['p5'])
  })

  it('evaluates array and element operators: element equality, all, size, elemMatch, exists, mod', async () => {
    const _ = h.db.command
    const c = h.db.collection('people')
    expect(await ids(c.where({ tags: 'a' }))).toEqual(['p1', 'p5'])
    expect(await ids(c.where({ tags: _.all(['a', 'c']) }))).toEqual(['p5'])
    expect(await ids(c.where({ tags: _.size(0) }))).toEqual(['p3'])
    expect(await ids(c.where({ score: _.elemMatch(_.gt(90)) }))).toEqual(['p1', 'p3'])
    expect(await ids(c.where({ score: _.elemMatch({ $gte: 90, $lt: 96 }) }))).toEqual(['p1'])
    // The SDK serializes a chained command inside elemMatch as a plain {operator, operands} object,
    // which matches nothing in production either.
    expect(await ids(c.where({ score: _.elemMatch(_.gt(90).and(_.lt(96))) }))).toEqual([])
    expect(await ids(c.where({ items: _.elemMatch({ k: 'y', n: _.gt(3) }) }))).toEqual(['p5'])
    expect(await ids(c.where({ addr: _.exists(false) }))).toEqual(['p4'])
    expect(await ids(c.where({ age: _.mod(10, 5) }))).toEqual(['p2', 'p3'])
  })

  it('matches regular expressions: JS literals and db.RegExp with options', async () => {
    const c = h.db.collection('people')
    expect(await ids(c.where({ name: /^[a-c]/ }))).toEqual(['p2'])
    expect(await ids(c.where({ name: /^[a-c]/i }))).toEqual(['p1', 'p2', 'p3'])
    expect(await ids(c.where({ name: h.db.RegExp({ regexp: 'N$', options: 'i' }) }))).toEqual([
      'p1',
      'p4',
    ])
    expect(
      await ids(c.where({ 'addr.city': h.db.RegExp({ regexp: 'xi', options: 'i' }) })),
    ).toEqual(['p1', 'p3'])
  })

  it('evaluates _.expr with aggregation operators', async () => {
    const _ = h.db.command
    const $ = _.aggregate
    const c = h.db.collection('people')
    expect(await ids(c.where(untyped().expr($.gt([$.size('$score'), 1]))))).toEqual(['p1', 'p3'])
  })

  it('orders, skips and limits', async () => {
    const c = h.db.collection('people')
    expect(await ids(c.orderBy('age', 'desc'))).toEqual(['p3', 'p1', 'p2', 'p4', 'p5'])
    expect(await ids(c.orderBy('age', 'asc'))).toEqual(['p4', 'p5', 'p2', 'p1', 'p3']) // null/missing first
    expect(await ids(c.orderBy('addr.city', 'asc').orderBy('age', 'desc'))).toEqual([
      'p4',
      'p2',
      'p5',
      'p3',
      'p1',
    ])
    expect(await ids(c.orderBy('age', 'desc').skip(1).limit(2))).toEqual(['p1', 'p2'])
    expect(await ids(c.skip(3))).toEqual(['p4', 'p5']) // natural (insertion) order without orderBy
    expect(await count(c.where({ 'addr.city': 'Xian' }))).toBe(2)
    expect(await count(c)).toBe(5)
  })
})

describe('updates', () => {
  it('applies every field update operator the SDK sends', async () => {
    const _ = h.db.command
    await fresh('ops')
    const id = await addOne('ops', {
      n: 10,
      m: 3,
      lo: 5,
      hi: 5,
      old: 'renamed',
      gone: 1,
      obj: { keep: 1, x: 1 },
      replace: { a: 1, b: 2 },
      list: [1, 2, 3, 2],
      set: ['a'],
      q: [1, 2, 3],
      s: [1, 2, 3],
      u: [3],
      pl: [{ k: 1 }, { k: 2 }],
      pa: [1, 2, 3, 1],
    })
    h.clock.set(new Date('2031-05-05T00:00:00.000Z'))
    const r = (await h.db
      .collection('ops')
      .doc(id)
      .update({
        data: {
          n: _.inc(5),
          m: _.mul(4),
          lo: _.min(2),
          hi: _.max(9),
          old: _.rename('fresh'),
          gone: _.remove(),
          obj: { x: 2, y: 3 }, // plain nested object: merged field by field
          replace: _.set({ c: 3 }), // _.set replaces the whole value
          list: _.pull(2),
          set: _.addToSet('a'),
          q: _.pop(),
          s: _.shift(),
          u: _.unshift(1, 2),
          pl: _.pull({ k: 2 }),
          pa: _.pullAll([1, 3]),
          touched: h.db.serverDate(),
          newArr: _.push(['x', 'y']),
        },
      })) as { stats: { updated: number } }
    expect(r.stats.updated).toBe(1)
    const doc = await one(h.db.collection('ops').doc(id))
    expect(doc).toMatchObject({
      n: 15,
      m: 12,
      lo: 2,
      hi: 9,
      fresh: 'renamed',
      obj: { keep: 1, x: 2, y: 3 },
      replace: { c: 3 },
      list: [1, 3],
      set: ['a'],
      q: [1, 2],
      s: [2, 3],
      u: [1, 2, 3],
      pl: [{ k: 1 }],
      pa: [2],
      newArr: ['x', 'y'],
    })
    expect(doc).not.toHaveProperty('old')
    expect(doc).not.toHaveProperty('gone')
    expect((doc.touched as Date).getTime() - Date.parse('2031-05-05T00:00:00.000Z')).toBeLessThan(
      5_000,
    )
    h.clock.reset()
  })

  it('pushes with each/position/slice/sort, pulls by condition, adds sets with $each', async () => {
    const _ = h.db.command
    await fresh('arrays')
    const id = await addOne('arrays', { a: [5, 1], b: [1, 2, 3, 4, 5], c: ['x'] })
    await h.db
      .collection('arrays')
      .doc(id)
      .update({
        data: {
          a: _.push({ each: [9, 3], position: 1, sort: 1, slice: 3 }),
          b: _.pull(_.gt(3)),
          c: _.addToSet({ $each: ['x', 'y', 'z'] }),
        },
      })
    expect(await one(h.db.collection('arrays').doc(id))).toMatchObject({
      a: [1, 3, 5],
      b: [1, 2, 3],
      c: ['x', 'y', 'z'],
    })
  })

  it('updates the matched array element with the positional $', async () => {
    const _ = h.db.command
    await fresh('positional')
    const id = await addOne('positional', {
      items: [
        { sku: 'a', qty: 1 },
        { sku: 'b', qty: 1 },
      ],
    })
    const r = (await h.db
      .collection('positional')
      .where({ 'items.sku': 'b' })
      .update({ data: { 'items.$.qty': _.inc(4) } })) as {
      stats: { updated: number }
    }
    expect(r.stats.updated).toBe(1)
    expect((await one(h.db.collection('positional').doc(id))).items).toEqual([
      { sku: 'a', qty: 1 },
      { sku: 'b', qty: 5 },
    ])
  })

  it('counts only documents that changed, updates many with where(), and removes', async () => {
    const _ = h.db.command
    await fresh('many')
    await addMany(
      'many',
      [1, 2, 3, 4, 5].map((i) => ({ i, even: i % 2 === 0, flag: false })),
    )
    const same = (await h.db
      .collection('many')
      .where({ i: 1 })
      .update({ data: { flag: false } })) as { stats: { updated: number } }
    expect(same.stats.updated).toBe(0) // unchanged documents are not counted
    const r = (await h.db
      .collection('many')
      .where({ even: false })
      .update({ data: { flag: true, i: _.inc(100) } })) as {
      stats: { updated: number }
    }
    expect(r.stats.updated).toBe(3)
    expect(await count(h.db.collection('many').where({ flag: true, i: _.gt(100) }))).toBe(3)
    const removed = (await h.db.collection('many').where({ flag: true }).remove()) as {
      stats: { removed: number }
    }
    expect(removed.stats.removed).toBe(3)
    expect(await count(h.db.collection('many'))).toBe(2)
    const all = await list(h.db.collection('many'))
    const gone = (await h.db
      .collection('many')
      .doc(all[0]?._id as string)
      .remove()) as { stats: { removed: number } }
    expect(gone.stats.removed).toBe(1)
    const none = (await h.db.collection('many').doc('missing').remove()) as {
      stats: { removed: number }
    }
    expect(none.stats.removed).toBe(0)
    const missing = (await h.db
      .collection('many')
      .doc('missing')
      .update({ data: { a: 1 } })) as { stats: { updated: number } }
    expect(missing.stats.updated).toBe(0)
  })

  it('refuses type errors as MongoDB does: $inc on a string, push onto a non-array', async () => {
    const _ = h.db.command
    await fresh('typeerr')
    const id = await addOne('typeerr', { s: 'text', n: 1 })
    const inc = await rejection(
      h.db
        .collection('typeerr')
        .doc(id)
        .update({ data: { s: _.inc(1) } }) as Promise<unknown>,
    )
    expect(inc.errCode).toBe(-502001)
    expect(inc.errMsg).toContain('Cannot apply $inc to a value of non-numeric type')
    const push = await rejection(
      h.db
        .collection('typeerr')
        .doc(id)
        .update({ data: { n: _.push([1]) } }) as Promise<unknown>,
    )
    expect(push.errCode).toBe(-502001)
    expect(await one(h.db.collection('typeerr').doc(id))).toEqual({ _id: id, s: 'text', n: 1 })
  })

  it('finds and modifies with updateAndReturn (via @cloudbase/node-sdk)', async () => {
    await fresh('fam')
    await addMany('fam', [
      { k: 'a', n: 1 },
      { k: 'b', n: 1 },
    ])
    const _ = h.nodeDb.command
    const r = await h.nodeDb
      .collection('fam')
      .where({ k: 'b' })
      .updateAndReturn({ n: _.inc(41) })
    expect(r.updated).toBe(1)
    expect(r.doc).toMatchObject({ k: 'b', n: 42 })
    const none = await h.nodeDb.collection('fam').where({ k: 'zzz' }).updateAndReturn({ n: 1 })
    expect(none.updated).toBe(0)
    expect(none.doc).toBeNull()
  })

  it('round-trips ObjectId values (via @cloudbase/node-sdk)', async () => {
    await fresh('oids')
    const oid = '5f8f097d001dd5170f0b7727'.padEnd(24, '0').slice(0, 24)
    await h.nodeDb.collection('oids').add({ ref: h.nodeDb.ObjectId({ id: oid }), tag: 'x' })
    await h.nodeDb.collection('oids').add({ ref: 'not-an-oid', tag: 'y' })
    h.captured.length = 0
    const found = await list(h.db.collection('oids').where({ tag: 'x' }))
    expect(found).toHaveLength(1)
    const answer = h.captured.find((c) => c.action === 'database.getDocument')?.answer as {
      data: { list: string[] }
    }
    expect(JSON.parse(answer.data.list[0] as string).ref).toEqual({ $oid: oid })
    const byOid = (await raw('database.getDocument', {
      collectionName: 'oids',
      query: JSON.stringify({ ref: { $oid: oid } }),
      limit: 10,
    })) as { data: { list: string[] } }
    expect(byOid.data.list).toHaveLength(1)
  })
})

describe('aggregation', () => {
  beforeAll(async () => {
    await fresh('sales')
    await addMany('sales', [
      { _id: 's1', item: 'apple', qty: 5, price: 3, tags: ['fruit', 'red'], store: 'A' },
      { _id: 's2', item: 'pear', qty: 2, price: 4, tags: ['fruit'], store: 'B' },
      { _id: 's3', item: 'apple', qty: 1, price: 3, tags: ['fruit', 'red'], store: 'B' },
      { _id: 's4', item: 'nut', qty: 10, price: 1, tags: [], store: 'A' },
    ])
    await fresh('stores')
    await addMany('stores', [
      { _id: 'A', city: 'Xian' },
      { _id: 'B', city: 'Hanzhong' },
    ])
  })

  async function agg(
    build: (a: ReturnType<ReturnType<typeof h.db.collection>['aggregate']>) => { end(): unknown },
  ): Promise<Doc[]> {
    const r = (await build(h.db.collection('sales').aggregate()).end()) as { list: Doc[] }
    return r.list
  }

  it('matches, groups with accumulators, sorts, skips, limits, projects', async () => {
    const $ = h.db.command.aggregate
    const _ = h.db.command
    const grouped = await agg((a) =>
      a
        .match({ qty: _.gt(1) })
        .group({
          _id: '$item',
          total: $.sum($.multiply(['$qty', '$price'])),
          n: $.sum(1),
          avgQty: $.avg('$qty'),
          stores: $.addToSet('$store'),
        })
        .sort({ total: -1 }),
    )
    expect(grouped).toEqual([
      { _id: 'apple', total: 15, n: 1, avgQty: 5, stores: ['A'] },
      { _id: 'nut', total: 10, n: 1, avgQty: 10, stores: ['A'] },
      { _id: 'pear', total: 8, n: 1, avgQty: 2, stores: ['B'] },
    ])
    expect(
      await agg((a) =>
        a
          .sort({ qty: 1 })
          .skip(1)
          .limit(2)
          .project({ _id: 0, item: 1, double: $.multiply(['$qty', 2]) }),
      ),
    ).toEqual([
      { item: 'pear', double: 4 },
      { item: 'apple', double: 10 },
    ])
    expect(await agg((a) => a.match({ store: 'A' }).count('n'))).toEqual([{ n: 2 }])
  })

  it('unwinds, sorts by count, buckets, adds fields, replaces the root, samples', async () => {
    const $ = h.db.command.aggregate
    expect(await agg((a) => a.unwind('$tags').sortByCount('$tags'))).toEqual([
      { _id: 'fruit', count: 3 },
      { _id: 'red', count: 2 },
    ])
    expect(
      await agg((a) =>
        a.bucket({
          groupBy: '$qty',
          boundaries: [0, 3, 20],
          default: 'other',
          output: { n: $.sum(1) },
        }),
      ),
    ).toEqual([
      { _id: 0, n: 2 },
      { _id: 3, n: 2 },
    ])
    expect(
      await agg((a) =>
        a
          .match({ _id: 's2' })
          .addFields({ value: $.multiply(['$qty', '$price']) })
          .project({ value: 1 }),
      ),
    ).toEqual([{ _id: 's2', value: 8 }])
    expect(
      await agg((a) => a.match({ _id: 's1' }).replaceRoot({ newRoot: { name: '$item' } })),
    ).toEqual([{ name: 'apple' }])
    expect(await agg((a) => a.sample({ size: 2 }))).toHaveLength(2)
  })

  it('looks up another collection of the same environment (localField and pipeline forms)', async () => {
    const $ = h.db.command.aggregate
    const joined = await agg((a) =>
      a
        .match({ item: 'pear' })
        .lookup({ from: 'stores', localField: 'store', foreignField: '_id', as: 'storeInfo' })
        .project({ item: 1, storeInfo: 1 }),
    )
    expect(joined).toEqual([
      { _id: 's2', item: 'pear', storeInfo: [{ _id: 'B', city: 'Hanzhong' }] },
    ])
    const piped = await agg((a) =>
      a
        .match({ _id: 's1' })
        .lookup({
          from: 'stores',
          let: { s: '$store' },
          pipeline: untyped()
            .aggregate.pipeline()
            .match(untyped().expr($.eq(['$_id', '$$s'])))
            .project({ _id: 0, city: 1 })
            .done(),
          as: 'where',
        })
        .project({ where: 1 }),
    )
    expect(piped).toEqual([{ _id: 's1', where: [{ city: 'Xian' }] }])
    const nowhere = await agg((a) =>
      a
        .match({ _id: 's1' })
        .lookup({ from: 'no-such', localField: 'store', foreignField: '_id', as: 'x' })
        .project({ x: 1 }),
    )
    expect(nowhere).toEqual([{ _id: 's1', x: [] }])
  })
})

describe('geo', () => {
  beforeAll(async () => {
    await fresh('places')
    const P = h.db.Geo.Point
    await addMany('places', [
      { _id: 'bell', loc: P(108.9472, 34.2612) }, // Xi'an Bell Tower
      { _id: 'goose', loc: P(108.964, 34.2197) }, // Big Wild Goose Pagoda, ~5 km south
      { _id: 'bj', loc: P(116.3975, 39.9087) }, // Beijing, ~900 km away
    ])
  })

  it('finds points near a point (nearest first), within a polygon, within a sphere, intersecting', async () => {
    const _ = h.db.command
    const G = h.db.Geo
    const near = await list(
      h.db
        .collection('places')
        .where({ loc: _.geoNear({ geometry: G.Point(108.95, 34.26), maxDistance: 10_000 }) }),
    )
    expect(near.map((d) => d._id)).toEqual(['bell', 'goose'])
    expect(near[0]?.loc).toMatchObject({ longitude: 108.9472, latitude: 34.2612 }) // the SDK turns GeoJSON back into a Point
    const box = G.Polygon([
      G.LineString([
        G.Point(108, 34),
        G.Point(110, 34),
        G.Point(110, 35),
        G.Point(108, 35),
        G.Point(108, 34),
      ]),
    ])
    expect(
      (await list(h.db.collection('places').where({ loc: _.geoWithin({ geometry: box }) }))).map(
        (d) => d._id,
      ),
    ).toEqual(['bell', 'goose'])
    const sphere = await list(
      h.db.collection('places').where({
        loc: untyped().geoWithin({ centerSphere: [[108.9472, 34.2612], 1_000 / 6378100] }),
      }),
    )
    expect(sphere.map((d) => d._id)).toEqual(['bell'])
    expect(
      (
        await list(h.db.collection('places').where({ loc: _.geoIntersects({ geometry: box }) }))
      ).map((d) => d._id),
    ).toEqual(['bell', 'goose'])
  })

  it('runs the $geoNear aggregation stage', async () => {
    const r = (await h.db
      .collection('places')
      .aggregate()
      .geoNear({
        near: h.db.Geo.Point(108.95, 34.26),
        distanceField: 'dist',
        spherical: true,
        maxDistance: 2_000_000,
        key: 'loc',
      })
      .project({ dist: 1 })
      .end()) as { list: Array<{ _id: string; dist: number }> }
    expect(r.list.map((d) => d._id)).toEqual(['bell', 'goose', 'bj'])
    expect(r.list[0]?.dist).toBeLessThan(500)
    expect(r.list[2]?.dist).toBeGreaterThan(800_000)
  })
})

describe('limits', () => {
  it('returns 100 documents by default and at most 1000', async () => {
    await fresh('big')
    const docs = Array.from({ length: 1100 }, (_, i) => ({ i }))
    for (let k = 0; k < docs.length; k += 500) await addMany('big', docs.slice(k, k + 500))
    const c = h.db.collection('big')
    expect(await count(c)).toBe(1100)
    expect(await list(c)).toHaveLength(100)
    expect(await list(c.limit(120))).toHaveLength(120)
    expect(await list(c.limit(1000))).toHaveLength(1000)
    h.captured.length = 0
    expect(await list(c.limit(5000))).toHaveLength(1000)
    expect(h.captured.find((x) => x.action === 'database.getDocument')?.body.limit).toBe(1000) // the SDK clamps
    const page = await list(c.orderBy('i', 'desc').skip(1090))
    expect(page.map((d) => d.i)).toEqual([9, 8, 7, 6, 5, 4, 3, 2, 1, 0])
    // A client that does not clamp still gets at most 1000.
    const rawAnswer = (await raw('database.getDocument', {
      collectionName: 'big',
      query: '{}',
      limit: 5000,
    })) as { data: { list: unknown[] } }
    expect(rawAnswer.data.list).toHaveLength(1000)
  })
})

describe('indexes', () => {
  it('rejects a duplicate on a unique index with MongoDB E11000 text (-502001), leaving data unchanged', async () => {
    await addOne('users', { openid: 'o-1', name: 'first', profile: { phone: '111' } })
    const dup = await rejection(
      h.db
        .collection('users')
        .add({ data: { openid: 'o-1', profile: { phone: '222' } } }) as Promise<unknown>,
    )
    expect(dup.errCode).toBe(-502001)
    expect(dup.errMsg).toContain(
      'E11000 duplicate key error collection: users index: openid_1 dup key: { openid: "o-1" }',
    )
    const dotted = await rejection(
      h.db
        .collection('users')
        .add({ data: { openid: 'o-2', profile: { phone: '111' } } }) as Promise<unknown>,
    )
    expect(dotted.errMsg).toContain('index: phone_1 dup key: { profile.phone: "111" }')
    expect(await count(h.db.collection('users'))).toBe(1)
  })

  it('enforces unique indexes on update and keeps a batch add all-or-nothing', async () => {
    const id = await addOne('users', { openid: 'o-3', profile: { phone: '333' } })
    const e = await rejection(
      h.db
        .collection('users')
        .doc(id)
        .update({ data: { openid: 'o-1' } }) as Promise<unknown>,
    )
    expect(e.errCode).toBe(-502001)
    expect((await one(h.db.collection('users').doc(id))).openid).toBe('o-3')
    const batch = await rejection(
      h.db.collection('users').add({
        data: [
          { openid: 'o-4', profile: { phone: '444' } },
          { openid: 'o-4', profile: { phone: '445' } },
        ] as unknown as Doc,
      }) as Promise<unknown>,
    )
    expect(batch.errCode).toBe(-502001)
    expect(await count(h.db.collection('users').where({ openid: 'o-4' }))).toBe(0)
  })

  it('treats a missing field as null in a unique index (MongoDB semantics): only one document may lack it', async () => {
    await addOne('users', { openid: 'o-5', name: 'no phone' })
    const e = await rejection(
      h.db
        .collection('users')
        .add({ data: { openid: 'o-6', name: 'no phone either' } }) as Promise<unknown>,
    )
    expect(e.errMsg).toContain('index: phone_1 dup key: { profile.phone: null }')
  })

  it('checks compound unique keys as a whole, and allows duplicates in a plain index', async () => {
    await addMany('pairs', [
      { a: 1, b: 1 },
      { a: 1, b: 2 },
      { a: 2, b: 1 },
    ])
    const e = await rejection(
      h.db.collection('pairs').add({ data: { a: 1, b: 2 } }) as Promise<unknown>,
    )
    expect(e.errMsg).toContain('index: a_1_b_1 dup key: { a: 1, b: 2 }')
    expect(await count(h.db.collection('pairs').where({ a: 1, b: 2 }))).toBe(1)
    // Distinct JSON types are distinct keys: "1" is not 1.
    await addOne('pairs', { a: '1', b: 2 })
    await addMany('users', [
      { openid: 'v-1', village: 'v', role: 'x', profile: { phone: 'v1' } },
      { openid: 'v-2', village: 'v', role: 'x', profile: { phone: 'v2' } },
    ])
    expect(await count(h.db.collection('users').where({ village: 'v', role: 'x' }))).toBe(2)
  })

  it('still finds documents whose indexed field holds an array (the index turns multikey)', async () => {
    await addOne('users', { openid: 'arr-1', village: ['p', 'q'], profile: { phone: 'arr' } })
    expect(
      (await list(h.db.collection('users').where({ village: 'q' }))).map((d) => d.openid),
    ).toEqual(['arr-1'])
  })
})

describe('persistence', () => {
  it('keeps data, collections and unique indexes across a service restart', async () => {
    await fresh('durable')
    const id = await addOne('durable', { v: 'kept', at: new Date('2020-02-02T00:00:00Z') })
    await addOne('users', { openid: 'persist-1', profile: { phone: 'p-1' } })
    h.restart()
    const doc = await one(h.db.collection('durable').doc(id))
    expect(doc.v).toBe('kept')
    expect((doc.at as Date).toISOString()).toBe('2020-02-02T00:00:00.000Z')
    const dup = await rejection(
      h.db
        .collection('users')
        .add({ data: { openid: 'persist-1', profile: { phone: 'p-2' } } }) as Promise<unknown>,
    )
    expect(dup.errCode).toBe(-502001)
  })

  it('reset() drops every environment and brings the schema back', async () => {
    const other = h.sdk.database({ env: 'reset-env' })
    await other.createCollection('temp')
    h.service().reset()
    expect(await count(h.db.collection('users'))).toBe(0)
    expect(await count(h.db.collection('orders'))).toBe(0)
    expect((await rejection(h.db.collection('durable').get() as Promise<unknown>)).errCode).toBe(
      -502005,
    )
    expect((await rejection(other.collection('temp').get() as Promise<unknown>)).errCode).toBe(
      -502005,
    )
    expect(existsSync(join(h.dataDir, 'database', `${TEST_ENV}.sqlite`))).toBe(true)
  })
})

describe('bad requests', () => {
  it('answers clear errors and never crashes', async () => {
    await fresh('bad')
    expect((await rawError('database.nonsense', {})).code).toBe('INVALID_ACTION')
    expect((await rawError('database.getDocument', {})).code).toBe('INVALID_PARAM')
    expect(
      (await rawError('database.getDocument', { collectionName: 'bad', query: '{not json' }))
        .message,
    ).toContain('query is not valid EJSON')
    expect(
      (await rawError('database.getDocument', { collectionName: 'bad', query: '{"a":{"$foo":1}}' }))
        .code,
    ).toBe('DATABASE_INVALID_OPERRATOR')
    expect(
      (
        await rawError('database.getDocument', {
          collectionName: 'bad',
          query: '{"$where":"this.a == 1"}',
        })
      ).code,
    ).toBe('DATABASE_REQUEST_FAILED')
    expect(
      (await rawError('database.getDocument', { collectionName: 'bad', query: '[1]' })).code,
    ).toBe('INVALID_PARAM')
    expect(
      (await rawError('database.getDocument', { collectionName: 'bad', limit: -1 })).code,
    ).toBe('INVALID_PARAM')
    expect(
      (await rawError('database.getDocument', { collectionName: 'bad', limit: 'many' })).code,
    ).toBe('INVALID_PARAM')
    expect(
      (await rawError('database.getDocument', { collectionName: 'bad', order: '{"a":2}' })).code,
    ).toBe('INVALID_PARAM')
    expect(
      (
        await rawError('database.modifyDocument', {
          collectionName: 'bad',
          query: '{}',
          data: '{"$frob":{"a":1}}',
        })
      ).code,
    ).toBe('DATABASE_INVALID_OPERRATOR')
    expect(
      (
        await rawError('database.modifyDocument', {
          collectionName: 'bad',
          data: '{"$set":{"a":1}}',
        })
      ).message,
    ).toContain('where()')
    expect(
      (await rawError('database.removeDocument', { collectionName: 'bad', query: '' })).message,
    ).toContain('where()')
    expect(
      (await rawError('database.insertDocument', { collectionName: 'bad', data: [] })).code,
    ).toBe('INVALID_PARAM')
    expect(
      (await rawError('database.insertDocument', { collectionName: 'bad', data: ['{"$bad":1}'] }))
        .code,
    ).toBe('DATABASE_REQUEST_FAILED')
    expect(
      (
        await rawError('database.insertDocument', {
          collectionName: 'bad',
          data: ['{"__proto__":{"x":1}}'],
        })
      ).code,
    ).toBe('INVALID_PARAM')
    expect(
      (
        await rawError('database.insertDocument', {
          collectionName: 'bad',
          data: ['{"a":{"$binary":"x"}}'],
        })
      ).code,
    ).toBe('INVALID_PARAM')
    expect(
      (await rawError('database.aggregateDocuments', { collectionName: 'bad', stages: 'x' })).code,
    ).toBe('INVALID_PARAM')
    expect(
      (
        await rawError('database.aggregateDocuments', {
          collectionName: 'bad',
          stages: [{ stageKey: '$out', stageValue: '"x"' }],
        })
      ).code,
    ).toBe('DATABASE_INVALID_OPERRATOR')
    expect((await rawError('database.commitTransaction', { transactionId: 'nope' })).code).toBe(
      'DATABASE_TRANSACTION_FAIL',
    )
    expect((await rawError('database.addCollection', { collectionName: 'a$b' })).code).toBe(
      'INVALID_PARAM',
    )
    // The service still works afterwards.
    expect(await count(h.db.collection('bad'))).toBe(0)
  })

  it('counts every database action it serves', async () => {
    const before = h.service().stats().calls
    await count(h.db.collection('orders'))
    await list(h.db.collection('orders'))
    expect(h.service().stats().calls - before).toBe(2)
  })
})
