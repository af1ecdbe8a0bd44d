// Update documents: parse the SDK's update payload (operators or replacement), check MongoDB's type rules, apply with mingo.

import { update as mingoUpdate } from 'mingo'
import { type DocObject, type DocValue, cloneValue, isDocObject, sameValue } from './ejson'
import { DbError } from './errors'
import { asMingoError, mingoOptions } from './query'

export type UpdateSpec = { kind: 'replace'; doc: DocObject } | { kind: 'operators'; ops: DocObject }

/** Every operator `db.command` can produce (inc, mul, set, remove→$unset, push/unshift→$push, pop/shift→$pop, ...), plus $currentDate. */
const OPERATORS = new Set([
  '$set',
  '$unset',
  '$inc',
  '$mul',
  '$min',
  '$max',
  '$rename',
  '$push',
  '$pull',
  '$pullAll',
  '$addToSet',
  '$pop',
  '$bit',
  '$currentDate',
])

const NUMERIC_OPS = new Set(['$inc', '$mul'])
const ARRAY_OPS = new Set(['$push', '$addToSet', '$pop', '$pull', '$pullAll'])

/**
 * `merge: false` (doc.set) replaces the document; `merge: true` expects update operators. A merge
 * payload without operators is treated as $set of its fields, as CloudBase does for raw updates.
 */
export function parseUpdate(data: DocValue, merge: boolean): UpdateSpec {
  if (!isDocObject(data)) throw DbError.invalidParam('update data must be an object')
  const keys = Object.keys(data)
  const opKeys = keys.filter((k) => k.startsWith('$'))
  if (!merge) {
    if (opKeys.length)
      throw DbError.invalidParam(
        `replacement document must not contain update operators (${opKeys.join(', ')})`,
      )
    validateFieldNames(data, 'data')
    return { kind: 'replace', doc: data }
  }
  if (opKeys.length === 0) return parseUpdate({ $set: data }, true)
  if (opKeys.length !== keys.length)
    throw DbError.invalidParam('update data mixes operators and plain fields')
  for (const op of opKeys) {
    if (!OPERATORS.has(op)) throw DbError.invalidOperator(`unknown update operator ${op}`)
    const arg = data[op]
    if (!isDocObject(arg)) throw DbError.invalidParam(`${op} needs an object of field paths`)
    for (const path of Object.keys(arg)) {
      if (path === '_id' || path.startsWith('_id.')) {
        throw DbError.requestFailed(
          `Performing an update on the path '_id' would modify the immutable field '_id'`,
        )
      }
      if (path === '' || path.split('.').some((p) => p === ''))
        throw DbError.invalidParam(`${op}: empty field path "${path}"`)
      const v = arg[path] as DocValue
      if (NUMERIC_OPS.has(op) && typeof v !== 'number')
        throw DbError.requestFailed(
          `Cannot ${op.slice(1)} with non-numeric argument: {${path}: ${String(v)}}`,
        )
      if (op === '$pop' && v !== 1 && v !== -1)
        throw DbError.requestFailed(`$pop expects 1 or -1, found: ${String(v)}`)
      if (op === '$rename' && (typeof v !== 'string' || v === '' || v === '_id'))
        throw DbError.requestFailed(
          `$rename target for '${path}' must be a non-empty string other than _id`,
        )
      if (op === '$set' || op === '$push' || op === '$addToSet')
        validateFieldNames(v, `${op}.${path}`, true)
    }
  }
  return { kind: 'operators', ops: data }
}

