// What the benchmarks share to store their generated data: the seed wire format, chunked inserts, village ids.
import type { Emulator } from '../emulator/src'
import { DEMO_IDS } from '../scripts/demo-data'

export type Doc = Record<string, unknown>

const CHUNK = 5_000

/** Documents as the seed wire wants them: dates as Extended JSON. */
function wire(doc: Doc): string {
  return JSON.stringify(doc, function (this: Record<string, unknown>, key, value: unknown) {
    const raw = this[key]
    return raw instanceof Date ? { $date: raw.toISOString() } : value
  })
}

/** Stores documents straight into the emulator's database, 5,000 per call. */
export async function insert(emu: Emulator, collectionName: string, docs: Doc[]): Promise<void> {
  for (let i = 0; i < docs.length; i += CHUNK) {
    await emu.database.handle(
      'database.insertDocument',
      {
        action: 'database.insertDocument',
        collectionName,
        data: docs.slice(i, i + CHUNK).map(wire),
      },
      { env: emu.env, requestId: 'bench-seed' },
    )
  }
}

/** A deterministic spread (no Math.random: the figures must be comparable between runs). */
export const spread = (i: number, n: number) => (i * 7919 + 13) % n

/** The v-th village of the generated township: the two demo villages first, then generated ones. */
export function villageId(v: number): string {
  if (v === 0) return DEMO_IDS.villages['village-1']
  if (v === 1) return DEMO_IDS.villages['village-2']
  return `vil-bench-${String(v).padStart(2, '0')}`
}
