// Handlers of pairing (结对): assign (with hand-over), end and history; officers in scope, every write audited.
import { DomainError } from '../errors'
import { planAssignment, type PAIRING_ACTIONS } from '../../core/pairings'
import { chinaDate } from '../../core/time'
import { findById } from '../db'
import { refreshDutyState } from '../duty-state'
import {
  activePairing,
  addedId,
  childRef,
  isDuplicateKey,
  officerCovers,
  pairingsOfChild,
  pairingView,
  runTransaction,
  txGet,
  PairingDoc,
  type ChildRef,
} from '../pairings-store'
import { COLLECTIONS, UserDoc, type Actor } from '../records'
import type { Handlers } from '../router'

const CHILD_NOT_FOUND = '找不到这名儿童，或不在您的管理范围内'
const CHANGED = '结对情况刚刚发生了变化，请刷新后再试'

/** The child, if it exists and the officer's scope covers it; otherwise NOT_FOUND (its existence is not revealed). */
async function childInScope(childId: string, actor: Actor, scope: string): Promise<ChildRef> {
  const child = await childRef(childId)
  if (!child || !officerCovers(actor, scope, child))
    throw new DomainError('NOT_FOUND', CHILD_NOT_FOUND)
  return child
}

export const pairingsHandlers: Handlers<keyof typeof PAIRING_ACTIONS> = {
  'pairings.assign': async (input, ctx) => {
    const { actor, scope } = ctx
    const now = ctx.now()
    const [child, helper, history] = await Promise.all([
      childInScope(input.childId, actor, scope),
      findById(UserDoc, COLLECTIONS.users, input.helperId),
      pairingsOfChild(input.childId),
    ])
    // The helper must be a helper of the township; a village officer pairs with their village's helpers.
    if (!helper || helper.role !== 'helper' || !officerCovers(actor, scope, helper)) {
      throw new DomainError('NOT_FOUND', '找不到这名帮扶人，或不在您的管理范围内')
    }
    if (child.status !== 'active') throw new DomainError('CONFLICT', '这名儿童已归档，不能结对')
    const plan = planAssignment({
      pairings: history.map((p) => ({
        id: p._id,
        helperId: p.helperId,
        start: p.start,
        end: p.end,
        active: p.active,
      })),
      helperId: helper._id,
      startDate: input.startDate,
      now,
    })
    if (!plan.ok) {
      throw new DomainError(
        plan.code,
        plan.message,
        plan.path ? [{ path: plan.path, message: plan.message }] : undefined,
      )
    }

    let result: { pairing: PairingDoc; ended: PairingDoc | null }
    try {
      result = await runTransaction(async (tx) => {
        let ended: PairingDoc | null = null
        if (plan.handoverFrom) {
          const current = await txGet(PairingDoc, tx, COLLECTIONS.pairings, plan.handoverFrom.id)
          if (!current || !current.active) throw new DomainError('CONFLICT', CHANGED)
          const end = {
            end: plan.start,
            active: false,
            activeKey: `ended:${current._id}`,
            endReason: 'handover' as const,
            endNote: null,
            endedBy: actor._id,
          }
          // Ended before the new one is added, so the unique active key is free when it is.
          await tx.collection(COLLECTIONS.pairings).doc(current._id).update({ data: end })
          ended = { ...current, ...end }
        }
        const doc: Omit<PairingDoc, '_id'> = {
          childId: child._id,
          helperId: helper._id,
          helperName: helper.displayName,
          townshipId: child.townshipId,
          villageId: child.villageId,
          start: plan.start,
          end: null,
          active: true,
          activeKey: child._id,
          endReason: null,
          endNote: null,
          endedBy: null,
          createdBy: actor._id,
          createdAt: now,
        }
        const id = addedId(await tx.collection(COLLECTIONS.pairings).add({ data: doc }))
        await ctx.audit.within(tx)({
          action: 'pairings.assign',
          target: { type: 'child', id: child._id },
          detail: {
            pairingId: id,
            helperId: helper._id,
            startDate: chinaDate(plan.start),
            handoverFromPairingId: ended?._id ?? null,
            handoverFromHelperId: ended?.helperId ?? null,
          },
        })
        return { pairing: { _id: id, ...doc }, ended }
      })
    } catch (err) {
      // Another officer paired the child at the same moment: the unique active key refused the second.
      if (isDuplicateKey(err)) throw new DomainError('CONFLICT', CHANGED)
      throw err
    }
    await refreshDutyState(child._id, now)
    return {
      pairing: pairingView(result.pairing),
      ended: result.ended ? pairingView(result.ended) : null,
    }
  },

  'pairings.end': async (input, ctx) => {
    const { actor, scope } = ctx
    const now = ctx.now()
    const child = await childInScope(input.childId, actor, scope)
    const active = await activePairing(child._id)
    if (!active) throw new DomainError('CONFLICT', '这名儿童当前没有结对')
    const ended = await runTransaction(async (tx) => {
      const current = await txGet(PairingDoc, tx, COLLECTIONS.pairings, active._id)
      if (!current || !current.active) throw new DomainError('CONFLICT', CHANGED)
      const end = {
        end: now.getTime() < current.start.getTime() ? current.start : now,
        active: false,
        activeKey: `ended:${current._id}`,
        endReason: input.reason,
        endNote: input.note || null,
        endedBy: actor._id,
      }
      await tx.collection(COLLECTIONS.pairings).doc(current._id).update({ data: end })
      await ctx.audit.within(tx)({
        action: 'pairings.end',
        target: { type: 'child', id: child._id },
        detail: { pairingId: current._id, helperId: current.helperId, reason: input.reason },
      })
      return { ...current, ...end }
    })
    await refreshDutyState(child._id, now)
    return { pairing: pairingView(ended) }
  },

  'pairings.history': async (input, { actor, scope }) => {
    const [child, history] = await Promise.all([
      childInScope(input.childId, actor, scope),
      pairingsOfChild(input.childId),
    ])
    const views = history.map(pairingView)
    return { childId: child._id, current: views.find((p) => p.active) ?? null, pairings: views }
  },
}
