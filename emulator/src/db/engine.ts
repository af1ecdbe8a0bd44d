// One environment's database operations (find, count, insert, update, remove, find-and-modify, aggregate, transactions) over its SQLite store.

import { randomBytes } from 'node:crypto'
import type { EmulatorClock } from '../clock'
import {
  type DocObject,
  type DocValue,
  ObjectId,
  cloneValue,
  fromStorage,
  isDocObject,
  storageKey,
  toStorage,
} from './ejson'
import { DbCode, DbError } from './errors'
import { hasArrayAlongPath, keyAtPath } from './paths'
import {
  type CompiledQuery,
  type SortSpec,
  compileQuery,
  planSql,
  projectDocs,
  runPipeline,
  sortByDistance,
  sortDocs,
} from './query'
import type { IndexDef } from './schema'
import { type CollectionInfo, EnvStore, type SqlWhere, type StoredIndex } from './store'
import { type Transaction, TransactionManager } from './transactions'
import { type UpdateSpec, applyUpdate, validateFieldNames } from './update'

/** One document change: insert (before null), replace (both), delete (after null). */
type Change = {
  info: CollectionInfo
  idKey: string
  before: DocObject | null
  after: DocObject | null
}

/** Where reads come from and writes go: straight to SQLite, or through a transaction's snapshot and buffer. */
export interface Session {
  readonly tx: Transaction | null
  scan(info: CollectionInfo, where: SqlWhere | null, visit: (doc: DocObject) => boolean): void
  get(info: CollectionInfo, idKey: string): DocObject | null
  write(changes: Change[]): void
}

export type FindSpec = {
  query?: DocValue
  order?: SortSpec
  offset: number
  limit: number
  projection?: DocObject
}

export type UpdateResult = { updated: number; upsertedId?: DocValue }

// CloudBase _ids are 32 hex chars: 8 random, 8 of unix seconds, 8 of a per-process counter, 8 random
// (e.g. "2c9645925f8f097d001dd5170f0b7727"). Random bytes come from a pool: one crypto call per
// id made bulk inserts syscall-bound.
let idCounter = randomBytes(3).readUIntBE(0, 3)
let pool = Buffer.alloc(0)
let poolAt = 0

function randomHex8(): string {
  if (poolAt + 4 > pool.length) {
    pool = randomBytes(4096)
    poolAt = 0
  }
  const hex = pool.toString('hex', poolAt, poolAt + 4)
  poolAt += 4
  return hex
}

function newId(nowMs: number): string {
  idCounter = (idCounter + 1) % 0x1000000
  const secs = Math.floor(nowMs / 1000) >>> 0
  return (
    randomHex8() +
    secs.toString(16).padStart(8, '0') +
    idCounter.toString(16).padStart(8, '0') +
    randomHex8()
  )
}

function validId(id: DocValue | undefined): id is string | number | ObjectId | Date | boolean {
  return (
    typeof id === 'string' ||
    (typeof id === 'number' && Number.isFinite(id)) ||
    id instanceof ObjectId ||
    id instanceof Date ||
    typeof id === 'boolean'
  )
}

export class EnvEngine {
  readonly store: EnvStore
  readonly txns: TransactionManager

  constructor(
    file: string,
    schema: Map<string, IndexDef[]>,
    private readonly clock: EmulatorClock,
  ) {
    this.store = new EnvStore(file, schema)
    this.txns = new TransactionManager(() => clock.nowMs())
  }

  close(): void {
    this.txns.abortAll()
    this.store.close()
  }

  createCollection(name: string): void {
    this.store.createCollection(name)
  }

  // ------------------------------------------------------------------ sessions

  session(transactionId: string | undefined): Session {
    if (transactionId === undefined) return this.direct
    const tx = this.txns.get(transactionId)
    return this.txSession(tx)
  }

