// Query evaluation: the mingo configuration (with geo operators), query compilation, SQL pre-filter planning, sort and projection.

import { Aggregator, Context, Query } from 'mingo'
import type { Options, PipelineOperator, QueryOperator } from 'mingo/types'
import { type Iterator, Lazy } from 'mingo/lazy'
import { type DocObject, type DocValue, ObjectId, isDocObject, storageKey } from './ejson'
import { DbError } from './errors'
import {
  $geoIntersects,
  $geoWithin,
  type LngLat,
  distanceAt,
  firstPointField,
  nearPredicate,
  parseNear,
} from './geo'
import { arrayAlongPathExpr, keyExpr, sqlJsonPath } from './paths'
import type { CollectionInfo, SqlWhere } from './store'

/** Resolves a collection name to its documents for $lookup/$graphLookup/$unionWith (same environment). */
export type CollectionResolver = (name: string) => DocObject[]

type QueryOperatorFn = (
  selector: string,
  value: unknown,
  options: Options,
) => (obj: Record<string, unknown>) => boolean
type PipelineOperatorFn = (coll: Iterator, expr: unknown, options: Options) => Iterator

function geoQueryOps(): Record<string, QueryOperatorFn> {
  // mingo hands operators plain records; our documents are DocObjects, so the cast is exact.
  const wrap =
    (make: (selector: string, value: unknown) => (doc: DocObject) => boolean): QueryOperatorFn =>
    (selector, value) => {
      const pred = make(selector, value)
      return (obj) => pred(obj as DocObject)
    }
  return {
    $geoWithin: wrap($geoWithin),
    $geoIntersects: wrap($geoIntersects),
    $nearSphere: wrap(nearPredicate('$nearSphere')),
    $near: wrap(nearPredicate('$near')),
  }
}

/** The $geoNear stage: filter by `query`, measure distance to `near`, keep min/max, sort nearest first. */
function geoNearStage(getOptions: () => Partial<Options>): PipelineOperatorFn {
  return (coll, expr) =>
    coll.transform((xs: unknown[]) => {
      if (!isDocObject(expr as DocValue)) throw DbError.invalidParam('$geoNear needs an object')
      const spec = expr as DocObject
      const near = parseNear(
        { $geometry: spec.near, $maxDistance: spec.maxDistance, $minDistance: spec.minDistance },
        '$geoNear',
      )
      const distanceField = spec.distanceField
      if (typeof distanceField !== 'string' || distanceField === '')
        throw DbError.invalidParam('$geoNear needs distanceField')
      const multiplier = typeof spec.distanceMultiplier === 'number' ? spec.distanceMultiplier : 1
      const filter = isDocObject(spec.query ?? null)
        ? new Query(spec.query as DocObject, getOptions())
        : null
      const rows: Array<{ doc: DocObject; d: number }> = []
      for (const x of xs) {
        const doc = x as DocObject
        if (filter && !filter.test(doc)) continue
        const key = typeof spec.key === 'string' ? spec.key : firstPointField(doc)
        if (key === null) continue
        const d = distanceAt(doc, key, near.center)
        if (d === null || d < near.min || d > near.max) continue
        rows.push({ doc, d })
      }
      rows.sort((a, b) => a.d - b.d)
      return Lazy(
        rows.map(({ doc, d }) => {
          const out: DocObject = { ...doc, [distanceField]: d * multiplier }
          if (typeof spec.includeLocs === 'string') {
            const key = typeof spec.key === 'string' ? spec.key : firstPointField(doc)
            if (key !== null && doc[key] !== undefined) out[spec.includeLocs] = doc[key] as DocValue
          }
          return out
        }),
      )
    })
}

let sharedContext: Context | undefined

function extraContext(): Context {
  if (!sharedContext) {
    // Context.init's parameter types are the exact unions of mingo's built-in operator signatures;
    // ours follow the same calling convention, hence the structural casts.
    sharedContext = Context.init({
      query: geoQueryOps() as unknown as Record<`$${string}`, QueryOperator>,
      pipeline: { $geoNear: geoNearStage(() => mingoOptions()) } as unknown as Record<
        `$${string}`,
        PipelineOperator
      >,
    })
  }
  return sharedContext
}

/**
 * Options for every mingo call. Scripts are disabled: $where/$function/$accumulator would run
 * arbitrary JavaScript sent over the wire inside the emulator process.
 */
export function mingoOptions(resolver?: CollectionResolver): Partial<Options> {
  return {
    idKey: '_id',
    scriptEnabled: false,
    useStrictMode: true,
    context: extraContext(),
    ...(resolver
      ? { collectionResolver: resolver as unknown as Options['collectionResolver'] }
      : {}),
  }
}

