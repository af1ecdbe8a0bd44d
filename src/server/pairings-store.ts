// Pairings (结对) as stored, and the lookups every feature needs: a child's active pairing, a helper's children.
import * as z from 'zod'
import { ENDED_REASONS, type PairingView } from '../core/pairings'
import { chinaDate } from '../core/time'
import { getDb } from './cloud'
import { findMany, findOne, StoredDate } from './db'
import { COLLECTIONS } from './records'

export const PairingDoc = z.object({
  _id: z.string(),
  childId: z.string(),
  helperId: z.string(),
  /** the helper's display name when the pairing was made (history and the board show it) */
  helperName: z.string().default(''),
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
  endReason: z.enum(ENDED_REASONS).nullable(),
  endNote: z.string().nullable().default(null),
  endedBy: z.string().nullable().default(null),
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

/**
 * Every pairing the child ever had, newest first (a child has few; 100 is far above any real history).
 * A hand-over on the day a pairing began leaves two pairings with the same start: the later made is newer.
 */
export function pairingsOfChild(childId: string): Promise<PairingDoc[]> {
  return findMany(
    PairingDoc,
    getDb()
      .collection(COLLECTIONS.pairings)
      .where({ childId })
      .orderBy('start', 'desc')
      .orderBy('createdAt', 'desc')
      .limit(100),
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

const LoadRow = z.object({ _id: z.string(), n: z.number() })

/** How many children each helper is paired with now, in one aggregate call (helpers without any are absent). */
export async function activeLoads(helperIds: readonly string[]): Promise<Map<string, number>> {
  if (helperIds.length === 0) return new Map()
  const db = getDb()
  const _ = db.command
  const res = (await db
    .collection(COLLECTIONS.pairings)
    .aggregate()
    .match({ helperId: _.in([...helperIds]), active: true })
    .group({ _id: '$helperId', n: _.aggregate.sum(1) })
    .end()) as unknown
  const list = z.object({ list: z.array(LoadRow) }).parse(res).list
  return new Map(list.map((r) => [r._id, r.n]))
}

export function pairingView(p: PairingDoc): PairingView {
  return {
    id: p._id,
    childId: p.childId,
    helperId: p.helperId,
    helperName: p.helperName,
    villageId: p.villageId,
    start: p.start,
    end: p.end,
    startDate: chinaDate(p.start),
    endDate: p.end ? chinaDate(p.end) : null,
    active: p.active,
    endReason: p.endReason,
    endNote: p.endNote,
  }
}

// ------------------------------------------------------------------------------- transactions

/**
 * The part of wx-server-sdk's transaction this project uses (its typings say `any`). Only doc() and
 * add(): a where().update() on a transaction's collection silently runs outside the transaction.
 */
export type TxDoc = {
  get(): Promise<unknown>
  set(o: { data: Record<string, unknown> }): Promise<unknown>
  update(o: { data: Record<string, unknown> }): Promise<unknown>
}
export type TxCollection = {
  doc(id: string): TxDoc
  add(o: { data: Record<string, unknown> }): Promise<unknown>
}
export type Tx = { collection(name: string): TxCollection }

/**
 * Runs `fn` in one database transaction; the SDK retries it (from the start) on a write conflict,
 * so `fn` must only read and write through `tx`. An error thrown inside rolls everything back.
 */
export function runTransaction<T>(fn: (tx: Tx) => Promise<T>): Promise<T> {
  return getDb().runTransaction(fn) as Promise<T>
}

/** A document read inside a transaction, or null when it does not exist in the transaction's snapshot. */
export async function txGet<S extends z.ZodType>(
  schema: S,
  tx: Tx,
  collection: string,
  id: string,
): Promise<z.output<S> | null> {
  try {
    const res = z.object({ data: z.unknown() }).parse(await tx.collection(collection).doc(id).get())
    return res.data == null ? null : schema.parse(res.data)
  } catch (err) {
    // wx-server-sdk reports a missing document as an error (errMsg "… does not exist").
    if (/does not exist/.test(errorText(err))) return null
    throw err
  }
}

export function errorText(err: unknown): string {
  if (err instanceof Error) return err.message
  if (typeof err === 'object' && err !== null) {
    const e = err as { errMsg?: unknown; message?: unknown }
    return String(e.errMsg ?? e.message ?? '')
  }
  return String(err)
}

/** Whether a write failed on a unique index (MongoDB's E11000, as production and the emulator report it). */
export function isDuplicateKey(err: unknown): boolean {
  return /E11000|duplicate key/i.test(errorText(err))
}

/** The new document's id from an add() answer. */
export function addedId(res: unknown): string {
  return z.object({ _id: z.string() }).parse(res)._id
}

// ------------------------------------------------------------------------------- scope

/** The child record as pairing and contact logs read it: only these fields of the stored child. */
export const ChildRef = z.object({
  _id: z.string(),
  townshipId: z.string(),
  villageId: z.string(),
  status: z.enum(['active', 'archived']),
})
export type ChildRef = z.infer<typeof ChildRef>

export function childRef(childId: string): Promise<ChildRef | null> {
  return findOne(
    ChildRef,
    getDb().collection(COLLECTIONS.children).where({ _id: childId }).limit(1),
  )
}

/**
 * Whether an officer's scope covers a record of a village: the same township, and for a village
 * officer the same village. Any other scope covers nothing (deny by default).
 */
export function officerCovers(
  actor: { townshipId: string; villageId: string | null },
  scope: string,
  rec: { townshipId: string; villageId: string | null },
): boolean {
  if (rec.townshipId !== actor.townshipId) return false
  if (scope === 'township') return true
  if (scope === 'village') return actor.villageId !== null && rec.villageId === actor.villageId
  return false
}
