// Transaction bookkeeping for one environment: commit sequence, open transactions, buffered writes and the version history behind snapshot reads.
//
// Model (optimistic snapshot isolation, like MongoDB's, with first-committer-wins):
// - A transaction sees the database as of its start (`startSeq`) plus its own writes.
// - Its writes are buffered in memory and applied atomically at commit.
// - Every committed change made while any transaction is open records the document's previous
//   version ("before image") with the change's sequence number. Reads of a document changed after
//   a transaction's start return the before image of the first such change: the snapshot version.
// - Commit fails with DATABASE_TRANSACTION_CONFLICT when another commit changed a document this
//   transaction writes after it started. The conflict is reported at commit (not at the write) on
//   purpose: wx-server-sdk rewraps errors thrown by document calls into errCode -501001 and drops
//   the string code, so only a commit-time conflict reaches @cloudbase/database's runTransaction
//   retry check (`error.code === 'DATABASE_TRANSACTION_CONFLICT'`).

import { randomBytes } from 'node:crypto'
import type { DocObject } from './ejson'
import { DbError } from './errors'

/** Production bounds a transaction's life; an abandoned one is aborted after this long. */
export const TRANSACTION_TTL_MS = 30_000

export type Transaction = {
  readonly id: string
  readonly startSeq: number
  readonly startedAt: number
  /** collection → _id storage key → buffered document (null = deleted). */
  readonly writes: Map<string, Map<string, DocObject | null>>
}

type Change = { seq: number; before: DocObject | null }

export type Visible = { known: true; doc: DocObject | null } | { known: false }

export class TransactionManager {
  private seq = 0
  private readonly open = new Map<string, Transaction>()
  /** collection → _id key → changes committed while transactions were open, oldest first. */
  private readonly history = new Map<string, Map<string, Change[]>>()

  constructor(private readonly now: () => number) {}

  begin(): Transaction {
    this.expire()
    const tx: Transaction = {
      id: randomBytes(16).toString('hex'),
      startSeq: this.seq,
      startedAt: this.now(),
      writes: new Map(),
    }
    this.open.set(tx.id, tx)
    return tx
  }

  /** The open transaction, or DATABASE_TRANSACTION_FAIL when unknown, finished or expired. */
  get(id: string): Transaction {
    this.expire()
    const tx = this.open.get(id)
    if (!tx)
      throw DbError.transactionGone(
        id,
        'does not exist (never started, already committed/aborted, or expired)',
      )
    return tx
  }

  /** Ends the transaction (commit or abort) and drops history no open transaction can need. */
  end(tx: Transaction): void {
    this.open.delete(tx.id)
    this.gc()
  }

  abortAll(): void {
    this.open.clear()
    this.history.clear()
  }

  /**
   * Records committed changes: bumps the sequence and, while transactions are open, keeps the
   * before images they may need for snapshot reads and conflict checks.
   */
  recordCommit(changes: Array<{ coll: string; idKey: string; before: DocObject | null }>): void {
    this.seq++
    this.expire() // an abandoned transaction must not make history grow forever
    if (this.open.size === 0) return
    for (const c of changes) {
      let byId = this.history.get(c.coll)
      if (!byId) this.history.set(c.coll, (byId = new Map()))
      const list = byId.get(c.idKey)
      const entry = { seq: this.seq, before: c.before }
      if (list) list.push(entry)
      else byId.set(c.idKey, [entry])
    }
  }

  /** What the transaction sees for a document: its own write, the snapshot version, or "whatever is committed now". */
  visible(tx: Transaction, coll: string, idKey: string): Visible {
    const own = tx.writes.get(coll)
    if (own?.has(idKey)) return { known: true, doc: own.get(idKey) ?? null }
    const first = this.history
      .get(coll)
      ?.get(idKey)
      ?.find((c) => c.seq > tx.startSeq)
    if (first) return { known: true, doc: first.before }
    return { known: false }
  }

  /** Keys whose committed state differs from the transaction's view (own writes or changes after its start). */
  overlayKeys(tx: Transaction, coll: string): Set<string> {
    const keys = new Set<string>(tx.writes.get(coll)?.keys() ?? [])
    for (const [k, list] of this.history.get(coll) ?? []) {
      if (list.some((c) => c.seq > tx.startSeq)) keys.add(k)
    }
    return keys
  }

  changedSince(coll: string, idKey: string, seq: number): boolean {
    return (
      this.history
        .get(coll)
        ?.get(idKey)
        ?.some((c) => c.seq > seq) ?? false
    )
  }

  bufferWrite(tx: Transaction, coll: string, idKey: string, doc: DocObject | null): void {
    let byId = tx.writes.get(coll)
    if (!byId) tx.writes.set(coll, (byId = new Map()))
    byId.set(idKey, doc)
  }

  /** Throws the conflict error if anything this transaction wrote was committed by someone else after its start. */
  checkConflicts(tx: Transaction): void {
    for (const [coll, byId] of tx.writes) {
      for (const idKey of byId.keys()) {
        if (this.changedSince(coll, idKey, tx.startSeq)) {
          throw DbError.conflict(
            `document ${idKey} of collection "${coll}" was modified after transaction ${tx.id} started`,
          )
        }
      }
    }
  }

  private expire(): void {
    const now = this.now()
    let removed = false
    for (const tx of this.open.values()) {
      if (now - tx.startedAt > TRANSACTION_TTL_MS) {
        this.open.delete(tx.id)
        removed = true
      }
    }
    if (removed) this.gc()
  }

  private gc(): void {
    if (this.open.size === 0) {
      this.history.clear()
      return
    }
    let oldest = Infinity
    for (const tx of this.open.values()) oldest = Math.min(oldest, tx.startSeq)
    // A change at or before the oldest open start happened before every open transaction began.
    for (const [coll, byId] of this.history) {
      for (const [k, list] of byId) {
        const keep = list.filter((c) => c.seq > oldest)
        if (keep.length) byId.set(k, keep)
        else byId.delete(k)
      }
      if (byId.size === 0) this.history.delete(coll)
    }
  }
}
