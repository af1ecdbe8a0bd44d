// The stored supervision rollups (`stats_rollups`): changed inside the writers' transactions, read by the dashboard.
// What they count and why they always equal a recount: src/core/rollups.ts.
import * as z from 'zod'
import { addCounters, rollupDeltas, type Contribution, type Counters } from '../core/rollups'
import { getDb } from './cloud'
import { findMany, StoredDate } from './db'
import { txGet, type Tx } from './pairings-store'
import { COLLECTIONS } from './records'

export const RollupDoc = z.object({
  _id: z.string(),
  townshipId: z.string(),
  villageId: z.string(),
  counters: z.record(z.string(), z.number()),
  updatedAt: StoredDate,
})
export type RollupDoc = z.infer<typeof RollupDoc>

/**
 * Inside the writer's transaction: adds the change of one document's contribution to its rollup(s).
 * A rollup is read and rewritten whole in the transaction, so two writers to it conflict and the
 * SDK retries one of them: no increment is lost.
 */
export async function applyContributionInTx(
  tx: Tx,
  before: Contribution | null,
  after: Contribution | null,
  now: Date,
): Promise<void> {
  for (const delta of rollupDeltas(before, after)) {
    const current = await txGet(RollupDoc, tx, COLLECTIONS.rollups, delta.id)
    const counters = addCounters(current?.counters ?? {}, delta.counters)
    await tx
      .collection(COLLECTIONS.rollups)
      .doc(delta.id)
      .set({
        data: {
          townshipId: delta.townshipId,
          villageId: delta.villageId,
          counters,
          updatedAt: now,
        },
      })
  }
}

/** The scope's rollups summed per village: one query (a township has tens of villages, a few shards each). */
export async function rollupsByVillage(scope: {
  townshipId: string
  villageId?: string
}): Promise<Map<string, Counters>> {
  const docs = await findMany(
    RollupDoc,
    getDb().collection(COLLECTIONS.rollups).where(scope).limit(1000),
  )
  const out = new Map<string, Counters>()
  for (const d of docs) out.set(d.villageId, addCounters(out.get(d.villageId) ?? {}, d.counters))
  return out
}
