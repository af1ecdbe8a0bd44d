// Handlers of the subscription and reminder actions: the quota ledger a user feeds, their undeliverable reminders, officers' explanations.
import type { REMINDER_ACTIONS } from '../../core/reminders'
import { UNDELIVERABLE_STATES } from '../../core/reminders'
import type { Role } from '../../core/roles'
import { SUBSCRIPTIONS, templateKeyOf, type TemplateKey } from '../../core/subscriptions-config'
import { getDb } from '../cloud'
import { findMany, findOne } from '../db'
import { DomainError } from '../errors'
import { officerCovers, runTransaction, txGet } from '../pairings-store'
import { COLLECTIONS, UserDoc, type Actor } from '../records'
import {
  findByIds,
  LedgerDoc,
  ledgerId,
  ledgerItem,
  OutboxDoc,
  outboxItem,
  unreachableHelpers,
} from '../reminders-store'
import type { Handlers } from '../router'

/** The templates a role is asked to accept (the client requests these with wx.requestSubscribeMessage). */
export const TEMPLATES_OF_ROLE: Record<Role, TemplateKey[]> = {
  helper: ['helper_digest'],
  guardian: [],
  village_officer: ['officer_digest', 'urgent_report'],
  township_officer: ['officer_digest', 'urgent_report'],
}

const DAY = 86_400_000

async function ledgerOf(userId: string, templates: readonly TemplateKey[]) {
  const docs = await findByIds(
    LedgerDoc,
    COLLECTIONS.subscriptions,
    templates.map((t) => ledgerId(userId, t)),
  )
  const byId = new Map(docs.map((d) => [d._id, d]))
  return templates.map((t) => ledgerItem(t, byId.get(ledgerId(userId, t))))
}

/** The templates shown to a user: their role's, plus any they have a ledger row for. */
function shownTemplates(actor: Actor, extra: readonly TemplateKey[] = []): TemplateKey[] {
  return [...new Set([...TEMPLATES_OF_ROLE[actor.role], ...extra])]
}

/** A helper an officer may ask about: in their township, and for a village officer their village. */
async function helperInScope(actor: Actor, scope: string, helperId: string): Promise<UserDoc> {
  const helper = await findOne(
    UserDoc,
    getDb().collection(COLLECTIONS.users).where({ _id: helperId }).limit(1),
  )
  if (!helper || helper.role !== 'helper' || !officerCovers(actor, scope, helper)) {
    throw new DomainError('NOT_FOUND', '没有找到这位帮扶人')
  }
  return helper
}

export const remindersHandlers: Handlers<keyof typeof REMINDER_ACTIONS> = {
  'subscriptions.grant': async (input, ctx) => {
    const { actor } = ctx
    const now = ctx.now()
    const keys: TemplateKey[] = []
    input.templateIds.forEach((id, i) => {
      const key = templateKeyOf(id)
      if (!key) {
        throw new DomainError('VALIDATION', '订阅的消息模板不存在', [
          { path: `templateIds.${i}`, message: '订阅的消息模板不存在' },
        ])
      }
      keys.push(key)
    })
    const requestId = ctx.requestId ?? null
    for (const template of new Set(keys)) {
      const id = ledgerId(actor._id, template)
      // One acceptance per template per call; a retried request (same requestId) is not counted twice.
      await runTransaction(async (tx) => {
        const current = await txGet(LedgerDoc, tx, COLLECTIONS.subscriptions, id)
        if (requestId && current?.grantRequests.includes(requestId)) return
        const grantRequests = requestId
          ? [...(current?.grantRequests ?? []), requestId].slice(-20)
          : (current?.grantRequests ?? [])
        const doc = {
          userId: actor._id,
          openid: actor.openid,
          role: actor.role,
          townshipId: actor.townshipId,
          villageId: actor.villageId,
          displayName: actor.displayName,
          template,
          templateId: SUBSCRIPTIONS.templates[template].id,
          remaining: Math.max(0, current?.remaining ?? 0) + 1,
          granted: (current?.granted ?? 0) + 1,
          unreachableSince: null,
          grantRequests,
          updatedAt: now,
        }
        await tx.collection(COLLECTIONS.subscriptions).doc(id).set({ data: doc })
      })
    }
    await ctx.audit({
      action: 'subscriptions.grant',
      target: { type: 'user', id: actor._id },
      detail: { templates: [...new Set(keys)] },
    })
    return { items: await ledgerOf(actor._id, shownTemplates(actor, keys)) }
  },

  'subscriptions.mine': async (_input, ctx) => ({
    items: await ledgerOf(ctx.actor._id, shownTemplates(ctx.actor)),
  }),

  'reminders.mine': async (input, ctx) => {
    const db = getDb()
    const _ = db.command
    const since = new Date(ctx.now().getTime() - 35 * DAY)
    const docs = await findMany(
      OutboxDoc,
      db
        .collection(COLLECTIONS.outbox)
        .where({
          recipientId: ctx.actor._id,
          state: _.in([...UNDELIVERABLE_STATES]),
          createdAt: _.gte(since),
        })
        .orderBy('createdAt', 'desc')
        .limit(input.limit),
    )
    return { badge: docs.length, items: docs.map(outboxItem) }
  },

  'reminders.explain': async (input, ctx) => {
    const helper = await helperInScope(ctx.actor, ctx.scope, input.helperId)
    const db = getDb()
    const [items, escalations, quota] = await Promise.all([
      findMany(
        OutboxDoc,
        db
          .collection(COLLECTIONS.outbox)
          .where({ recipientId: helper._id })
          .orderBy('createdAt', 'desc')
          .limit(input.limit),
      ),
      findMany(
        OutboxDoc,
        db
          .collection(COLLECTIONS.outbox)
          .where({ escalated: helper._id, recipientRole: 'village_officer' })
          .orderBy('createdAt', 'desc')
          .limit(12),
      ),
      ledgerOf(helper._id, TEMPLATES_OF_ROLE.helper),
    ])
    const seen = new Set<string>()
    return {
      helper: { id: helper._id, displayName: helper.displayName, villageId: helper.villageId },
      quota,
      items: items.map(outboxItem),
      escalations: escalations
        .filter((e) => !seen.has(e.periodKey) && seen.add(e.periodKey))
        .map((e) => ({ periodKey: e.periodKey, at: e.createdAt })),
    }
  },

  'reminders.unreachable': async (input, ctx) => {
    const { actor, scope } = ctx
    const db = getDb()
    const _ = db.command
    let villageId = input.villageId
    if (scope === 'village') {
      if (villageId !== undefined && villageId !== actor.villageId) return { helpers: [] }
      villageId = actor.villageId ?? '-'
    }
    return { helpers: await unreachableHelpers(actor.townshipId, villageId, input.limit) }
  },
}
