// The database engine below the wire: EJSON codecs, SQL pre-filter plans (do declared indexes get used?), multikey tracking and persistence.

import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { EmulatorClock } from '../../emulator/src/clock'
import { EnvEngine } from '../../emulator/src/db/engine'
import {
  ObjectId,
  encodeResponse,
  fromStorage,
  parseWireParam,
  storageKey,
  toStorage,
} from '../../emulator/src/db/ejson'
import { DbError } from '../../emulator/src/db/errors'
import { planSql } from '../../emulator/src/db/query'
import { normalizeSchema } from '../../emulator/src/db/schema'

const dirs: string[] = []
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true })
})

function engine(dir?: string): { e: EnvEngine; dir: string } {
  const d = dir ?? mkdtempSync(join(tmpdir(), 'db-engine-'))
  if (!dir) dirs.push(d)
  const schema = normalizeSchema({
    collections: [
      {
        name: 'people',
        indexes: [
          { name: 'openid_1', keys: { openid: 1 }, unique: true },
          { name: 'village_1_age_-1', keys: { 'home.village': 1, age: -1 } },
          { name: 'tags_1', keys: { tags: 1 } },
        ],
      },
    ],
  })
  return { e: new EnvEngine(join(d, 'env.sqlite'), schema, new EmulatorClock()), dir: d }
}

const ctx = { now: () => 1_700_000_000_000 }

describe('EJSON', () => {
  it('decodes every wrapper the SDK sends, in canonical and relaxed forms', () => {
    const v = parseWireParam(
      JSON.stringify({
        i: { $numberInt: '-5' },
        l: { $numberLong: '12345678901' },
        d: { $numberDouble: '2.5' },
        nan: { $numberDouble: 'NaN' },
        inf: { $numberDouble: '-Infinity' },
        t1: { $date: { $numberLong: '1000' } },
        t2: { $date: '2020-01-01T00:00:00Z' },
        t3: { $date: 5 },
        o: { $oid: '0123456789ABCDEF01234567' },
        r: { $regularExpression: { pattern: '^a', options: 'im' } },
        s: { $tcb_server_date: { offset: { $numberInt: '1000' } } },
        nested: [{ x: { $numberInt: '1' } }],
        op: { $in: [{ $numberInt: '1' }] },
      }),
      'data',
      ctx,
    )
    expect(v).toEqual({
      i: -5,
      l: 12345678901,
      d: 2.5,
      nan: NaN,
      inf: -Infinity,
      t1: new Date(1000),
      t2: new Date('2020-01-01T00:00:00Z'),
      t3: new Date(5),
      o: new ObjectId('0123456789abcdef01234567'),
      r: /^a/im,
      s: new Date(1_700_000_001_000),
      nested: [{ x: 1 }],
      op: { $in: [1] },
    })
  })

  it('refuses what it cannot represent, naming the place', () => {
    const bad = (text: string) => {
      try {
        parseWireParam(text, 'data', ctx)
      } catch (e) {
        expect(e).toBeInstanceOf(DbError)
        return (e as DbError).message
      }
      throw new Error('expected a failure')
    }
    expect(bad('{"a":[{"b":{"$binary":"x"}}]}')).toBe(
      'data.a[0].b: BSON type $binary is not supported by the emulator',
    )
    expect(bad('{"a":{"$oid":"xyz"}}')).toBe('data.a: $oid must be 24 hex characters')
    expect(bad('{"a":{"$regularExpression":{"pattern":"a","options":"x"}}}')).toContain(
      'option "x" is not supported',
    )
    expect(bad('{"a":{"$date":"not a date"}}')).toBe('data.a: invalid date')
    expect(bad('{"__proto__":{"polluted":true}}')).toContain('"__proto__" is not allowed')
    expect(bad('{oops')).toBe('data is not valid EJSON')
  })

  it('answers canonical EJSON and stores a compact form that round-trips', () => {
    const doc = {
      _id: 'x',
      n: 1,
      big: 2 ** 40,
      f: 0.5,
      neg0: -0,
      when: new Date(7),
      o: new ObjectId('0123456789abcdef01234567'),
      r: /a/i,
      nan: NaN,
    }
    expect(JSON.parse(encodeResponse(doc))).toEqual({
      _id: 'x',
      n: { $numberInt: '1' },
      big: { $numberLong: String(2 ** 40) },
      f: { $numberDouble: '0.5' },
      neg0: { $numberDouble: '-0.0' },
      when: { $date: { $numberLong: '7' } },
      o: { $oid: '0123456789abcdef01234567' },
      r: { $regularExpression: { pattern: 'a', options: 'i' } },
      nan: { $numberDouble: 'NaN' },
    })
    const back = fromStorage(toStorage(doc))
    expect(back).toEqual({ ...doc, neg0: 0 })
    // The storage key of a value is the JSON text SQLite extracts for it.
    expect(storageKey('a"b')).toBe('"a\\"b"')
    expect(storageKey(undefined)).toBe('null')
    expect(storageKey(new Date(3))).toBe('{"$date":3}')
  })
})