  private readonly direct: Session = {
    tx: null,
    scan: (info, where, visit) => this.store.scan(info, where, (text) => visit(fromStorage(text))),
    get: (info, idKey) => {
      const text = this.store.getById(info, idKey)
      return text === undefined ? null : fromStorage(text)
    },
    write: (changes) => this.applyChanges(changes),
  }

  private txSession(tx: Transaction): Session {
    const txns = this.txns
    return {
      tx,
      scan: (info, where, visit) => {
        // Rows whose committed state differs from the snapshot are replaced by the snapshot version.
        // Buffered and history versions are shared, so callers get copies.
        const overlay = txns.overlayKeys(tx, info.name)
        let stopped = false
        this.store.scan(info, where, (text, idKey) => {
          if (overlay.has(idKey)) return true
          if (visit(fromStorage(text))) return true
          stopped = true
          return false
        })
        if (stopped) return
        for (const idKey of overlay) {
          const v = txns.visible(tx, info.name, idKey)
          const doc = v.known ? v.doc : null
          if (doc && !visit(cloneValue(doc))) return
        }
      },
      get: (info, idKey) => {
        const v = txns.visible(tx, info.name, idKey)
        if (v.known) return v.doc ? cloneValue(v.doc) : null
        const text = this.store.getById(info, idKey)
        return text === undefined ? null : fromStorage(text)
      },
      write: (changes) => {
        for (const c of changes) txns.bufferWrite(tx, c.info.name, c.idKey, c.after)
      },
    }
  }

  // ------------------------------------------------------------------ reads

  find(session: Session, coll: string, spec: FindSpec): DocObject[] {
    const info = this.store.requireCollection(coll)
    const compiled = compileQuery(spec.query)
    const sorted =
      (spec.order !== undefined && Object.keys(spec.order).length > 0) || compiled.near !== null
    // Without a sort the natural order lets the scan stop as soon as the page is full.
    const stopAt = sorted ? Infinity : spec.offset + spec.limit
    let docs = this.matching(session, info, spec.query, compiled, stopAt)
    if (spec.order !== undefined && Object.keys(spec.order).length > 0)
      docs = sortDocs(docs, spec.order)
    else if (compiled.near) docs = sortByDistance(docs, compiled.near)
    docs = docs.slice(spec.offset, spec.offset + spec.limit)
    return spec.projection && Object.keys(spec.projection).length
      ? projectDocs(docs, spec.projection)
      : docs
  }

  count(session: Session, coll: string, query: DocValue | undefined): number {
    const info = this.store.requireCollection(coll)
    const compiled = compileQuery(query)
    if (compiled.matchesAll && session.tx === null) return this.store.countAll(info)
    let n = 0
    session.scan(info, planSql(info, query), (doc) => {
      if (compiled.test(doc)) n++
      return true
    })
    return n
  }

  private matching(
    session: Session,
    info: CollectionInfo,
    query: DocValue | undefined,
    compiled: CompiledQuery,
    stopAt: number,
  ): DocObject[] {
    const out: DocObject[] = []
    if (stopAt <= 0) return out
    session.scan(info, planSql(info, query), (doc) => {
      if (!compiled.test(doc)) return true
      out.push(doc)
      return out.length < stopAt
    })
    return out
  }

  // ------------------------------------------------------------------ writes

  insert(session: Session, coll: string, docs: DocValue[]): DocValue[] {
    const info = this.store.requireCollection(coll)
    if (docs.length === 0) throw DbError.invalidParam('insert needs at least one document')
    const changes: Change[] = []
    const seen = new Set<string>()
    const now = this.clock.nowMs()
    for (const [i, raw] of docs.entries()) {
      if (!isDocObject(raw)) throw DbError.invalidParam(`data[${i}] must be an object`)
      const id = raw._id === undefined ? newId(now) : raw._id
      if (!validId(id))
        throw DbError.invalidParam(`data[${i}]._id must be a string, number or ObjectId`)
      const doc: DocObject = { _id: id }
      for (const [k, v] of Object.entries(raw)) if (k !== '_id') doc[k] = v
      validateFieldNames(doc, `data[${i}]`)
      const idKey = storageKey(id)
      // Inside a transaction duplicates are caught here (SQLite only sees the writes at commit).
      if (seen.has(idKey) || (session.tx && session.get(info, idKey))) {
        throw DbError.duplicateKey(coll, '_id_', `{ _id: ${idKey} }`)
      }
      seen.add(idKey)
      changes.push({ info, idKey, before: null, after: doc })
    }
    session.write(changes)
    return changes.map((c) => c.after?._id as DocValue)
  }