export function asMingoError(e: unknown, what: string): DbError {
  if (e instanceof DbError) return e
  const msg = e instanceof Error ? e.message : String(e)
  if (/unknown|unsupported|not supported|invalid operator/i.test(msg))
    return DbError.invalidOperator(`${what}: ${msg}`)
  return DbError.requestFailed(`${what}: ${msg}`)
}

// ------------------------------------------------------------------------------- compiled queries

export type NearSort = { path: string; center: LngLat }

export type CompiledQuery = {
  test(doc: DocObject): boolean
  /** Set when the query has a top-level $near/$nearSphere: results are ordered by distance unless sorted. */
  near: NearSort | null
  /** True for `{}`: every document matches (lets count use count(*)). */
  matchesAll: boolean
}

export function compileQuery(query: DocValue | undefined): CompiledQuery {
  if (query === undefined) return { test: () => true, near: null, matchesAll: true }
  if (!isDocObject(query)) throw DbError.invalidParam('query must be an object')
  if (Object.keys(query).length === 0) return { test: () => true, near: null, matchesAll: true }
  let q: Query
  try {
    q = new Query(query, mingoOptions())
  } catch (e) {
    throw asMingoError(e, 'query')
  }
  return {
    test(doc) {
      try {
        return q.test(doc)
      } catch (e) {
        throw asMingoError(e, 'query')
      }
    },
    near: findNear(query),
    matchesAll: false,
  }
}

function findNear(query: DocObject): NearSort | null {
  for (const [k, v] of Object.entries(query)) {
    if (k === '$and' && Array.isArray(v)) {
      for (const sub of v) {
        const n = isDocObject(sub) ? findNear(sub) : null
        if (n) return n
      }
    } else if (!k.startsWith('$') && isDocObject(v)) {
      const spec = v.$nearSphere ?? v.$near
      if (spec !== undefined) return { path: k, center: parseNear(spec, '$nearSphere').center }
    }
  }
  return null
}

export function sortByDistance(docs: DocObject[], near: NearSort): DocObject[] {
  const withD = docs.map((doc) => ({ doc, d: distanceAt(doc, near.path, near.center) ?? Infinity }))
  withD.sort((a, b) => a.d - b.d)
  return withD.map((x) => x.doc)
}

// ------------------------------------------------------------------------------- SQL pre-filter

const MAX_IN = 500

function isKeyableScalar(v: DocValue | undefined): boolean {
  return (
    v === null ||
    typeof v === 'string' ||
    typeof v === 'boolean' ||
    (typeof v === 'number' && Number.isFinite(v)) ||
    v instanceof Date ||
    v instanceof ObjectId
  )
}

/** Storage keys a field must equal for `value` to match as an equality condition, or null when not an equality. */
function equalityKeys(value: DocValue): string[] | null {
  if (isKeyableScalar(value)) return [storageKey(value)]
  if (!isDocObject(value)) return null
  const ops = Object.keys(value)
  if (ops.length === 0 || !ops.every((k) => k.startsWith('$'))) return null
  const eq = value.$eq
  if (eq !== undefined && isKeyableScalar(eq)) return [storageKey(eq)]
  const inList = value.$in
  if (Array.isArray(inList) && inList.length <= MAX_IN && inList.every(isKeyableScalar))
    return inList.map(storageKey)
  return null
}

function collectEqualities(query: DocObject, out: Map<string, Set<string>>): void {
  for (const [k, v] of Object.entries(query)) {
    if (k === '$and' && Array.isArray(v)) {
      for (const sub of v) if (isDocObject(sub)) collectEqualities(sub, out)
      continue
    }
    if (k.startsWith('$')) continue
    const keys = equalityKeys(v)
    if (!keys) continue
    const prev = out.get(k)
    // Two equality conditions on one path must both hold: keep the intersection.
    out.set(k, prev ? new Set(keys.filter((x) => prev.has(x))) : new Set(keys))
  }
}

/**
 * Dates are stored as `{"$date":<ms>}`. For a lower bound with a 13-digit number (2001-09-09 to
 * 2286-11-20) the text comparison `stored >= bound` keeps every later date up to 2286 and may keep some
 * earlier ones (fewer digits), which mingo then drops: a superset, as a pre-filter must be; it lets
 * SQLite start its index scan at the right place. An upper bound has no such guarantee as text (a 1990
 * date has 12 digits and sorts after "1…"), so it (and a lower bound outside 13 digits) is compared as
 * a number instead,
 * `json_extract(doc, '$.path."$date"') <= ms`: not through the index, but evaluated in C before any
 * document is parsed in JS. A value that is not a date extracts as NULL and is dropped, as MongoDB
 * drops it (a date bound only matches dates).
 */
const DATE_TEXT_MIN = 1_000_000_000_000
const DATE_TEXT_MAX = 9_999_999_999_999
const RANGE_SQL: Record<string, string> = { $gt: '>', $gte: '>=', $lt: '<', $lte: '<=' }
const LOWER_BOUNDS = new Set(['$gt', '$gte'])

