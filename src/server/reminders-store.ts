// The quota ledger (`subscriptions`) and the outbox (`outbox`) as stored, and the batched reads and writes the sweep makes.
//
// Ledger: one document per user and template, `_id` `<userId>|<template>`. `remaining` counts the
// acceptances recorded by subscriptions.grant minus the messages WeChat accepted; no API tells the
// real quota, so this is the only count there is, and a 43101 answer resets it to 0.
//
// Outbox: one document per intended message, `_id` its deterministic key
// `<recipientId>|<template>|<periodKey>|<stage>` (the most urgent trigger it covers), written before
// the send. `covers` lists every trigger key the message announces, so no later run announces them again.
import * as z from 'zod'
import {
  OUTBOX_STATE_LABELS,
  OUTBOX_STATES,
  type LedgerItem,
  type OutboxItem,
} from '../core/reminders'
import { ROLES } from '../core/roles'
import { SUBSCRIPTIONS, TEMPLATE_KEYS, type TemplateKey } from '../core/subscriptions-config'
import { getDb } from './cloud'
import { findMany, StoredDate } from './db'
import { COLLECTIONS } from './records'

/** The platform's `in` takes at most this many values per call in practice; pages are cut to it. */
export const IN_CHUNK = 500

export const LedgerDoc = z.object({
  _id: z.string(),
  userId: z.string(),
  openid: z.string(),
  role: z.enum(ROLES),
  townshipId: z.string(),
  villageId: z.string().nullable(),
  displayName: z.string(),
  template: z.enum(TEMPLATE_KEYS),
  templateId: z.string(),
  remaining: z.number().int(),
  granted: z.number().int().default(0),
  /** set when a reminder could not be delivered; cleared by a grant or a delivered message */
  unreachableSince: StoredDate.nullable().default(null),
  /** the envelope requestIds of the latest grants (a retried grant is not counted twice) */
  grantRequests: z.array(z.string()).default([]),
  updatedAt: StoredDate,
})
export type LedgerDoc = z.infer<typeof LedgerDoc>

export const ledgerId = (userId: string, template: TemplateKey) => `${userId}|${template}`

export const OutboxDoc = z.object({
  _id: z.string(),
  covers: z.array(z.string()),
  recipientId: z.string(),
  recipientOpenid: z.string(),
  recipientRole: z.enum(ROLES),
  townshipId: z.string(),
  villageId: z.string().nullable(),
  template: z.enum(TEMPLATE_KEYS),
  templateId: z.string(),
  periodKey: z.string(),
  stage: z.string(),
  reason: z.string(),
  /** keyword → value, as sent */
  data: z.record(z.string(), z.string()),
  page: z.string(),
  /** helpers named in an officer's digest (escalations) */
  escalated: z.array(z.string()).default([]),
  state: z.enum(OUTBOX_STATES),
  attempts: z.number().int(),
  errorCode: z.number().int().nullable(),
  /** the run (China day) or request that wrote it, and its place in that batch's send order */
  batch: z.string(),
  seq: z.number().int(),
  /** whether the ledger has been charged for this sent message */
  charged: z.boolean(),
  createdAt: StoredDate,
  updatedAt: StoredDate,
  sentAt: StoredDate.nullable(),
})
export type OutboxDoc = z.infer<typeof OutboxDoc>

export function outboxItem(d: OutboxDoc): OutboxItem {
  return {
    id: d._id,
    template: d.template,
    periodKey: d.periodKey,
    stage: d.stage,
    state: d.state,
    stateLabel: stateLabel(d),
    reason: d.reason,
    text: d.data,
    createdAt: d.createdAt,
    sentAt: d.sentAt,
    attempts: d.attempts,
    errorCode: d.errorCode,
  }
}

function stateLabel(d: OutboxDoc): string {
  return d.errorCode !== null && d.state !== 'sent'
    ? `${OUTBOX_STATE_LABELS[d.state]}（错误码${d.errorCode}）`
    : OUTBOX_STATE_LABELS[d.state]
}

