// Delivery through the outbox: every intended message is written before it is sent, sent at most once per key, and charged to the quota ledger.
//
// Order of work for a batch (the sweep's page, or one urgent report):
//  1. read the outbox entries covering the batch's triggers, and the recipients' ledger rows;
//  2. drop what an earlier run already settled; write the new entries in one call: `pending` when
//     the ledger shows quota, `no_quota` (undeliverable, nothing sent) when it does not;
//  3. send the pending ones one after another, each followed by one write of its outcome;
//  4. charge the ledger for what was sent, and flag the recipients who could not be reached.
// Sends are sequential, so after a crash only the first `pending` entry of a batch can have reached
// WeChat without its outcome being written; it is sent again (see docs/api-reminders.md).
import { type TemplateKey, SUBSCRIPTIONS, messageData } from '../core/subscriptions-config'
import type { Role } from '../core/roles'
import { getCloud, getDb } from './cloud'
import { findMany } from './db'
import { errorText } from './pairings-store'
import { COLLECTIONS } from './records'
import {
  findByIds,
  insertMany,
  ledgerId,
  LedgerDoc,
  OutboxDoc,
  outboxCovering,
  updateByIds,
} from './reminders-store'

/** WeChat errors that a retry cannot fix: bad openid, unknown template, bad values, page not published. */
export const PERMANENT_ERRORS: ReadonlySet<number> = new Set([40003, 40037, 47003, 41030])
export const NO_QUOTA_ERROR = 43101

export type Recipient = {
  userId: string
  openid: string
  role: Role
  townshipId: string
  villageId: string | null
  displayName: string
}

/** One message the caller wants delivered. */
export type Intended = {
  recipient: Recipient
  template: TemplateKey
  /** trigger keys, most urgent first; the first is the message's outbox key */
  covers: string[]
  periodKey: string
  stage: string
  reason: string
  /** message roles (summary, stage...) → value; fitted to the template's keywords here */
  values: Record<string, string>
  escalated?: string[]
}

export type Delivery = { key: string; recipientId: string; state: OutboxDoc['state'] }

/**
 * Test-only fault injection: a preload script that the fault-injection test installs (NODE_OPTIONS
 * --require) may define this global; production never does, and then every hook is a no-op.
 */
type FaultHooks = { afterSendRecorded?: (sentSoFar: number) => void; budgetMs?: number }
export function faultHooks(): FaultHooks {
  const g = globalThis as { __shouhuFaults?: { reminders?: FaultHooks } }
  return g.__shouhuFaults?.reminders ?? {}
}

export type DeliverContext = {
  now: () => Date
  /** the run or request id stamped on new entries */
  batch: string
  /** stop sending when this returns true; what is left stays `pending` for the next run */
  outOfTime: () => boolean
  maxAttempts: number
  /** messages recorded as sent by this invocation (fault hooks count them) */
  counter: { sent: number }
}

const FINAL: ReadonlySet<OutboxDoc['state']> = new Set(['sent', 'no_quota', 'refused', 'failed'])