type DateRange = { path: string; op: string; key: string | null; ms: number }

/** Top-level `{path: {$gt|$gte|$lt|$lte: Date, …}}` date bounds (also inside `$and`). */
function collectDateRanges(query: DocObject, out: DateRange[]): void {
  for (const [k, v] of Object.entries(query)) {
    if (k === '$and' && Array.isArray(v)) {
      for (const sub of v) if (isDocObject(sub)) collectDateRanges(sub, out)
      continue
    }
    if (k.startsWith('$') || !isDocObject(v)) continue
    const ops = Object.keys(v)
    if (ops.length === 0 || !ops.every((op) => op in RANGE_SQL)) continue
    for (const op of ops) {
      const bound = v[op]
      if (!(bound instanceof Date)) continue
      const ms = bound.getTime()
      const asText = LOWER_BOUNDS.has(op) && ms >= DATE_TEXT_MIN && ms <= DATE_TEXT_MAX
      out.push({ path: k, op: RANGE_SQL[op] as string, key: asText ? storageKey(bound) : null, ms })
    }
  }
}

/**
 * A SQL condition selecting a superset of the documents matching `query`, from its top-level
 * equality/$in conditions and date ranges on indexed paths. On a path covered by a non-multikey declared index the condition is the
 * index expression itself, so SQLite uses the index. Elsewhere, documents with an array along the
 * path are kept too (MongoDB equality matches array elements), evaluated in C instead of JS.
 * mingo re-checks every candidate, so the pre-filter only has to be a superset.
 */
export function planSql(info: CollectionInfo, query: DocValue | undefined): SqlWhere | null {
  if (!isDocObject(query ?? null)) return null
  const eqs = new Map<string, Set<string>>()
  collectEqualities(query as DocObject, eqs)
  const terms: string[] = []
  const params: Array<string | number> = []
  for (const [path, keys] of eqs) {
    if (keys.size === 0) return { sql: '0', params: [] } // contradictory equalities: nothing matches
    const list = [...keys]
    const holes = list.map(() => '?').join(', ')
    if (path === '_id') {
      terms.push(`id IN (${holes})`)
      params.push(...list)
      continue
    }
    const expr = keyExpr(path)
    if (expr === null) continue
    const arrayFree = info.indexes.some((ix) => !ix.multikey && ix.paths.includes(path))
    if (arrayFree) {
      terms.push(`${expr} IN (${holes})`)
      params.push(...list)
      continue
    }
    const arrays = arrayAlongPathExpr(path)
    if (arrays === null) continue
    if (!keys.has('null')) {
      // A matching document's JSON text contains the value's JSON text verbatim (storage is
      // deterministic), so a substring test — no JSON parsing — discards most rows first.
      terms.push(`(${list.map(() => 'instr(doc, ?) > 0').join(' OR ')})`)
      params.push(...list)
    }
    terms.push(`(${expr} IN (${holes}) OR ${arrays})`)
    params.push(...list)
  }
  // A date range only on an index without arrays: a range on an array field matches its elements, and
  // a value of another type never matches a date bound (MongoDB compares within a type), so nothing the
  // query would match is left out.
  const ranges: DateRange[] = []
  collectDateRanges(query as DocObject, ranges)
  for (const r of ranges) {
    const expr = keyExpr(r.path)
    const jp = sqlJsonPath(r.path)
    if (expr === null || jp === null) continue
    if (!info.indexes.some((ix) => !ix.multikey && ix.paths.includes(r.path))) continue
    if (r.key !== null) {
      terms.push(`${expr} ${r.op} ?`)
      params.push(r.key)
    } else {
      terms.push(`json_extract(doc, '${jp}."$date"') ${r.op} ?`)
      params.push(r.ms)
    }
  }
  return terms.length ? { sql: terms.join(' AND '), params } : null
}

// ------------------------------------------------------------------------------- sort, projection

export type SortSpec = Record<string, 1 | -1>

export function sortDocs(docs: DocObject[], order: SortSpec): DocObject[] {
  try {
    return new Query({}, mingoOptions()).find<DocObject>(docs).sort(order).all()
  } catch (e) {
    throw asMingoError(e, 'orderBy')
  }
}

export function projectDocs(docs: DocObject[], projection: DocObject): DocObject[] {
  try {
    return new Query({}, mingoOptions()).find<DocObject>(docs, projection).all()
  } catch (e) {
    throw asMingoError(e, 'field projection')
  }
}

/** Runs an aggregation pipeline over documents already loaded (and possibly pre-filtered). */
export function runPipeline(
  docs: DocObject[],
  pipeline: DocObject[],
  resolver: CollectionResolver,
): unknown[] {
  try {
    return new Aggregator(pipeline, mingoOptions(resolver)).run(docs)
  } catch (e) {
    throw asMingoError(e, 'aggregate')
  }
}
