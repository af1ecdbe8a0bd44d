// Database transactions through the real wx-server-sdk: commit, rollback, snapshot reads, conflicts and the SDK's own retry.

import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import type { AdminParams } from '../../emulator/src/admin/protocol'
import { rejection, startDbHarness, TEST_ENV, type DbHarness } from './db-harness'

type Doc = Record<string, unknown>

/** The slice of wx-server-sdk's Transaction the tests use (its typings say `any`). */
type TxDoc = {
  get(): Promise<{ data: Doc | null }>
  update(o: { data: Doc }): Promise<{ stats: { updated: number } }>
  set(o: { data: Doc }): Promise<{ stats: { updated: number; created: number } }>
  remove(): Promise<{ stats: { removed: number } }>
}
type TxColl = {
  doc(id: string): TxDoc
  add(o: { data: Doc }): Promise<{ _id: string }>
  where(q: Doc): {
    get(): Promise<{ data: Doc[] }>
    update(o: { data: Doc }): Promise<{ stats: { updated: number } }>
  }
}
type Tx = {
  collection(name: string): TxColl
  commit(): Promise<unknown>
  rollback(reason?: unknown): Promise<unknown>
}

let h: DbHarness

beforeAll(async () => {
  h = await startDbHarness({
    schema: {
      collections: [
        { name: 'accounts' },
        { name: 'members', indexes: [{ name: 'openid_1', keys: { openid: 1 }, unique: true }] },
      ],
    },
  })
})
afterAll(async () => {
  await h.close()
})
beforeEach(() => {
  h.service().reset()
})

const run = <T>(fn: (t: Tx) => Promise<T>): Promise<T> => h.db.runTransaction(fn) as Promise<T>
const start = (): Promise<Tx> => h.db.startTransaction() as Promise<Tx>
async function read(id: string): Promise<Doc | null> {
  try {
    return ((await h.db.collection('accounts').doc(id).get()) as { data: Doc }).data
  } catch {
    return null
  }
}
async function seed(docs: Doc[]): Promise<void> {
  await h.db.collection('accounts').add({ data: docs as unknown as Doc })
}

/** Resolves once `n` callers are waiting: forces two transactions to interleave. */
function barrier(n: number): () => Promise<void> {
  let waiting = 0
  let release: () => void = () => {}
  const all = new Promise<void>((r) => (release = r))
  return () => {
    if (++waiting >= n) release()
    return all
  }
}

