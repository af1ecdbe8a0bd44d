// Value model of stored documents and the three encodings they travel in: wire EJSON (SDK ⇄ emulator), canonical response EJSON, and the compact storage JSON kept in SQLite.

import { DbError } from './errors'

/** A MongoDB ObjectId. mingo compares class instances through toString(), so equality and sorting work on the hex. */
export class ObjectId {
  constructor(readonly hex: string) {}
  toString(): string {
    return this.hex
  }
}

export type DocValue =
  null | boolean | number | string | Date | RegExp | ObjectId | DocValue[] | DocObject

export type DocObject = { [key: string]: DocValue }

/** Decoding context: `now` resolves `db.serverDate()` placeholders (one instant per request, like the server). */
export type DecodeContext = { now: () => number }

export function isDocObject(v: unknown): v is DocObject {
  return (
    typeof v === 'object' &&
    v !== null &&
    !Array.isArray(v) &&
    !(v instanceof Date) &&
    !(v instanceof RegExp) &&
    !(v instanceof ObjectId)
  )
}

const HEX24 = /^[0-9a-fA-F]{24}$/

// ---------------------------------------------------------------------------------------------
// Wire → values
// ---------------------------------------------------------------------------------------------

/**
 * Parses an EJSON parameter as the SDK sends it (a string, canonical mode) or an already-parsed
 * JSON value (tolerated for hand-made requests). `what` names the parameter in error messages.
 */
export function parseWireParam(raw: unknown, what: string, ctx: DecodeContext): DocValue {
  let value: unknown
  try {
    // Decoding works in place, so a non-string parameter is copied first (it belongs to the caller).
    value = JSON.parse(typeof raw === 'string' ? raw : JSON.stringify(raw ?? null))
  } catch {
    throw DbError.invalidParam(`${what} is not valid EJSON`)
  }
  return decodeWire(value, what, ctx)
}

/**
 * Converts freshly parsed JSON holding Extended-JSON wrappers into document values, in place
 * (bulk inserts decode thousands of documents; copying every container doubled the cost).
 */
