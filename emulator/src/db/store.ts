// One environment's SQLite file: a table per collection, schema-managed expression indexes, and raw row reads and writes.

import { createHash } from 'node:crypto'
import Database from 'better-sqlite3'
import { DbError } from './errors'
import { type IndexDef, validateCollectionName } from './schema'
import { arrayAlongPathExpr, keyExpr } from './paths'

/** A declared index as it exists in this file. `multikey` turns true once any document has an array along one of its paths. */
export type StoredIndex = IndexDef & { sqlName: string; multikey: boolean }

export type CollectionInfo = {
  name: string
  table: string
  indexes: StoredIndex[]
}

/** A WHERE fragment over the `doc`/`id` columns with its bound parameters. */
export type SqlWhere = { sql: string; params: Array<string | number> }

type Stmt = Database.Statement<unknown[], unknown>

type IndexSpecRow = { paths: string[]; directions: Array<1 | -1>; unique: boolean }

const STMT_CACHE_MAX = 512

export class EnvStore {
  private readonly db: Database.Database
  private readonly collections = new Map<string, CollectionInfo>()
  private readonly stmts = new Map<string, Stmt>()

  constructor(
    readonly file: string,
    schema: Map<string, IndexDef[]>,
  ) {
    this.db = new Database(file)
    // WAL keeps readers and the single writer cheap; NORMAL sync is durable across process crashes,
    // which is all a local emulator needs (an OS crash may lose the last transactions).
    this.db.pragma('journal_mode = WAL')
    this.db.pragma('synchronous = NORMAL')
    // A larger page cache keeps 100k-document collections and their indexes in memory.
    this.db.pragma('cache_size = -65536')
    this.db.pragma('temp_store = MEMORY')
    this.db.exec(`
      CREATE TABLE IF NOT EXISTS _collections (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE);
      CREATE TABLE IF NOT EXISTS _indexes (
        coll_id INTEGER NOT NULL, name TEXT NOT NULL, spec TEXT NOT NULL,
        sql_name TEXT NOT NULL UNIQUE, multikey INTEGER NOT NULL DEFAULT 0,
        PRIMARY KEY (coll_id, name));
    `)
    this.load()
    this.applySchema(schema)
  }

  close(): void {
    this.stmts.clear()
    if (this.db.open) this.db.close()
  }

  // ------------------------------------------------------------------ collections

  collection(name: string): CollectionInfo | undefined {
    return this.collections.get(name)
  }

  /** The collection, or the -502005 error production gives for a collection that was never created. */
  requireCollection(name: string): CollectionInfo {
    const info = this.collections.get(name)
    if (!info) throw DbError.collectionNotExist(name)
    return info
  }

  collectionNames(): string[] {
    return [...this.collections.keys()]
  }

  createCollection(name: string): CollectionInfo {
    const problem = validateCollectionName(name)
    if (problem) throw DbError.invalidParam(problem)
    if (this.collections.has(name)) throw DbError.collectionExists(name)
    return this.tx(() => this.createCollectionRow(name))
  }

  private createCollectionRow(name: string): CollectionInfo {
    const res = this.db.prepare('INSERT INTO _collections (name) VALUES (?)').run(name)
    const table = `c_${Number(res.lastInsertRowid)}`
    // rid gives the natural (insertion) order MongoDB returns without a sort; id is the _id's storage key.
    this.db.exec(
      `CREATE TABLE ${table} (rid INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, doc TEXT NOT NULL)`,
    )
    const info: CollectionInfo = { name, table, indexes: [] }
    this.collections.set(name, info)
    return info
  }

  private load(): void {
    const colls = this.db.prepare('SELECT id, name FROM _collections ORDER BY id').all() as Array<{
      id: number
      name: string
    }>
    const idx = this.db
      .prepare('SELECT coll_id, name, spec, sql_name, multikey FROM _indexes')
      .all() as Array<{
      coll_id: number
      name: string
      spec: string
      sql_name: string
      multikey: number
    }>
    for (const c of colls) {
      const info: CollectionInfo = { name: c.name, table: `c_${c.id}`, indexes: [] }
      for (const row of idx.filter((r) => r.coll_id === c.id)) {
        const spec = JSON.parse(row.spec) as IndexSpecRow
        info.indexes.push({
          name: row.name,
          ...spec,
          sqlName: row.sql_name,
          multikey: row.multikey === 1,
        })
      }
      this.collections.set(c.name, info)
    }
  }

  /**
   * Makes the file match the declared schema: creates missing collections, creates/rebuilds declared
   * indexes, drops indexes no longer declared (indexes exist only through the schema, like the
   * console-managed production ones). Collections outside the schema are left alone.
   */
  private applySchema(schema: Map<string, IndexDef[]>): void {
    this.tx(() => {
      for (const [name, defs] of schema) {
        const info = this.collections.get(name) ?? this.createCollectionRow(name)
        const collId = Number(info.table.slice(2))
        for (const existing of [...info.indexes]) {
          const wanted = defs.find((d) => d.name === existing.name)
          if (wanted && sameSpec(wanted, existing)) continue
          this.db.exec(`DROP INDEX IF EXISTS ${existing.sqlName}`)
          this.db
            .prepare('DELETE FROM _indexes WHERE coll_id = ? AND name = ?')
            .run(collId, existing.name)
          info.indexes = info.indexes.filter((i) => i !== existing)
        }
        for (const def of defs) {
          if (info.indexes.some((i) => i.name === def.name)) continue
          info.indexes.push(this.createIndex(info, collId, def))
        }
      }
    })
  }