describe('commit and rollback', () => {
  it('commits reads, updates, inserts, sets and removes atomically, returning the callback result', async () => {
    await seed([
      { _id: 'a', balance: 100 },
      { _id: 'b', balance: 0 },
      { _id: 'old', x: 1 },
    ])
    const _ = h.db.command
    const result = await run(async (t) => {
      const a = await t.collection('accounts').doc('a').get()
      await t
        .collection('accounts')
        .doc('a')
        .update({ data: { balance: _.inc(-30) } })
      await t
        .collection('accounts')
        .doc('b')
        .update({ data: { balance: _.inc(30) } })
      const added = await t.collection('accounts').add({ data: { _id: 'log1', amount: 30 } })
      await t
        .collection('accounts')
        .doc('c')
        .set({ data: { balance: 5 } })
      await t.collection('accounts').doc('old').remove()
      return { before: a.data?.balance, added: added._id }
    })
    expect(result).toEqual({ before: 100, added: 'log1' })
    expect(await read('a')).toEqual({ _id: 'a', balance: 70 })
    expect(await read('b')).toEqual({ _id: 'b', balance: 30 })
    expect(await read('log1')).toEqual({ _id: 'log1', amount: 30 })
    expect(await read('c')).toEqual({ _id: 'c', balance: 5 })
    expect(await read('old')).toBeNull()
  })

  it('rolls back on transaction.rollback(reason): runTransaction rejects with the reason, nothing applied', async () => {
    await seed([{ _id: 'a', balance: 10 }])
    const _ = h.db.command
    const reason = await run(async (t) => {
      await t
        .collection('accounts')
        .doc('a')
        .update({ data: { balance: _.inc(-50) } })
      await t.rollback('insufficient funds')
    }).then(
      () => 'resolved',
      (e: unknown) => e,
    )
    expect(reason).toBe('insufficient funds')
    expect(await read('a')).toEqual({ _id: 'a', balance: 10 })
  })

  it('rolls back when the callback throws', async () => {
    await seed([{ _id: 'a', balance: 10 }])
    const err = await run(async (t) => {
      await t
        .collection('accounts')
        .doc('a')
        .update({ data: { balance: 0 } })
      await t.collection('accounts').add({ data: { _id: 'x' } })
      throw new Error('boom')
    }).catch((e: unknown) => e)
    expect((err as Error).message).toBe('boom')
    expect(await read('a')).toEqual({ _id: 'a', balance: 10 })
    expect(await read('x')).toBeNull()
  })

  it('supports db.startTransaction() with explicit commit and rollback', async () => {
    await seed([{ _id: 'a', n: 1 }])
    const t1 = await start()
    await t1
      .collection('accounts')
      .doc('a')
      .update({ data: { n: 2 } })
    await t1.commit()
    expect(await read('a')).toEqual({ _id: 'a', n: 2 })

    const t2 = await start()
    await t2
      .collection('accounts')
      .doc('a')
      .update({ data: { n: 3 } })
    await t2.rollback()
    expect(await read('a')).toEqual({ _id: 'a', n: 2 })
    // A finished transaction cannot be used again.
    const again = (await t2.commit().catch((e: unknown) => e)) as { code?: string }
    expect(again.code).toBe('DATABASE_TRANSACTION_FAIL')
  })
})

describe('isolation', () => {
  it('hides uncommitted writes from everyone else and shows the transaction its own writes', async () => {
    await seed([{ _id: 'a', n: 1 }])
    const t = await start()
    await t
      .collection('accounts')
      .doc('a')
      .update({ data: { n: 100 } })
    const added = await t.collection('accounts').add({ data: { tag: 'new' } })
    expect((await t.collection('accounts').doc('a').get()).data).toEqual({ _id: 'a', n: 100 })
    expect((await t.collection('accounts').doc(added._id).get()).data).toEqual({
      _id: added._id,
      tag: 'new',
    })
    expect(await read('a')).toEqual({ _id: 'a', n: 1 })
    expect(await read(added._id)).toBeNull()
    await t.commit()
    expect(await read('a')).toEqual({ _id: 'a', n: 100 })
    expect(await read(added._id)).toEqual({ _id: added._id, tag: 'new' })
  })

  it('reads a snapshot taken at the start: later commits by others are not seen', async () => {
    await seed([
      { _id: 'a', n: 1 },
      { _id: 'b', n: 1 },
    ])
    const t = await start()
    expect((await t.collection('accounts').doc('a').get()).data?.n).toBe(1)
    await h.db
      .collection('accounts')
      .doc('a')
      .update({ data: { n: 5 } })
    await h.db.collection('accounts').doc('b').remove()
    await h.db.collection('accounts').add({ data: { _id: 'c', n: 1 } })
    expect((await t.collection('accounts').doc('a').get()).data?.n).toBe(1)
    expect((await t.collection('accounts').doc('b').get()).data).toEqual({ _id: 'b', n: 1 })
    // Not in the snapshot: wx-server-sdk turns the transaction's null answer into its not-found error.
    expect((await rejection(t.collection('accounts').doc('c').get())).errMsg).toBe(
      'document.get:fail document with _id c does not exist',
    )
    // where().get() inside a transaction carries the transaction id and reads the same snapshot.
    const rows = (await t.collection('accounts').where({ n: 1 }).get()).data
    expect(rows.map((d) => d._id).sort()).toEqual(['a', 'b'])
    await t.commit() // read-only: nothing to conflict with
    expect(await read('a')).toEqual({ _id: 'a', n: 5 })
  })

  it('runs where().update() outside the transaction, as the SDK does (it sends no transaction id)', async () => {
    await seed([{ _id: 'a', n: 1 }])
    const t = await start()
    await t
      .collection('accounts')
      .where({ _id: 'a' })
      .update({ data: { n: 9 } })
    expect(await read('a')).toEqual({ _id: 'a', n: 9 }) // already visible outside
    await t.rollback()
    expect(await read('a')).toEqual({ _id: 'a', n: 9 }) // and not undone
  })
})