export function decodeWire(value: unknown, where: string, ctx: DecodeContext): DocValue {
  const path: Array<string | number> = []
  try {
    return decodeNode(value, path, ctx)
  } catch (e) {
    if (e instanceof DecodeProblem) {
      const at = path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${p}`)).join('')
      throw DbError.invalidParam(`${where}${at}: ${e.message}`)
    }
    throw e
  }
}

/** A decoding failure; the path where it happened is added by decodeWire. */
class DecodeProblem extends Error {}

function decodeNode(value: unknown, path: Array<string | number>, ctx: DecodeContext): DocValue {
  if (
    value === null ||
    typeof value === 'string' ||
    typeof value === 'boolean' ||
    typeof value === 'number'
  )
    return value
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const item: unknown = value[i]
      if (item !== null && typeof item === 'object') {
        path.push(i)
        value[i] = decodeNode(item, path, ctx)
        path.pop()
      }
    }
    return value as DocValue[]
  }
  if (typeof value !== 'object')
    throw new DecodeProblem(`unsupported value of type ${typeof value}`)
  const obj = value as Record<string, unknown>
  let first: string | undefined
  for (const k in obj) {
    first = k
    break
  }
  if (first !== undefined && first.charCodeAt(0) === 36 /* $ */) {
    const special = decodeWrapper(obj, Object.keys(obj), ctx)
    if (special !== undefined) return special
  }
  for (const k in obj) {
    // JSON.parse makes "__proto__" an own key; assigning it back would replace the prototype.
    if (k === '__proto__') throw new DecodeProblem('the key "__proto__" is not allowed')
    const item = obj[k]
    if (item !== null && typeof item === 'object') {
      path.push(k)
      obj[k] = decodeNode(item, path, ctx)
      path.pop()
    }
  }
  return obj as DocObject
}

function decodeWrapper(
  obj: Record<string, unknown>,
  keys: string[],
  ctx: DecodeContext,
): DocValue | undefined {
  const k = keys[0]
  const v = obj[k as string]
  if (keys.length === 1) {
    switch (k) {
      case '$numberInt':
      case '$numberLong':
      case '$numberDouble':
      case '$numberDecimal':
        return parseNumberString(v, k)
      case '$date':
        return decodeDate(v)
      case '$oid':
        if (typeof v !== 'string' || !HEX24.test(v))
          throw new DecodeProblem(`$oid must be 24 hex characters`)
        return new ObjectId(v.toLowerCase())
      case '$regularExpression': {
        if (!isRecord(v) || typeof v.pattern !== 'string')
          throw new DecodeProblem(`malformed $regularExpression`)
        return regExpOrProblem(v.pattern, typeof v.options === 'string' ? v.options : '')
      }
      case '$tcb_server_date': {
        // db.serverDate({offset}) — resolved on the server with the emulator clock, as production does.
        const offsetRaw = isRecord(v) ? v.offset : undefined
        const offset = offsetRaw === undefined ? 0 : decodeNode(offsetRaw, [], ctx)
        if (typeof offset !== 'number' || !Number.isFinite(offset))
          throw new DecodeProblem(`serverDate offset must be a number`)
        return new Date(ctx.now() + offset)
      }
      case '$binary':
      case '$timestamp':
      case '$minKey':
      case '$maxKey':
      case '$symbol':
      case '$code':
      case '$undefined':
      case '$dbPointer':
      case '$uuid':
        throw new DecodeProblem(`BSON type ${k} is not supported by the emulator`)
      default:
        return undefined
    }
  }
  return undefined
}

function parseNumberString(v: unknown, kind: string): number {
  if (typeof v !== 'string') throw new DecodeProblem(`${kind} must be a string`)
  if (v === 'NaN') return NaN
  if (v === 'Infinity' || v === '+Infinity') return Infinity
  if (v === '-Infinity') return -Infinity
  const n = Number(v)
  if (v.trim() === '' || Number.isNaN(n)) throw new DecodeProblem(`${kind} "${v}" is not a number`)
  return n
}

function decodeDate(v: unknown): Date {
  let ms: number
  if (typeof v === 'number') ms = v
  else if (typeof v === 'string') ms = Date.parse(v)
  else if (isRecord(v) && typeof v.$numberLong === 'string') ms = Number(v.$numberLong)
  else throw new DecodeProblem(`malformed $date`)
  if (!Number.isFinite(ms)) throw new DecodeProblem(`invalid date`)
  return new Date(ms)
}

function regExpOrProblem(pattern: string, options: string): RegExp {
  try {
    return makeRegExp(pattern, options, 'regular expression')
  } catch (e) {
    throw new DecodeProblem(e instanceof Error ? e.message : String(e))
  }
}

/** BSON regex options → JS flags. `x` (extended) and `l` (locale) have no JS equivalent, so they are refused. */
export function makeRegExp(pattern: string, options: string, where: string): RegExp {
  let flags = ''
  for (const ch of options) {
    if (ch === 'i' || ch === 'm' || ch === 's' || ch === 'u') {
      if (!flags.includes(ch)) flags += ch
    } else if (ch === 'g' || ch === 'y' || ch === 'd') {
      // JS-only flags a RegExp object may carry; meaningless for matching, so dropped.
    } else {
      throw DbError.invalidParam(`${where}: regular expression option "${ch}" is not supported`)
    }
  }
  try {
    return new RegExp(pattern, flags)
  } catch (e) {
    throw DbError.invalidParam(`${where}: invalid regular expression: ${(e as Error).message}`)
  }
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
}

// ---------------------------------------------------------------------------------------------
// Values → response EJSON (canonical, like CloudBase's answers: {"$numberInt":"1"}, {"$date":{"$numberLong":..}})
// ---------------------------------------------------------------------------------------------

/** Accepts any value (aggregation output is not guaranteed to be a DocValue): undefined fields are dropped, other oddities become null. */
export function encodeResponse(value: unknown): string {
  return JSON.stringify(toCanonical(value))
}

function toCanonical(v: unknown): unknown {
  if (v === null || v === undefined || typeof v === 'string' || typeof v === 'boolean')
    return v ?? null
  if (typeof v === 'number') return canonicalNumber(v)
  if (typeof v === 'bigint') return { $numberLong: v.toString() }
  if (typeof v !== 'object') return null // functions, symbols
  if (v instanceof Date) return { $date: { $numberLong: String(v.getTime()) } }
  if (v instanceof ObjectId) return { $oid: v.hex }
  if (v instanceof RegExp)
    return { $regularExpression: { pattern: v.source, options: bsonFlags(v) } }
  if (Array.isArray(v)) return v.map(toCanonical)
  const out: Record<string, unknown> = {}
  for (const [k, item] of Object.entries(v)) {
    if (item !== undefined) out[k] = toCanonical(item)
  }
  return out
}

function canonicalNumber(n: number): unknown {
  if (Number.isInteger(n) && !Object.is(n, -0)) {
    if (n >= -2147483648 && n <= 2147483647) return { $numberInt: String(n) }
    if (Number.isSafeInteger(n)) return { $numberLong: String(n) }
  }
  if (Number.isNaN(n)) return { $numberDouble: 'NaN' }
  if (n === Infinity) return { $numberDouble: 'Infinity' }
  if (n === -Infinity) return { $numberDouble: '-Infinity' }
  if (Object.is(n, -0)) return { $numberDouble: '-0.0' }
  const s = String(n)
  return { $numberDouble: /[.eE]/.test(s) ? s : `${s}.0` }
}

function bsonFlags(r: RegExp): string {
  return r.flags.replace(/[gyd]/g, '').split('').sort().join('')
}

// ---------------------------------------------------------------------------------------------
// Storage JSON: compact and deterministic, so that SQLite's `doc -> '$.path'` text equals
// storageKey(value) for the same value (expression indexes and SQL pre-filters rely on it).
// ---------------------------------------------------------------------------------------------

export function toStorageValue(v: DocValue): unknown {
  if (v === null || typeof v === 'string' || typeof v === 'boolean') return v
  if (typeof v === 'number') {
    if (Number.isFinite(v)) return Object.is(v, -0) ? 0 : v
    return { $numberDouble: Number.isNaN(v) ? 'NaN' : v > 0 ? 'Infinity' : '-Infinity' }
  }
  if (v instanceof Date) return { $date: v.getTime() }
  if (v instanceof ObjectId) return { $oid: v.hex }
  if (v instanceof RegExp)
    return { $regularExpression: { pattern: v.source, options: bsonFlags(v) } }
  if (Array.isArray(v)) return v.map(toStorageValue)
  const out: Record<string, unknown> = {}
  for (const k of Object.keys(v)) {
    const item = v[k]
    if (item !== undefined) out[k] = toStorageValue(item)
  }
  return out
}

export function toStorage(doc: DocObject): string {
  return JSON.stringify(toStorageValue(doc))
}

/** The JSON text SQLite yields for this value at a path (`doc -> '$.p'`); missing and null are both "null". */
export function storageKey(v: DocValue | undefined): string {
  return v === undefined ? 'null' : JSON.stringify(toStorageValue(v))
}

export function fromStorage(text: string): DocObject {
  const parsed = JSON.parse(text) as DocObject
  // Most documents hold no typed values; skip the reviving walk for them (a large share of scan cost).
  if (text.includes('"$')) reviveInPlace(parsed)
  return parsed
}

/** The typed value a storage wrapper object stands for, or undefined for an ordinary object. */
function revivedWrapper(obj: Record<string, unknown>): DocValue | undefined {
  let key: string | undefined
  for (const k in obj) {
    if (key !== undefined) return undefined // more than one key: not a wrapper
    key = k
  }
  if (key === undefined || key.charCodeAt(0) !== 36 /* $ */) return undefined
  const inner = obj[key]
  if (key === '$date' && typeof inner === 'number') return new Date(inner)
  if (key === '$oid' && typeof inner === 'string') return new ObjectId(inner)
  if (key === '$numberDouble' && typeof inner === 'string') return Number(inner)
  if (key === '$regularExpression' && isRecord(inner) && typeof inner.pattern === 'string') {
    return new RegExp(inner.pattern, typeof inner.options === 'string' ? inner.options : '')
  }
  return undefined
}

/** Replaces storage wrappers by typed values without copying the containers (scans parse every document). */
function reviveInPlace(container: DocObject | DocValue[]): void {
  if (Array.isArray(container)) {
    for (let i = 0; i < container.length; i++) {
      const v = container[i]
      if (v === null || typeof v !== 'object') continue
      const typed = Array.isArray(v) ? undefined : revivedWrapper(v as Record<string, unknown>)
      if (typed !== undefined) container[i] = typed
      else reviveInPlace(v as DocObject | DocValue[])
    }
    return
  }
  for (const k in container) {
    const v = container[k]
    if (v === null || typeof v !== 'object') continue
    const typed = Array.isArray(v) ? undefined : revivedWrapper(v as Record<string, unknown>)
    if (typed !== undefined) container[k] = typed
    else reviveInPlace(v as DocObject | DocValue[])
  }
}

/** Deep copy that keeps Date/RegExp/ObjectId instances (structuredClone would turn ObjectId into a plain object). */
export function cloneValue<T extends DocValue>(v: T): T {
  if (v === null || typeof v !== 'object') return v
  if (v instanceof Date) return new Date(v.getTime()) as T
  if (v instanceof RegExp || v instanceof ObjectId) return v
  if (Array.isArray(v)) return v.map((x) => cloneValue(x)) as T
  const out: DocObject = {}
  for (const k of Object.keys(v)) {
    const item = (v as DocObject)[k]
    if (item !== undefined) out[k] = cloneValue(item)
  }
  return out as T
}

/** Structural equality on document values (key order ignored), used to tell whether an update changed anything. */
export function sameValue(a: DocValue | undefined, b: DocValue | undefined): boolean {
  if (a === b) return true
  if (a === undefined || b === undefined || a === null || b === null) return false
  if (typeof a === 'number' && typeof b === 'number') return Object.is(a, b) || a === b
  if (typeof a !== 'object' || typeof b !== 'object') return false
  if (a instanceof Date || b instanceof Date)
    return a instanceof Date && b instanceof Date && a.getTime() === b.getTime()
  if (a instanceof ObjectId || b instanceof ObjectId)
    return a instanceof ObjectId && b instanceof ObjectId && a.hex === b.hex
  if (a instanceof RegExp || b instanceof RegExp)
    return a instanceof RegExp && b instanceof RegExp && String(a) === String(b)
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false
    return a.every((x, i) => sameValue(x, b[i]))
  }
  const ka = Object.keys(a)
  const kb = Object.keys(b)
  if (ka.length !== kb.length) return false
  return ka.every((k) => Object.prototype.hasOwnProperty.call(b, k) && sameValue(a[k], b[k]))
}