/** Delivers a batch of intended messages; returns what became of each (pending when time ran out). */
export async function deliver(
  intended: readonly Intended[],
  ctx: DeliverContext,
): Promise<Delivery[]> {
  if (intended.length === 0) return []
  const now = ctx.now()
  const [existing, ledgers] = await Promise.all([
    outboxCovering(intended.flatMap((i) => i.covers)),
    findByIds(
      LedgerDoc,
      COLLECTIONS.subscriptions,
      intended.map((i) => ledgerId(i.recipient.userId, i.template)),
    ),
  ])
  const byCover = new Map<string, OutboxDoc>()
  for (const e of existing) for (const c of e.covers) byCover.set(c, e)
  const quota = new Map(ledgers.map((l) => [l._id, l.remaining]))

  const toSend: Array<{ doc: OutboxDoc; isNew: boolean }> = []
  const fresh: OutboxDoc[] = []
  const undeliverable: Intended[] = []
  const settledOut: Delivery[] = []
  for (const want of intended) {
    const overlap = want.covers.map((c) => byCover.get(c)).filter((e) => e !== undefined)
    const open = overlap.find((e) => !FINAL.has(e.state))
    const settled = new Set(overlap.filter((e) => FINAL.has(e.state)).flatMap((e) => e.covers))
    const covers = want.covers.filter((c) => !settled.has(c))
    if (covers.length === 0) {
      // Announced already (an earlier run, or a retried request): report what became of it.
      const e = overlap[0]
      if (e) settledOut.push({ key: e._id, recipientId: want.recipient.userId, state: e.state })
      continue
    }
    const t = SUBSCRIPTIONS.templates[want.template]
    const data = Object.fromEntries(
      Object.entries(messageData(t, want.values)).map(([k, v]) => [k, v.value]),
    )
    if (open) {
      // A message an earlier run wrote but did not finish: send it under its own key, now covering all.
      const doc = { ...open, covers: [...new Set([...open.covers, ...covers])], data }
      toSend.push({ doc, isNew: false })
      continue
    }
    const lid = ledgerId(want.recipient.userId, want.template)
    const left = quota.get(lid) ?? 0
    const hasQuota = left > 0
    if (hasQuota) quota.set(lid, left - 1)
    else undeliverable.push(want)
    const [primary] = covers
    const parts = (primary ?? '').split('|')
    const doc: OutboxDoc = {
      _id: primary ?? '',
      covers,
      recipientId: want.recipient.userId,
      recipientOpenid: want.recipient.openid,
      recipientRole: want.recipient.role,
      townshipId: want.recipient.townshipId,
      villageId: want.recipient.villageId,
      template: want.template,
      templateId: t.id,
      periodKey: parts[2] ?? want.periodKey,
      stage: parts[3] ?? want.stage,
      reason: want.reason,
      data,
      page: t.page,
      escalated: want.escalated ?? [],
      state: hasQuota ? 'pending' : 'no_quota',
      attempts: 0,
      errorCode: null,
      batch: ctx.batch,
      seq: fresh.length,
      charged: false,
      createdAt: now,
      updatedAt: now,
      sentAt: null,
    }
    fresh.push(doc)
    if (hasQuota) toSend.push({ doc, isNew: true })
  }
  await insertMany(COLLECTIONS.outbox, fresh)

  const out: Delivery[] = [...settledOut]
  out.push(
    ...fresh
      .filter((d) => d.state === 'no_quota')
      .map((d) => ({ key: d._id, recipientId: d.recipientId, state: d.state })),
  )
  out.push(
    ...(await sendEntries(
      toSend.map((t) => t.doc),
      ledgers,
      undeliverable,
      ctx,
    )),
  )
  return out
}

/**
 * Sends entries already in the outbox (pending or retry) one after another, writing each outcome,
 * then charges the ledger and flags who could not be reached.
 */
export async function sendEntries(
  docs: readonly OutboxDoc[],
  ledgers: readonly LedgerDoc[],
  undeliverable: Intended[],
  ctx: DeliverContext,
): Promise<Delivery[]> {
  const out: Delivery[] = []
  const sent: OutboxDoc[] = []
  const refusedLedgers: string[] = []
  for (const doc of docs) {
    if (ctx.outOfTime()) {
      out.push({ key: doc._id, recipientId: doc.recipientId, state: 'pending' })
      continue
    }
    const result = await sendOne(doc)
    const at = ctx.now()
    const attempts = doc.attempts + 1
    let state: OutboxDoc['state'] = 'sent'
    if (result !== 0) {
      if (result === NO_QUOTA_ERROR) state = 'refused'
      else if (PERMANENT_ERRORS.has(result) || attempts >= ctx.maxAttempts) state = 'failed'
      else state = 'retry'
    }
    await getDb()
      .collection(COLLECTIONS.outbox)
      .doc(doc._id)
      .update({
        data: {
          state,
          attempts,
          errorCode: result === 0 ? null : result,
          covers: doc.covers,
          data: doc.data,
          updatedAt: at,
          sentAt: state === 'sent' ? at : null,
        },
      })
    out.push({ key: doc._id, recipientId: doc.recipientId, state })
    if (state === 'sent') {
      sent.push(doc)
      ctx.counter.sent += 1
      faultHooks().afterSendRecorded?.(ctx.counter.sent)
    } else if (state === 'refused') {
      refusedLedgers.push(ledgerId(doc.recipientId, doc.template))
      undeliverable.push(intendedOf(doc))
    } else if (state === 'failed') {
      undeliverable.push(intendedOf(doc))
    }
  }
  await chargeLedger(
    sent.map((d) => ({ key: d._id, ledger: ledgerId(d.recipientId, d.template) })),
    ctx.now(),
  )
  if (refusedLedgers.length > 0) {
    // WeChat says there is no acceptance left: the ledger was wrong, so it is corrected to zero.
    await updateByIds(COLLECTIONS.subscriptions, refusedLedgers, {
      remaining: 0,
      updatedAt: ctx.now(),
    })
  }
  await flagUnreachable(undeliverable, ledgers, ctx.now())
  return out
}