describe('conflicts', () => {
  it('lets two concurrent read-modify-write transactions both land: the loser gets a conflict and the SDK retries', async () => {
    await seed([{ _id: 'counter', n: 0 }])
    let attempts = 0
    const bothRead = barrier(2)
    const increment = () =>
      run(async (t) => {
        const attempt = ++attempts
        const cur = (await t.collection('accounts').doc('counter').get()).data?.n as number
        if (attempt <= 2) await bothRead() // the first two attempts read the same value before either writes
        await t
          .collection('accounts')
          .doc('counter')
          .update({ data: { n: cur + 1 } })
        return cur
      })
    const seen = await Promise.all([increment(), increment()])
    expect(await read('counter')).toEqual({ _id: 'counter', n: 2 })
    expect(attempts).toBe(3) // one retry
    expect(seen.sort()).toEqual([0, 1])
  })

  it('keeps _.inc increments from several concurrent transactions', async () => {
    await seed([{ _id: 'counter', n: 0 }])
    const _ = h.db.command
    const go = barrier(3)
    await Promise.all(
      [1, 2, 3].map(() =>
        run(async (t) => {
          await t.collection('accounts').doc('counter').get()
          await t
            .collection('accounts')
            .doc('counter')
            .update({ data: { n: _.inc(1) } })
          await Promise.race([go(), new Promise((r) => setTimeout(r, 50))])
        }),
      ),
    )
    expect(await read('counter')).toEqual({ _id: 'counter', n: 3 })
  })

  it('fails the second committer with DATABASE_TRANSACTION_CONFLICT', async () => {
    await seed([{ _id: 'a', n: 0 }])
    const t1 = await start()
    const t2 = await start()
    await t1
      .collection('accounts')
      .doc('a')
      .update({ data: { n: 1 } })
    await t2
      .collection('accounts')
      .doc('a')
      .update({ data: { n: 2 } })
    await t1.commit()
    const e = (await t2.commit().catch((x: unknown) => x)) as { code?: string; message?: string }
    expect(e.code).toBe('DATABASE_TRANSACTION_CONFLICT')
    expect(e.message).toContain('Transaction is conflicting with others')
    expect(await read('a')).toEqual({ _id: 'a', n: 1 })
  })

  it('conflicts with a plain write committed after the transaction started, and the retry sees it', async () => {
    await seed([{ _id: 'a', n: 10 }])
    let attempts = 0
    await run(async (t) => {
      attempts++
      const cur = (await t.collection('accounts').doc('a').get()).data?.n as number
      if (attempts === 1)
        await h.db
          .collection('accounts')
          .doc('a')
          .update({ data: { n: 20 } })
      await t
        .collection('accounts')
        .doc('a')
        .update({ data: { n: cur * 2 } })
    })
    expect(attempts).toBe(2)
    expect(await read('a')).toEqual({ _id: 'a', n: 40 })
  })

  it('gives up after the SDK retries (3) and rejects with the conflict', async () => {
    await seed([{ _id: 'a', n: 0 }])
    let attempts = 0
    const e = (await run(async (t) => {
      attempts++
      await t
        .collection('accounts')
        .doc('a')
        .update({ data: { n: attempts } })
      await h.db
        .collection('accounts')
        .doc('a')
        .update({ data: { other: attempts } }) // always interferes
    }).catch((x: unknown) => x)) as { code?: string }
    expect(e.code).toBe('DATABASE_TRANSACTION_CONFLICT')
    expect(attempts).toBe(4)
    expect((await read('a'))?.n).toBe(0)
  })

  it('does not conflict on documents it only read (snapshot isolation)', async () => {
    await seed([
      { _id: 'a', n: 1 },
      { _id: 'b', n: 1 },
    ])
    const t = await start()
    await t.collection('accounts').doc('a').get()
    await h.db
      .collection('accounts')
      .doc('a')
      .update({ data: { n: 2 } })
    await t
      .collection('accounts')
      .doc('b')
      .update({ data: { n: 3 } })
    await t.commit()
    expect(await read('b')).toEqual({ _id: 'b', n: 3 })
  })
})