  private createIndex(info: CollectionInfo, collId: number, def: IndexDef): StoredIndex {
    const sqlName = `ix_${collId}_${createHash('sha1').update(def.name).digest('hex').slice(0, 12)}`
    const exprs = def.paths.map(
      (p, i) => `${keyExpr(p) as string}${def.directions[i] === -1 ? ' DESC' : ''}`,
    )
    try {
      this.db.exec(
        `CREATE ${def.unique ? 'UNIQUE ' : ''}INDEX ${sqlName} ON ${info.table} (${exprs.join(', ')})`,
      )
    } catch (e) {
      throw new Error(
        `database: cannot create index "${def.name}" on "${info.name}" (existing documents violate it?): ${(e as Error).message}`,
        { cause: e },
      )
    }
    const arrays = def.paths.map((p) => arrayAlongPathExpr(p) as string).join(' OR ')
    const multikey =
      this.db.prepare(`SELECT 1 FROM ${info.table} WHERE ${arrays} LIMIT 1`).get() !== undefined
    const spec: IndexSpecRow = { paths: def.paths, directions: def.directions, unique: def.unique }
    this.db
      .prepare(
        'INSERT INTO _indexes (coll_id, name, spec, sql_name, multikey) VALUES (?, ?, ?, ?, ?)',
      )
      .run(collId, def.name, JSON.stringify(spec), sqlName, multikey ? 1 : 0)
    return { ...def, sqlName, multikey }
  }

  /** Persists the multikey flag (inside the caller's transaction; the caller flips the in-memory flag after commit). */
  persistMultikey(info: CollectionInfo, index: StoredIndex): void {
    this.stmt('UPDATE _indexes SET multikey = 1 WHERE sql_name = ?').run(index.sqlName)
  }

  indexBySqlName(info: CollectionInfo, sqlName: string): StoredIndex | undefined {
    return info.indexes.find((i) => i.sqlName === sqlName)
  }

  // ------------------------------------------------------------------ reads

  getById(info: CollectionInfo, idKey: string): string | undefined {
    const row = this.stmt(`SELECT doc FROM ${info.table} WHERE id = ?`).get(idKey) as
      { doc: string } | undefined
    return row?.doc
  }

  countAll(info: CollectionInfo): number {
    return (this.stmt(`SELECT count(*) AS n FROM ${info.table}`).get() as { n: number }).n
  }

  /**
   * Visits candidate rows in natural order; `visit` returns false to stop early. The visitor must not
   * run SQL itself: better-sqlite3 refuses statements while an iterator is open on the connection.
   */
  scan(
    info: CollectionInfo,
    where: SqlWhere | null,
    visit: (docText: string, idKey: string) => boolean,
  ): void {
    const sql = `SELECT id, doc FROM ${info.table}${where ? ` WHERE ${where.sql}` : ''} ORDER BY rid`
    const it = this.stmt(sql).iterate(...(where?.params ?? [])) as IterableIterator<{
      id: string
      doc: string
    }>
    for (const row of it) {
      if (!visit(row.doc, row.id)) break // break closes the iterator (return())
    }
  }

  /** EXPLAIN QUERY PLAN for tests and benchmarks: shows whether a declared index is used. */
  explain(info: CollectionInfo, where: SqlWhere): string {
    const rows = this.db
      .prepare(
        `EXPLAIN QUERY PLAN SELECT id, doc FROM ${info.table} WHERE ${where.sql} ORDER BY rid`,
      )
      .all(...where.params) as Array<{ detail: string }>
    return rows.map((r) => r.detail).join('; ')
  }

  // ------------------------------------------------------------------ writes (call inside tx())

  insert(info: CollectionInfo, idKey: string, docText: string): void {
    this.stmt(`INSERT INTO ${info.table} (id, doc) VALUES (?, ?)`).run(idKey, docText)
  }

  update(info: CollectionInfo, idKey: string, docText: string): void {
    this.stmt(`UPDATE ${info.table} SET doc = ? WHERE id = ?`).run(docText, idKey)
  }

  delete(info: CollectionInfo, idKey: string): void {
    this.stmt(`DELETE FROM ${info.table} WHERE id = ?`).run(idKey)
  }

  /** Runs fn in one SQLite transaction (all or nothing). */
  tx<T>(fn: () => T): T {
    return this.db.transaction(fn)()
  }

  private stmt(sql: string): Stmt {
    let s = this.stmts.get(sql)
    if (!s) {
      // Query shapes vary with user filters; keep the cache bounded.
      if (this.stmts.size >= STMT_CACHE_MAX) this.stmts.clear()
      s = this.db.prepare(sql)
      this.stmts.set(sql, s)
    }
    return s
  }
}

function sameSpec(a: IndexDef, b: IndexDef): boolean {
  return (
    a.unique === b.unique &&
    a.paths.length === b.paths.length &&
    a.paths.every((p, i) => p === b.paths[i] && a.directions[i] === b.directions[i])
  )
}
