// The `database.*` admin actions: parses what the CloudBase SDK sends, runs it on the environment's engine and answers in CloudBase's shapes.
//
// Behaviour worth knowing (see also the engine modules under ../db):
// - Storage: one SQLite file per environment, `<dataDir>/database/<env>.sqlite`, a table per
//   collection. Collections exist only once created (addCollection or the schema); otherwise
//   DATABASE_COLLECTION_NOT_EXIST (wx-server-sdk errCode -502005).
// - Reads: get() returns 100 documents by default and at most 1000; natural order is insertion order.
// - Indexes come only from the schema. A unique index follows MongoDB: a missing field and null
//   are the same key (null), so at most one document may lack the field; keys compare by JSON
//   type ("1" ≠ 1 ≠ true). A field holding an array is indexed as the whole array (MongoDB would
//   index each element), and marks the index multikey, after which it no longer pre-filters.
//   Violations answer MongoDB's E11000 text as DATABASE_REQUEST_FAILED (-502001).
// - Writes of one request are atomic (a batch add inserts all documents or none).
// - where().update()/remove() need a where() (use where({}) for every document).
// - Transactions: snapshot isolation, buffered writes, first committer wins; the loser's commit
//   answers DATABASE_TRANSACTION_CONFLICT, which @cloudbase/database's runTransaction retries
//   (3 times). Idle transactions expire after 30 s of emulator time (DATABASE_TRANSACTION_FAIL).
// - Aggregation has no implicit limit; $out/$merge are refused; $lookup sees the same environment.

import { existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import type { EmulatorClock } from '../clock'
import { EnvEngine } from '../db/engine'
import {
  type DecodeContext,
  type DocObject,
  type DocValue,
  ObjectId,
  encodeResponse,
  isDocObject,
  parseWireParam,
} from '../db/ejson'
import { DbCode, DbError } from '../db/errors'
import { parseStages } from '../db/pipeline'
import type { SortSpec } from '../db/query'
import { type DatabaseSchema, type IndexDef, normalizeSchema } from '../db/schema'
import { parseUpdate } from '../db/update'
import { AdminError, type AdminContext, type AdminParams } from './protocol'

export type { DatabaseSchema } from '../db/schema'

export interface DatabaseService {
  /** One `database.*` admin action. Returns the response body fields (everything but requestId) exactly as CloudBase returns them; throws AdminError(code, message) for an error response. */
  handle(action: string, params: AdminParams, ctx: AdminContext): Promise<Record<string, unknown>>
  /** Drop all data of every environment, then recreate the schema's collections and indexes. */
  reset(): void
  close(): void
  /** Count of database actions served since start (benchmarks report database calls per request). */
  stats(): { calls: number }
}

/** get() defaults to 100 documents and never returns more than 1000 (the SDK clamps too; raw callers may not). */
export const DEFAULT_LIMIT = 100
export const MAX_LIMIT = 1000

type Handler = (p: Params, env: EnvEngine, dc: DecodeContext) => Record<string, unknown>

export function createDatabaseService(opts: {
  dataDir: string
  clock: EmulatorClock
  schema?: DatabaseSchema
}): DatabaseService {
  const schema: Map<string, IndexDef[]> = normalizeSchema(opts.schema)
  const dir = join(opts.dataDir, 'database')
  const engines = new Map<string, EnvEngine>()
  let calls = 0
  let closed = false

  function engineFor(env: string): EnvEngine {
    let engine = engines.get(env)
    if (!engine) {
      mkdirSync(dir, { recursive: true })
      engine = new EnvEngine(join(dir, `${envFileName(env)}.sqlite`), schema, opts.clock)
      engines.set(env, engine)
    }
    return engine
  }

  function closeAll(): void {
    for (const e of engines.values()) e.close()
    engines.clear()
  }

  return {
    async handle(action, params, ctx) {
      calls++
      try {
        if (closed) throw new DbError(DbCode.SysErr, 'the database service is closed')
        const handler = HANDLERS[action]
        if (!handler)
          throw new DbError(
            DbCode.InvalidAction,
            `action ${action} is not supported by the emulator's database`,
          )
        const env = engineFor(ctx.env || (typeof params.envName === 'string' ? params.envName : ''))
        // One instant per request: every serverDate() in a request resolves to the same time.
        const now = opts.clock.nowMs()
        return handler(new Params(params), env, { now: () => now })
      } catch (e) {
        throw toAdminError(e)
      }
    },

    reset() {
      const open = [...engines.keys()]
      closeAll()
      if (existsSync(dir)) {
        for (const f of readdirSync(dir)) {
          if (/\.sqlite(-wal|-shm|-journal)?$/.test(f)) rmSync(join(dir, f), { force: true })
        }
      }
      // Environments in use get their schema back at once; others get it when first used.
      if (!closed) for (const env of open) engineFor(env)
    },

    close() {
      closed = true
      closeAll()
    },

    stats() {
      return { calls }
    },
  }
}

/** Environment ids become file names; anything outside [A-Za-z0-9_-] is hex-encoded so two ids never share a file. */
function envFileName(env: string): string {
  if (env === '') return '_default'
  if (/^[A-Za-z0-9_-]{1,64}$/.test(env)) return env
  return `x-${Buffer.from(env, 'utf8').toString('hex').slice(0, 200)}`
}

function toAdminError(e: unknown): AdminError {
  if (e instanceof AdminError) return e
  if (e instanceof DbError) return new AdminError(e.code, e.message)
  const message = e instanceof Error ? e.message : String(e)
  return new AdminError(DbCode.SysErr, `database emulator internal error: ${message}`)
}

// --------------------------------------------------------------------------------- params

/** Typed access to the untyped request body; every accessor narrows or throws INVALID_PARAM. */
class Params {
  constructor(private readonly raw: AdminParams) {}

  has(key: string): boolean {
    return this.raw[key] !== undefined && this.raw[key] !== null
  }

  collection(): string {
    const v = this.raw.collectionName
    if (typeof v !== 'string' || v === '') throw DbError.invalidParam('collectionName is required')
    return v
  }

  string(key: string): string | undefined {
    const v = this.raw[key]
    if (v === undefined || v === null || v === '') return undefined
    if (typeof v !== 'string') throw DbError.invalidParam(`${key} must be a string`)
    return v
  }

  requiredString(key: string): string {
    const v = this.string(key)
    if (v === undefined) throw DbError.invalidParam(`${key} is required`)
    return v
  }

  bool(key: string, dflt: boolean): boolean {
    const v = this.raw[key]
    if (v === undefined || v === null) return dflt
    if (typeof v === 'boolean') return v
    if (v === 'true' || v === 'false') return v === 'true'
    throw DbError.invalidParam(`${key} must be a boolean`)
  }

  int(key: string): number | undefined {
    const v = this.raw[key]
    if (v === undefined || v === null || v === '') return undefined
    const n = typeof v === 'string' ? Number(v) : v
    if (typeof n !== 'number' || !Number.isInteger(n))
      throw DbError.invalidParam(`${key} must be an integer`)
    return n
  }

  /** An EJSON parameter decoded to a value; `undefined` when absent. */
  ejson(key: string, dc: DecodeContext): DocValue | undefined {
    const v = this.raw[key]
    if (v === undefined || v === null || v === '') return undefined
    return parseWireParam(v, key, dc)
  }

  object(key: string, dc: DecodeContext): DocObject | undefined {
    const v = this.ejson(key, dc)
    if (v === undefined) return undefined
    if (!isDocObject(v)) throw DbError.invalidParam(`${key} must be an object`)
    return v
  }

  get rawValue(): AdminParams {
    return this.raw
  }
}

function queryOf(p: Params, dc: DecodeContext): DocObject | undefined {
  return p.object('query', dc)
}

/** DOC queries address one document: {_id: <id>}. */
function docQuery(p: Params, dc: DecodeContext): DocObject {
  const q = queryOf(p, dc)
  if (!q || q._id === undefined) throw DbError.invalidParam('a DOC query needs {_id}')
  return q
}

/** where().update()/remove() without a where(): refused rather than touching every document by accident. */
function whereQuery(p: Params, dc: DecodeContext, action: string): DocObject {
  const q = queryOf(p, dc)
  if (!q)
    throw DbError.invalidParam(
      `${action} needs a where() condition (use where({}) to address every document)`,
    )
  return q
}

function parseOrder(p: Params, dc: DecodeContext): SortSpec | undefined {
  const o = p.object('order', dc)
  if (!o) return undefined
  const out: SortSpec = {}
  for (const [k, v] of Object.entries(o)) {
    if (k === '') throw DbError.invalidParam('order field must not be empty')
    if (v === 1 || v === 'asc') out[k] = 1
    else if (v === -1 || v === 'desc') out[k] = -1
    else throw DbError.invalidParam(`order of "${k}" must be 1 or -1`)
  }
  return out
}

function limitOf(p: Params): number {
  const limit = p.int('limit')
  if (limit === undefined || limit === 0) return DEFAULT_LIMIT
  if (limit < 0) throw DbError.invalidParam('limit must not be negative')
  return Math.min(limit, MAX_LIMIT)
}

function offsetOf(p: Params): number {
  const offset = p.int('offset') ?? 0
  if (offset < 0) throw DbError.invalidParam('offset must not be negative')
  return offset
}

/** Ids go back as plain JSON in insertedIds / upsert_id (strings for generated ids). */
function idJson(id: DocValue | undefined): unknown {
  if (id instanceof ObjectId) return id.hex
  if (id instanceof Date) return id.toISOString()
  return id ?? null
}

function insertData(p: Params, dc: DecodeContext): DocValue[] {
  const raw = p.rawValue.data
  const list = Array.isArray(raw) ? raw : raw === undefined ? [] : [raw]
  return list.map((item, i) => parseWireParam(item, `data[${i}]`, dc))
}

// --------------------------------------------------------------------------------- handlers

const HANDLERS: Record<string, Handler> = {
  'database.addCollection': (p, env) => {
    env.createCollection(p.collection())
    return {}
  },

  'database.getDocument': (p, env, dc) => {
    const session = env.session(p.string('transactionId'))
    const isDoc = p.string('queryType') === 'DOC'
    const limit = limitOf(p)
    const offset = offsetOf(p)
    const docs = env.find(session, p.collection(), {
      query: isDoc ? docQuery(p, dc) : queryOf(p, dc),
      order: parseOrder(p, dc),
      offset,
      limit,
      projection: p.object('projection', dc),
    })
    return { data: { list: docs.map(encodeResponse), limit, offset } }
  },

  'database.calculateDocument': (p, env, dc) => {
    const total = env.count(env.session(p.string('transactionId')), p.collection(), queryOf(p, dc))
    return { data: { total } }
  },

  'database.insertDocument': (p, env, dc) => {
    const ids = env.insert(
      env.session(p.string('transactionId')),
      p.collection(),
      insertData(p, dc),
    )
    return { data: { insertedIds: ids.map(idJson) } }
  },

  'database.modifyDocument': (p, env, dc) => {
    const isDoc = p.string('queryType') === 'DOC'
    const query = isDoc ? docQuery(p, dc) : whereQuery(p, dc, 'update')
    const data = p.ejson('data', dc)
    if (data === undefined) throw DbError.invalidParam('data is required')
    const spec = parseUpdate(data, p.bool('merge', true))
    const result = env.update(env.session(p.string('transactionId')), p.collection(), query, spec, {
      multi: p.bool('multi', !isDoc),
      upsert: p.bool('upsert', false),
    })
    return {
      data: {
        updated: result.updated,
        ...(result.upsertedId !== undefined ? { upsert_id: idJson(result.upsertedId) } : {}),
      },
    }
  },

  'database.removeDocument': (p, env, dc) => {
    const isDoc = p.string('queryType') === 'DOC'
    const query = isDoc ? docQuery(p, dc) : whereQuery(p, dc, 'remove')
    const deleted = env.remove(
      env.session(p.string('transactionId')),
      p.collection(),
      query,
      p.bool('multi', !isDoc),
    )
    return { data: { deleted } }
  },

  'database.modifyAndReturnDoc': (p, env, dc) => {
    const query = whereQuery(p, dc, 'updateAndReturn')
    const data = p.ejson('data', dc)
    if (data === undefined) throw DbError.invalidParam('data is required')
    const r = env.findAndModify(
      env.session(p.string('transactionId')),
      p.collection(),
      query,
      parseUpdate(data, true),
    )
    return { data: { updated: r.updated, doc: r.doc ? encodeResponse(r.doc) : null } }
  },

  'database.aggregateDocuments': (p, env, dc) => {
    const list = env.aggregate(p.collection(), parseStages(p.rawValue.stages, dc))
    return { data: { list: list.map(encodeResponse) } }
  },

  'database.startTransaction': (_p, env) => ({ transactionId: env.begin() }),

  'database.commitTransaction': (p, env) => {
    env.commit(p.requiredString('transactionId'))
    return {}
  },

  'database.abortTransaction': (p, env) => {
    env.abort(p.requiredString('transactionId'))
    return {}
  },

  // The older transaction wire (@cloudbase/database's transaction.js): documents addressed by `_id`,
  // counts returned as EJSON strings.
  'database.getInTransaction': (p, env, dc) => {
    const [doc] = env.find(env.session(p.requiredString('transactionId')), p.collection(), {
      query: { _id: legacyId(p, dc) },
      offset: 0,
      limit: 1,
    })
    return { data: doc ? encodeResponse(doc) : 'null' }
  },

  'database.updateDocInTransaction': (p, env, dc) => {
    const data = p.ejson('data', dc)
    if (!isDocObject(data ?? null)) throw DbError.invalidParam('data must be an object')
    const hasOps = Object.keys(data as DocObject).some((k) => k.startsWith('$'))
    const id = legacyId(p, dc)
    const r = env.update(
      env.session(p.requiredString('transactionId')),
      p.collection(),
      { _id: id },
      parseUpdate(data as DocValue, hasOps),
      {
        multi: false,
        upsert: p.bool('upsert', false),
      },
    )
    return {
      updated: JSON.stringify(r.updated),
      ...(r.upsertedId !== undefined
        ? { upserted: JSON.stringify([{ _id: idJson(r.upsertedId) }]) }
        : {}),
    }
  },

  'database.deleteDocInTransaction': (p, env, dc) => {
    const deleted = env.remove(
      env.session(p.requiredString('transactionId')),
      p.collection(),
      { _id: legacyId(p, dc) },
      false,
    )
    return { deleted: JSON.stringify(deleted) }
  },
}

function legacyId(p: Params, dc: DecodeContext): DocValue {
  if (!p.has('_id')) throw DbError.invalidParam('_id is required')
  const raw = p.rawValue._id
  return typeof raw === 'string' || typeof raw === 'number' ? raw : parseWireParam(raw, '_id', dc)
}
