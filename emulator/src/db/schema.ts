// The declared database schema (collections and their console indexes) and its validation.

import { sqlJsonPath } from './paths'

export type IndexSpec = { name: string; keys: Record<string, 1 | -1>; unique?: boolean }

export type DatabaseSchema = {
  collections: Array<{ name: string; indexes?: IndexSpec[] }>
}

/** A validated index: ordered key paths (JS objects keep insertion order for non-numeric keys). */
export type IndexDef = { name: string; paths: string[]; directions: Array<1 | -1>; unique: boolean }

const MAX_NAME = 128

/** Collection names as MongoDB/CloudBase accept them: non-empty, no '$', no NUL, not system.*. */
export function validateCollectionName(name: unknown): string | null {
  if (typeof name !== 'string' || name.length === 0)
    return 'collection name must be a non-empty string'
  if (name.length > MAX_NAME) return `collection name is longer than ${MAX_NAME} characters`
  if (name.includes('$') || name.includes('\u0000'))
    return 'collection name must not contain "$" or NUL'
  if (name.startsWith('system.')) return 'collection names starting with "system." are reserved'
  return null
}

/** Validates the schema the emulator was started with; a bad schema is a programming error, so it throws. */
export function normalizeSchema(schema: DatabaseSchema | undefined): Map<string, IndexDef[]> {
  const out = new Map<string, IndexDef[]>()
  if (schema === undefined) return out
  if (typeof schema !== 'object' || schema === null || !Array.isArray(schema.collections)) {
    throw new Error('database schema: expected { collections: [...] }')
  }
  for (const coll of schema.collections) {
    const nameProblem = validateCollectionName(coll?.name)
    if (nameProblem) throw new Error(`database schema: ${nameProblem}`)
    if (out.has(coll.name))
      throw new Error(`database schema: collection "${coll.name}" is declared twice`)
    const defs: IndexDef[] = []
    for (const ix of coll.indexes ?? []) {
      if (typeof ix?.name !== 'string' || ix.name === '')
        throw new Error(`database schema: an index of "${coll.name}" has no name`)
      if (ix.name === '_id_')
        throw new Error(`database schema: "_id_" is the implicit primary index of "${coll.name}"`)
      if (defs.some((d) => d.name === ix.name))
        throw new Error(`database schema: index "${ix.name}" of "${coll.name}" is declared twice`)
      const paths = Object.keys(ix.keys ?? {})
      if (paths.length === 0)
        throw new Error(`database schema: index "${ix.name}" of "${coll.name}" has no keys`)
      const directions: Array<1 | -1> = []
      for (const p of paths) {
        const dir = ix.keys[p]
        if (dir !== 1 && dir !== -1)
          throw new Error(`database schema: index "${ix.name}" key "${p}" must be 1 or -1`)
        if (sqlJsonPath(p) === null)
          throw new Error(
            `database schema: index "${ix.name}" key "${p}" is not a plain dotted field path`,
          )
        directions.push(dir)
      }
      if (paths.length === 1 && paths[0] === '_id') continue // the primary key already indexes _id
      defs.push({ name: ix.name, paths, directions, unique: ix.unique === true })
    }
    out.set(coll.name, defs)
  }
  return out
}