/** Stored field names must not start with '$' (MongoDB's rule; it also keeps our EJSON storage unambiguous). */
export function validateFieldNames(v: DocValue, where: string, allowModifiers = false): void {
  if (Array.isArray(v)) {
    v.forEach((x, i) => validateFieldNames(x, `${where}[${i}]`))
    return
  }
  if (!isDocObject(v)) return
  for (const k of Object.keys(v)) {
    // $push/$addToSet accept {$each, $position, $slice, $sort} modifiers at their top level.
    if (
      k.startsWith('$') &&
      !(allowModifiers && ['$each', '$position', '$slice', '$sort'].includes(k))
    ) {
      throw DbError.requestFailed(`field name "${k}" in ${where} must not start with '$'`)
    }
    if (k === '__proto__')
      throw DbError.invalidParam(`field name "__proto__" in ${where} is not allowed`)
    validateFieldNames(v[k] as DocValue, `${where}.${k}`)
  }
}

/** Plain (non-positional) path lookup through objects, for type checks before mingo runs. */
function lookup(doc: DocObject, path: string): { found: boolean; value?: DocValue } {
  let cur: DocValue = doc
  for (const part of path.split('.')) {
    if (part.startsWith('$')) return { found: false } // positional: mingo resolves it
    if (Array.isArray(cur)) {
      const i = Number(part)
      if (!Number.isInteger(i) || i < 0 || i >= cur.length) return { found: false }
      cur = cur[i] as DocValue
    } else if (isDocObject(cur) && Object.prototype.hasOwnProperty.call(cur, part)) {
      cur = cur[part] as DocValue
    } else {
      return { found: false }
    }
  }
  return { found: true, value: cur }
}

function typeName(v: DocValue | undefined): string {
  if (v === null) return 'null'
  if (Array.isArray(v)) return 'array'
  if (v instanceof Date) return 'date'
  return typeof v
}

/**
 * Applies the update to a copy of `doc` and reports whether anything changed (CloudBase counts
 * `updated` only for documents that really changed). `condition` is the query, needed by the
 * positional `$` operator. `now` serves $currentDate.
 */
export function applyUpdate(
  doc: DocObject,
  spec: UpdateSpec,
  condition: DocObject,
  now: Date,
): { doc: DocObject; changed: boolean } {
  if (spec.kind === 'replace') {
    const next: DocObject = { _id: doc._id as DocValue }
    for (const [k, v] of Object.entries(spec.doc)) if (k !== '_id') next[k] = cloneValue(v)
    return { doc: next, changed: !sameValue(doc, next) }
  }
  const ops: DocObject = {}
  for (const [op, arg] of Object.entries(spec.ops)) {
    const fields = arg as DocObject
    if (op === '$currentDate') {
      // mingo would stamp its own clock; production stamps the server's, i.e. the emulator clock.
      const set = (ops.$set as DocObject | undefined) ?? {}
      for (const path of Object.keys(fields)) set[path] = new Date(now.getTime())
      ops.$set = set
      continue
    }
    for (const path of Object.keys(fields)) {
      const cur = lookup(doc, path)
      if (!cur.found) continue
      if (NUMERIC_OPS.has(op) && typeof cur.value !== 'number') {
        throw DbError.requestFailed(
          `Cannot apply ${op} to a value of non-numeric type. {_id: ${JSON.stringify(String(doc._id))}} has the field '${path}' of non-numeric type ${typeName(cur.value)}`,
        )
      }
      if (ARRAY_OPS.has(op) && !Array.isArray(cur.value)) {
        throw DbError.requestFailed(
          `The field '${path}' must be an array but is of type ${typeName(cur.value)} in document {_id: ${JSON.stringify(String(doc._id))}}`,
        )
      }
    }
    const prev = ops[op] as DocObject | undefined
    ops[op] = prev ? { ...prev, ...fields } : cloneValue(fields)
  }
  const next = cloneValue(doc)
  try {
    mingoUpdate(next, ops, [], condition, { cloneMode: 'deep', queryOptions: mingoOptions() })
  } catch (e) {
    throw asMingoError(e, 'update')
  }
  if (!sameValue(next._id, doc._id))
    throw DbError.requestFailed(`the update would change the immutable field '_id'`)
  validateFieldNames(next, 'document')
  return { doc: next, changed: !sameValue(doc, next) }
}