function intendedOf(d: OutboxDoc): Intended {
  return {
    recipient: {
      userId: d.recipientId,
      openid: d.recipientOpenid,
      role: d.recipientRole,
      townshipId: d.townshipId,
      villageId: d.villageId,
      displayName: '',
    },
    template: d.template,
    covers: d.covers,
    periodKey: d.periodKey,
    stage: d.stage,
    reason: d.reason,
    values: {},
  }
}

/** One send; 0 when WeChat accepted it, else its error code (-1 when the call failed without one). */
async function sendOne(doc: OutboxDoc): Promise<number> {
  try {
    await getCloud().openapi.subscribeMessage.send({
      touser: doc.recipientOpenid,
      templateId: doc.templateId,
      page: doc.page,
      data: Object.fromEntries(Object.entries(doc.data).map(([k, v]) => [k, { value: v }])),
    })
    return 0
  } catch (err) {
    const code = (err as { errCode?: unknown }).errCode
    if (typeof code === 'number' && code !== 0) return code
    console.log(JSON.stringify({ fn: 'reminders', send: 'error', error: errorText(err) }))
    return -1
  }
}

/**
 * Charges the ledger for sent messages: first marks the outbox entries charged, then decrements each
 * ledger row by its count (one update per distinct count, usually one). A crash between the two
 * leaves a ledger one message too generous, which WeChat's 43101 then corrects; the other order would
 * silently withhold a reminder the user had accepted.
 */
export async function chargeLedger(
  sent: ReadonlyArray<{ key: string; ledger: string }>,
  now: Date,
): Promise<void> {
  if (sent.length === 0) return
  await updateByIds(
    COLLECTIONS.outbox,
    sent.map((s) => s.key),
    { charged: true },
  )
  const counts = new Map<string, number>()
  for (const s of sent) counts.set(s.ledger, (counts.get(s.ledger) ?? 0) + 1)
  const byCount = new Map<number, string[]>()
  for (const [ledger, n] of counts) byCount.set(n, [...(byCount.get(n) ?? []), ledger])
  const _ = getDb().command
  for (const [n, ids] of byCount) {
    await updateByIds(COLLECTIONS.subscriptions, ids, {
      remaining: _.inc(-n),
      unreachableSince: null,
      updatedAt: now,
    })
  }
}

/** Recipients who could not be reached get `unreachableSince` (kept from the first time); rows are created for users who never granted. */
async function flagUnreachable(
  wants: readonly Intended[],
  known: readonly LedgerDoc[],
  now: Date,
): Promise<void> {
  if (wants.length === 0) return
  const knownIds = new Set(known.map((l) => l._id))
  const existing: string[] = []
  const missing = new Map<string, Record<string, unknown>>()
  for (const w of wants) {
    const id = ledgerId(w.recipient.userId, w.template)
    if (knownIds.has(id)) existing.push(id)
    else
      missing.set(id, {
        _id: id,
        userId: w.recipient.userId,
        openid: w.recipient.openid,
        role: w.recipient.role,
        townshipId: w.recipient.townshipId,
        villageId: w.recipient.villageId,
        displayName: w.recipient.displayName,
        template: w.template,
        templateId: SUBSCRIPTIONS.templates[w.template].id,
        remaining: 0,
        granted: 0,
        unreachableSince: now,
        grantRequests: [],
        updatedAt: now,
      })
  }
  if (existing.length > 0) {
    await updateByIds(
      COLLECTIONS.subscriptions,
      existing,
      { unreachableSince: now, updatedAt: now },
      { unreachableSince: null },
    )
  }
  if (missing.size > 0) {
    try {
      await insertMany(COLLECTIONS.subscriptions, [...missing.values()])
    } catch (err) {
      // A grant created the row meanwhile: it is reachable again, nothing to flag.
      console.log(JSON.stringify({ fn: 'reminders', flagUnreachable: errorText(err) }))
    }
  }
}

/** Removes the outbox entries created before `before`: one call. */
export async function pruneOutbox(before: Date): Promise<void> {
  const db = getDb()
  await db
    .collection(COLLECTIONS.outbox)
    .where({ createdAt: db.command.lt(before) })
    .remove()
}

/** Outbox entries left to finish by earlier runs: pending or retry (to send), sent but not charged (to charge). */
export async function unfinishedEntries(since: Date): Promise<OutboxDoc[]> {
  const db = getDb()
  const _ = db.command
  return findMany(
    OutboxDoc,
    db
      .collection(COLLECTIONS.outbox)
      .where(
        _.or([
          { state: _.in(['pending', 'retry']), createdAt: _.gte(since) },
          { state: 'sent', charged: false },
        ]),
      )
      .limit(1000),
  )
}
