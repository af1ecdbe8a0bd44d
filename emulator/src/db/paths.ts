// Dotted field paths: their SQLite JSON-path form (for expression indexes and SQL pre-filters) and the JS walks that mirror it.

import { type DocObject, type DocValue, isDocObject, storageKey } from './ejson'

// A component is embedded as a literal in SQL (an expression index only matches a query whose
// expression text is identical, so it cannot be a bound parameter). Anything that could break
// out of the quoted JSON-path label or the SQL string is refused; such paths are simply not
// pushed down to SQL (mingo still evaluates them).
const SAFE_COMPONENT = /^[^"'\\.[\]$][^"'\\.[\]]*$/u

export function splitPath(path: string): string[] {
  return path.split('.')
}

/** `a.b` → `$."a"."b"`, or null when the path cannot be expressed safely. */
export function sqlJsonPath(path: string): string | null {
  const parts = splitPath(path)
  if (parts.length === 0 || parts.some((p) => !SAFE_COMPONENT.test(p) || p.includes('\u0000')))
    return null
  return '$' + parts.map((p) => `."${p}"`).join('')
}

/**
 * The SQL expression whose value is the storage key of the field: the JSON text of the value, or
 * 'null' when missing or null (MongoDB indexes both as null). Used verbatim in CREATE INDEX and in
 * WHERE clauses so that SQLite can use the expression index.
 */
export function keyExpr(path: string): string | null {
  const jp = sqlJsonPath(path)
  return jp === null ? null : `ifnull(doc -> '${jp}', 'null')`
}

/** SQL that is true when any prefix of the path (or the value itself) is an array in the row's document. */
export function arrayAlongPathExpr(path: string): string | null {
  const parts = splitPath(path)
  const terms: string[] = []
  for (let i = 1; i <= parts.length; i++) {
    const jp = sqlJsonPath(parts.slice(0, i).join('.'))
    if (jp === null) return null
    terms.push(`json_type(doc, '${jp}') = 'array'`)
  }
  return terms.join(' OR ')
}

/** Value at a dotted path, walking objects only (what SQLite's `->` sees); arrays stop the walk. */
export function objectPathValue(doc: DocObject, path: string): DocValue | undefined {
  let cur: DocValue | undefined = doc
  for (const part of splitPath(path)) {
    if (!isDocObject(cur) || !Object.prototype.hasOwnProperty.call(cur, part)) return undefined
    cur = cur[part]
  }
  return cur
}

/** The storage key SQLite's keyExpr(path) computes for this document. */
export function keyAtPath(doc: DocObject, path: string): string {
  return storageKey(objectPathValue(doc, path))
}

/** True when an array sits anywhere along the path; such documents make an index "multikey". */
export function hasArrayAlongPath(doc: DocObject, path: string): boolean {
  let cur: DocValue | undefined = doc
  for (const part of splitPath(path)) {
    if (Array.isArray(cur)) return true
    if (!isDocObject(cur) || !Object.prototype.hasOwnProperty.call(cur, part)) return false
    cur = cur[part]
  }
  return Array.isArray(cur)
}