  /**
   * where().update() / doc().update() / doc().set(): updates the first or all matching documents;
   * with upsert and no match, inserts the document the query and update describe.
   */
  update(
    session: Session,
    coll: string,
    query: DocObject,
    spec: UpdateSpec,
    opts: { multi: boolean; upsert: boolean },
  ): UpdateResult {
    const info = this.store.requireCollection(coll)
    const compiled = compileQuery(query)
    const targets = this.matching(
      session,
      info,
      query,
      compiled,
      opts.multi && spec.kind === 'operators' ? Infinity : 1,
    )
    const now = this.clock.now()
    if (targets.length === 0) {
      if (!opts.upsert) return { updated: 0 }
      const base = upsertBase(query)
      if (base._id === undefined) base._id = newId(now.getTime())
      if (!validId(base._id))
        throw DbError.invalidParam('upsert: _id must be a string, number or ObjectId')
      const { doc } = applyUpdate(base, spec, query, now)
      const idKey = storageKey(doc._id)
      session.write([{ info, idKey, before: null, after: doc }])
      return { updated: 0, upsertedId: doc._id }
    }
    const changes: Change[] = []
    for (const t of targets) {
      const { doc, changed } = applyUpdate(t, spec, query, now)
      if (changed) changes.push({ info, idKey: storageKey(t._id), before: t, after: doc })
    }
    if (changes.length) session.write(changes)
    return { updated: changes.length }
  }

  remove(session: Session, coll: string, query: DocObject, multi: boolean): number {
    const info = this.store.requireCollection(coll)
    const targets = this.matching(session, info, query, compileQuery(query), multi ? Infinity : 1)
    if (targets.length)
      session.write(
        targets.map((t) => ({ info, idKey: storageKey(t._id), before: t, after: null })),
      )
    return targets.length
  }

  /** updateAndReturn(): updates the first matching document and returns it as updated. */
  findAndModify(
    session: Session,
    coll: string,
    query: DocObject,
    spec: UpdateSpec,
  ): { updated: number; doc: DocObject | null } {
    const info = this.store.requireCollection(coll)
    const [target] = this.matching(session, info, query, compileQuery(query), 1)
    if (!target) return { updated: 0, doc: null }
    const { doc, changed } = applyUpdate(target, spec, query, this.clock.now())
    if (changed)
      session.write([{ info, idKey: storageKey(target._id), before: target, after: doc }])
    return { updated: changed ? 1 : 0, doc }
  }

  aggregate(coll: string, pipeline: DocObject[]): unknown[] {
    const info = this.store.requireCollection(coll)
    // A leading $match narrows what is loaded, through the same SQL pre-filter as find().
    const first = pipeline[0]
    const where = first && isDocObject(first.$match ?? null) ? planSql(info, first.$match) : null
    const docs = this.loadAll(info, where)
    const resolver = (name: string): DocObject[] => {
      const other = this.store.collection(name)
      return other ? this.loadAll(other, null) : [] // MongoDB joins a missing collection as empty
    }
    return runPipeline(docs, pipeline, resolver)
  }

  private loadAll(info: CollectionInfo, where: SqlWhere | null): DocObject[] {
    const docs: DocObject[] = []
    this.store.scan(info, where, (text) => {
      docs.push(fromStorage(text))
      return true
    })
    return docs
  }