export function ledgerItem(template: TemplateKey, doc: LedgerDoc | undefined): LedgerItem {
  const t = SUBSCRIPTIONS.templates[template]
  return {
    template,
    templateId: t.id,
    title: t.title,
    remaining: Math.max(0, doc?.remaining ?? 0),
    unreachableSince: doc?.unreachableSince ?? null,
  }
}

/** Documents by id, in chunks (one call per IN_CHUNK ids). */
export async function findByIds<S extends z.ZodType>(
  schema: S,
  collection: string,
  ids: readonly string[],
): Promise<Array<z.output<S>>> {
  const db = getDb()
  const _ = db.command
  const unique = [...new Set(ids)]
  const out: Array<z.output<S>> = []
  for (let i = 0; i < unique.length; i += IN_CHUNK) {
    const chunk = unique.slice(i, i + IN_CHUNK)
    out.push(
      ...(await findMany(
        schema,
        db
          .collection(collection)
          .where({ _id: _.in(chunk) })
          .limit(1000),
      )),
    )
  }
  return out
}

/** Outbox entries covering any of the given trigger keys (one call per IN_CHUNK keys). */
export async function outboxCovering(keys: readonly string[]): Promise<OutboxDoc[]> {
  const db = getDb()
  const _ = db.command
  const unique = [...new Set(keys)]
  const out = new Map<string, OutboxDoc>()
  for (let i = 0; i < unique.length; i += IN_CHUNK) {
    const chunk = unique.slice(i, i + IN_CHUNK)
    const docs = await findMany(
      OutboxDoc,
      db
        .collection(COLLECTIONS.outbox)
        .where({ covers: _.in(chunk) })
        .limit(1000),
    )
    for (const d of docs) out.set(d._id, d)
  }
  return [...out.values()]
}

/** Inserts documents in batches (one call per 500). */
export async function insertMany(
  collection: string,
  docs: ReadonlyArray<Record<string, unknown>>,
): Promise<void> {
  const coll = getDb().collection(collection) as unknown as {
    add(o: { data: Array<Record<string, unknown>> }): Promise<unknown>
  }
  for (let i = 0; i < docs.length; i += IN_CHUNK) {
    await coll.add({ data: docs.slice(i, i + IN_CHUNK) })
  }
}

/** Applies one update to many documents by id (one call per IN_CHUNK ids). */
export async function updateByIds(
  collection: string,
  ids: readonly string[],
  data: Record<string, unknown>,
  extra: Record<string, unknown> = {},
): Promise<void> {
  const db = getDb()
  const _ = db.command
  const unique = [...new Set(ids)]
  for (let i = 0; i < unique.length; i += IN_CHUNK) {
    await db
      .collection(collection)
      .where({ _id: _.in(unique.slice(i, i + IN_CHUNK)), ...extra })
      .update({ data })
  }
}

export type UnreachableHelper = {
  helperId: string
  displayName: string
  villageId: string | null
  since: Date
  remaining: number
}

/** Helpers whose reminders could not be delivered (no quota, or WeChat refused), longest first. */
export async function unreachableHelpers(
  townshipId: string,
  villageId: string | null | undefined,
  limit: number,
): Promise<UnreachableHelper[]> {
  const db = getDb()
  const docs = await findMany(
    LedgerDoc,
    db
      .collection(COLLECTIONS.subscriptions)
      .where({
        townshipId,
        template: 'helper_digest',
        unreachableSince: db.command.neq(null),
        ...(villageId !== undefined ? { villageId } : {}),
      })
      .orderBy('unreachableSince', 'asc')
      .limit(limit),
  )
  return docs.flatMap((d) =>
    d.unreachableSince
      ? [
          {
            helperId: d.userId,
            displayName: d.displayName,
            villageId: d.villageId,
            since: d.unreachableSince,
            remaining: Math.max(0, d.remaining),
          },
        ]
      : [],
  )
}
