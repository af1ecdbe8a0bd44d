// Pairings (结对) as stored, and the lookups every feature needs: a child's active pairing, a helper's children.
import * as z from 'zod'
import { getDb } from './cloud'
import { findMany, findOne, StoredDate } from './db'
import { COLLECTIONS } from './records'

export const PairingDoc = z.object({
  _id: z.string(),
  childId: z.string(),
  helperId: z.string(),
  townshipId: z.string(),
  villageId: z.string(),
  start: StoredDate,
  end: StoredDate.nullable(),
  active: z.boolean(),
  /**
   * The child's id while active, `ended:<pairing id>` after: a unique index on it allows at most one
   * active pairing per child, and the key is never missing (production indexes a missing field as null).
   */
  activeKey: z.string(),
  endReason: z.string().nullable(),
  createdBy: z.string(),
  createdAt: StoredDate,
})
export type PairingDoc = z.infer<typeof PairingDoc>

export function activePairing(childId: string): Promise<PairingDoc | null> {
  return findOne(
    PairingDoc,
    getDb().collection(COLLECTIONS.pairings).where({ activeKey: childId }).limit(1),
  )
}

/** Every pairing the child ever had, newest first (a child has few; 100 is far above any real history). */
export function pairingsOfChild(childId: string): Promise<PairingDoc[]> {
  return findMany(
    PairingDoc,
    getDb().collection(COLLECTIONS.pairings).where({ childId }).orderBy('start', 'desc').limit(100),
  )
}

/** Ids of the children a helper is paired with now (at most 1000: a helper has a handful). */
export async function pairedChildIds(helperId: string): Promise<string[]> {
  const list = await findMany(
    PairingDoc,
    getDb().collection(COLLECTIONS.pairings).where({ helperId, active: true }).limit(1000),
  )
  return list.map((p) => p.childId)
}