  // ------------------------------------------------------------------ transactions

  begin(): string {
    return this.txns.begin().id
  }

  commit(transactionId: string): void {
    const tx = this.txns.get(transactionId)
    try {
      this.txns.checkConflicts(tx)
    } catch (e) {
      this.txns.end(tx) // a conflicting transaction is over; runTransaction starts a new one
      throw e
    }
    const changes: Change[] = []
    for (const [coll, byId] of tx.writes) {
      const info = this.store.requireCollection(coll)
      for (const [idKey, after] of byId) {
        const text = this.store.getById(info, idKey)
        const before = text === undefined ? null : fromStorage(text)
        if (before === null && after === null) continue
        changes.push({ info, idKey, before, after })
      }
    }
    // End first: the transaction's own changes need no before images for itself.
    this.txns.end(tx)
    if (changes.length) this.applyChanges(changes)
  }

  abort(transactionId: string): void {
    this.txns.end(this.txns.get(transactionId))
  }

  // ------------------------------------------------------------------ applying changes

  /** Applies changes atomically, translating SQLite constraint failures into MongoDB duplicate-key errors. */
  private applyChanges(changes: Change[]): void {
    const flips: Array<{ info: CollectionInfo; ix: StoredIndex }> = []
    this.store.tx(() => {
      for (const c of changes) {
        try {
          if (c.after === null) this.store.delete(c.info, c.idKey)
          else if (c.before === null) this.store.insert(c.info, c.idKey, toStorage(c.after))
          else this.store.update(c.info, c.idKey, toStorage(c.after))
        } catch (e) {
          throw this.translateWriteError(e, c)
        }
        if (c.after) {
          for (const ix of c.info.indexes) {
            if (ix.multikey || flips.some((f) => f.ix === ix)) continue
            if (ix.paths.some((p) => hasArrayAlongPath(c.after as DocObject, p))) {
              this.store.persistMultikey(c.info, ix)
              flips.push({ info: c.info, ix })
            }
          }
        }
      }
    })
    for (const f of flips) f.ix.multikey = true
    this.txns.recordCommit(
      changes.map((c) => ({ coll: c.info.name, idKey: c.idKey, before: c.before })),
    )
  }

  private translateWriteError(e: unknown, c: Change): Error {
    const code = (e as { code?: unknown }).code
    const message = e instanceof Error ? e.message : String(e)
    if (code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY') {
      const m = /index '([^']+)'/.exec(message)
      const ix = m ? this.store.indexBySqlName(c.info, m[1] as string) : undefined
      if (ix && c.after) {
        const key = ix.paths.map((p) => `${p}: ${keyAtPath(c.after as DocObject, p)}`).join(', ')
        return DbError.duplicateKey(c.info.name, ix.name, `{ ${key} }`)
      }
      return DbError.duplicateKey(c.info.name, '_id_', `{ _id: ${c.idKey} }`)
    }
    if (e instanceof DbError) return e
    return new DbError(DbCode.SysErr, `database write failed: ${message}`)
  }
}

/** Document an upsert starts from: the query's _id and top-level equality fields (MongoDB's rule, simplified). */
function upsertBase(query: DocObject): DocObject {
  const base: DocObject = {}
  for (const [k, v] of Object.entries(query)) {
    if (k.startsWith('$')) continue
    let value: DocValue | undefined = v
    if (isDocObject(v) && Object.keys(v).some((x) => x.startsWith('$'))) value = v.$eq
    if (value === undefined || value instanceof RegExp) continue
    setPath(base, k, value)
  }
  return base
}

function setPath(doc: DocObject, path: string, value: DocValue): void {
  const parts = path.split('.')
  let cur: DocObject = doc
  for (const p of parts.slice(0, -1)) {
    const next = cur[p]
    if (isDocObject(next ?? null)) cur = next as DocObject
    else cur = cur[p] = {}
  }
  cur[parts[parts.length - 1] as string] = value
}
