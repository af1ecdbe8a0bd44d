// Aggregation pipelines as the SDK sends them ([{stageKey, stageValue: EJSON}]) → validated MongoDB stages.

import { type DecodeContext, type DocObject, isDocObject, parseWireParam } from './ejson'
import { DbError } from './errors'

/**
 * Stages the emulator runs (mingo plus our $geoNear). $out and $merge are refused: they would
 * write through mingo's in-memory resolver instead of the store, and the SDK cannot send them.
 */
const STAGES = new Set([
  '$addFields',
  '$bucket',
  '$bucketAuto',
  '$count',
  '$densify',
  '$facet',
  '$fill',
  '$geoNear',
  '$graphLookup',
  '$group',
  '$limit',
  '$lookup',
  '$match',
  '$project',
  '$redact',
  '$replaceRoot',
  '$replaceWith',
  '$sample',
  '$set',
  '$setWindowFields',
  '$skip',
  '$sort',
  '$sortByCount',
  '$unionWith',
  '$unset',
  '$unwind',
])

export function parseStages(raw: unknown, ctx: DecodeContext): DocObject[] {
  if (raw === undefined) return []
  if (!Array.isArray(raw)) throw DbError.invalidParam('stages must be an array')
  return raw.map((stage, i) => {
    if (typeof stage !== 'object' || stage === null)
      throw DbError.invalidParam(`stages[${i}] must be an object`)
    const { stageKey, stageValue } = stage as { stageKey?: unknown; stageValue?: unknown }
    if (typeof stageKey !== 'string')
      throw DbError.invalidParam(`stages[${i}].stageKey must be a string`)
    // The SDK prefixes '$' itself except for raw pipelines, which carry the key as written.
    const key = stageKey.startsWith('$') ? stageKey : `$${stageKey}`
    if (!STAGES.has(key)) throw DbError.invalidOperator(`aggregation stage ${key} is not supported`)
    const value = parseWireParam(stageValue, `stages[${i}] (${key})`, ctx)
    if (key === '$geoNear' && !isDocObject(value))
      throw DbError.invalidParam('$geoNear needs an object')
    return { [key]: value }
  })
}
