// The audit trail: every write and every read of a full child record appends one entry (ids only, never names).
import { getDb, type Database } from './cloud'
import { COLLECTIONS, type Actor } from './records'

export type AuditEntry = {
  action: string
  /** what the entry is about: a record type and its id (never a name, ID number or phone) */
  target: { type: string; id: string }
  /** ids and codes only, e.g. the changed field names */
  detail?: Record<string, string | number | boolean | string[] | null>
}

export type AuditWriter = (entry: AuditEntry) => Promise<void>

type Adder = { collection(name: string): { add(arg: { data: Record<string, unknown> }): unknown } }

/** An audit writer for one request; pass a transaction to write the entry with the change it records. */
export function auditWriter(
  actor: Actor,
  now: () => Date,
  requestId: string | undefined,
): AuditWriter & {
  within(tx: Adder): AuditWriter
} {
  const doc = (entry: AuditEntry) => ({
    actorId: actor._id,
    role: actor.role,
    townshipId: actor.townshipId,
    villageId: actor.villageId,
    action: entry.action,
    target: entry.target,
    detail: entry.detail ?? null,
    requestId: requestId ?? null,
    at: now(),
  })
  const write = async (db: Adder | Database, entry: AuditEntry) => {
    await (db as Adder).collection(COLLECTIONS.audit).add({ data: doc(entry) })
  }
  const writer = (entry: AuditEntry) => write(getDb(), entry)
  return Object.assign(writer, { within: (tx: Adder) => (entry: AuditEntry) => write(tx, entry) })
}