describe('SQL pre-filter plans', () => {
  it('uses declared indexes for equality and $in, the _id key for _id, and scans otherwise', () => {
    const { e } = engine()
    const info = e.store.requireCollection('people')
    const plan = (q: Record<string, unknown>) => {
      const where = planSql(info, q as never)
      if (!where) return 'no filter'
      return e.store.explain(info, where)
    }
    expect(plan({ openid: 'o1' })).toMatch(/USING INDEX ix_/)
    expect(plan({ openid: { $in: ['o1', 'o2'] } })).toMatch(/USING INDEX ix_/)
    expect(plan({ 'home.village': 'v', age: { $gt: 3 } })).toMatch(/USING INDEX ix_/)
    expect(plan({ $and: [{ openid: { $eq: 'o1' } }, { name: 'x' }] })).toMatch(/USING INDEX ix_/)
    expect(plan({ _id: 'abc' })).toMatch(/USING INDEX sqlite_autoindex/)
    expect(plan({ name: 'x' })).toMatch(/^SCAN/)
    expect(plan({ age: { $gt: 3 } })).toBe('no filter') // ranges of numbers are left to mingo
    // A date upper bound on an indexed path is checked in SQL, as a number, before JS parses a document.
    const upTo = planSql(info, { 'home.village': 'v', age: { $lte: new Date(5) } } as never)
    expect(upTo?.sql).toContain(`json_extract(doc, '$."age"."$date"') <= ?`)
    expect(upTo?.params).toContain(5)
    expect(plan({ $or: [{ openid: 'a' }, { openid: 'b' }] })).toBe('no filter')
    expect(planSql(info, { openid: 'a', $and: [{ openid: 'b' }] } as never)).toEqual({
      sql: '0',
      params: [],
    })
  })

  it('turns an index multikey when an array appears along its path, persists that, and still finds array elements', () => {
    const { e, dir } = engine()
    const s = e.session(undefined)
    const info = () => e.store.requireCollection('people')
    e.insert(s, 'people', [{ openid: 'a', tags: 'solo' }])
    expect(info().indexes.find((i) => i.name === 'tags_1')?.multikey).toBe(false)
    expect(e.store.explain(info(), planSql(info(), { tags: 'x' }) as never)).toMatch(/USING INDEX/)
    e.insert(s, 'people', [{ openid: 'b', tags: ['x', 'y'] }])
    expect(info().indexes.find((i) => i.name === 'tags_1')?.multikey).toBe(true)
    expect(
      e.find(s, 'people', { query: { tags: 'y' }, offset: 0, limit: 10 }).map((d) => d.openid),
    ).toEqual(['b'])
    expect(info().indexes.find((i) => i.name === 'openid_1')?.multikey).toBe(false)
    e.close()
    const reopened = engine(dir).e
    expect(
      reopened.store.requireCollection('people').indexes.find((i) => i.name === 'tags_1')?.multikey,
    ).toBe(true)
    reopened.close()
  })

  it('keeps pre-filtered unindexed equality a superset: arrays along the path still match', () => {
    const { e } = engine()
    const s = e.session(undefined)
    e.insert(s, 'people', [
      { openid: '1', pets: [{ kind: 'cat' }, { kind: 'dog' }] },
      { openid: '2', pets: { kind: 'dog' } },
      { openid: '3', pets: { kind: ['bird', 'dog'] } },
      { openid: '4', pets: { kind: 'cat' } },
    ])
    const found = e.find(s, 'people', { query: { 'pets.kind': 'dog' }, offset: 0, limit: 10 })
    expect(found.map((d) => d.openid)).toEqual(['1', '2', '3'])
    expect(e.count(s, 'people', { 'pets.kind': null })).toBe(0)
    // The substring pre-check compares JSON texts: escapes, unicode, dates and numbers must agree.
    const note = 'say "hi" \\ 中文\n\u0001'
    e.insert(s, 'people', [{ openid: '5', note, at: new Date(1234), n: -0, tags2: [note] }])
    expect(e.count(s, 'people', { note })).toBe(1)
    expect(e.count(s, 'people', { tags2: note })).toBe(1)
    expect(e.count(s, 'people', { at: new Date(1234) })).toBe(1)
    expect(e.count(s, 'people', { n: 0 })).toBe(1)
    expect(e.count(s, 'people', { n: { $in: [7, 0] } })).toBe(1)
    e.close()
  })

  it('rebuilds indexes when the schema changes and refuses one that existing data violates', () => {
    const { e, dir } = engine()
    const s = e.session(undefined)
    e.insert(s, 'people', [
      { openid: 'a', name: 'same' },
      { openid: 'b', name: 'same' },
    ])
    e.close()
    const withName = normalizeSchema({
      collections: [
        { name: 'people', indexes: [{ name: 'name_1', keys: { name: 1 }, unique: true }] },
      ],
    })
    expect(() => new EnvEngine(join(dir, 'env.sqlite'), withName, new EmulatorClock())).toThrow(
      /cannot create index "name_1"/,
    )
    const plain = normalizeSchema({
      collections: [{ name: 'people', indexes: [{ name: 'name_1', keys: { name: 1 } }] }],
    })
    const e2 = new EnvEngine(join(dir, 'env.sqlite'), plain, new EmulatorClock())
    expect(e2.store.requireCollection('people').indexes.map((i) => i.name)).toEqual(['name_1'])
    // openid_1 is gone with the schema that declared it: duplicates are accepted now.
    e2.insert(e2.session(undefined), 'people', [{ openid: 'a' }])
    expect(e2.count(e2.session(undefined), 'people', { openid: 'a' })).toBe(2)
    e2.close()
  })

  it('validates the schema it is given', () => {
    expect(() => normalizeSchema({ collections: [{ name: 'a$b' }] })).toThrow(/must not contain/)
    expect(() => normalizeSchema({ collections: [{ name: 'a' }, { name: 'a' }] })).toThrow(
      /declared twice/,
    )
    expect(() =>
      normalizeSchema({ collections: [{ name: 'a', indexes: [{ name: 'x', keys: {} }] }] }),
    ).toThrow(/no keys/)
    expect(() =>
      normalizeSchema({
        collections: [{ name: 'a', indexes: [{ name: 'x', keys: { "b'; DROP TABLE x; --": 1 } }] }],
      }),
    ).toThrow(/not a plain dotted field path/)
  })
})