describe('constraints and lifetime', () => {
  it('refuses a duplicate _id inside the transaction and a unique-index duplicate at commit', async () => {
    await seed([{ _id: 'a' }])
    const t = await start()
    const dup = await rejection(t.collection('accounts').add({ data: { _id: 'a' } }))
    expect(dup.errCode).toBe(-502001)
    await t.rollback()

    await h.db.collection('members').add({ data: { openid: 'o1' } })
    const err = (await run(async (tx) => {
      await tx.collection('members').add({ data: { openid: 'o1' } })
      await tx.collection('accounts').add({ data: { _id: 'side-effect' } })
    }).catch((x: unknown) => x)) as { code?: string; message?: string }
    expect(err.code).toBe('DATABASE_REQUEST_FAILED')
    expect(err.message).toContain('E11000 duplicate key error collection: members index: openid_1')
    expect(await read('side-effect')).toBeNull() // all or nothing
  })

  it('expires a transaction left open longer than 30 s (emulator clock)', async () => {
    await seed([{ _id: 'a', n: 1 }])
    const t = await start()
    await t
      .collection('accounts')
      .doc('a')
      .update({ data: { n: 2 } })
    h.clock.set(new Date(h.clock.nowMs() + 31_000))
    const e = (await t.commit().catch((x: unknown) => x)) as { code?: string }
    h.clock.reset()
    expect(e.code).toBe('DATABASE_TRANSACTION_FAIL')
    expect(await read('a')).toEqual({ _id: 'a', n: 1 })
  })

  it('serves the legacy transaction actions (getInTransaction, updateDocInTransaction, deleteDocInTransaction)', async () => {
    await seed([
      { _id: 'a', n: 1 },
      { _id: 'b', n: 1 },
    ])
    const call = (action: string, body: Record<string, unknown>) =>
      h
        .service()
        .handle(action, { action, ...body } as AdminParams, { env: TEST_ENV, requestId: 'r' })
    const { transactionId } = (await call('database.startTransaction', {})) as {
      transactionId: string
    }
    const got = (await call('database.getInTransaction', {
      collectionName: 'accounts',
      transactionId,
      _id: 'a',
    })) as { data: string }
    expect(JSON.parse(got.data)).toEqual({ _id: 'a', n: { $numberInt: '1' } })
    const upd = (await call('database.updateDocInTransaction', {
      collectionName: 'accounts',
      transactionId,
      _id: 'a',
      data: JSON.stringify({ $set: { n: 7 } }),
    })) as { updated: string }
    expect(JSON.parse(upd.updated)).toBe(1)
    const set = (await call('database.updateDocInTransaction', {
      collectionName: 'accounts',
      transactionId,
      _id: 'z',
      data: JSON.stringify({ fresh: true }),
      upsert: true,
    })) as { upserted: string }
    expect(JSON.parse(set.upserted)).toEqual([{ _id: 'z' }])
    const del = (await call('database.deleteDocInTransaction', {
      collectionName: 'accounts',
      transactionId,
      _id: 'b',
    })) as { deleted: string }
    expect(JSON.parse(del.deleted)).toBe(1)
    await call('database.commitTransaction', { transactionId })
    expect(await read('a')).toEqual({ _id: 'a', n: 7 })
    expect(await read('z')).toEqual({ _id: 'z', fresh: true })
    expect(await read('b')).toBeNull()
  })
})
