// Handlers of measures (帮扶措施): add one for a need, edit it or move it through its workflow, read a child's plan.
import { MEASURE_KIND_LABELS } from '../../core/domain'
import {
  liveKey,
  LIVE_MEASURE_STATUSES,
  transitionMeasure,
  type MEASURE_ACTIONS,
} from '../../core/measures'
import { measureContribution, type Contribution } from '../../core/rollups'
import { loadChild, newId, type ChildDoc } from '../children-store'
import { findById } from '../db'
import { DomainError } from '../errors'
import { childPlan, MeasureDoc, measuresOfChild, measureView } from '../measures-store'
import {
  activePairing,
  isDuplicateKey,
  officerCovers,
  runTransaction,
  txGet,
} from '../pairings-store'
import { COLLECTIONS, type Actor } from '../records'
import { applyContributionInTx } from '../rollups-store'
import type { Handlers } from '../router'

/** A measure's part of its village's rollup: a live one covers its need. */
function measureShare(m: MeasureDoc): Contribution {
  return measureContribution(m, LIVE_MEASURE_STATUSES)
}

/** The child, when the caller's scope covers it: its paired helper now, or an officer of its village/township. */
async function childInScope(actor: Actor, scope: string, childId: string): Promise<ChildDoc> {
  const [child, pairing] = await Promise.all([
    loadChild(childId),
    scope === 'paired' ? activePairing(childId) : Promise.resolve(null),
  ])
  const ok =
    child !== null &&
    child.townshipId === actor.townshipId &&
    (scope === 'paired' ? pairing?.helperId === actor._id : officerCovers(actor, scope, child))
  if (!child || !ok) throw new DomainError('NOT_FOUND', '没有找到这名儿童')
  return child
}

const ARCHIVED = '该儿童已归档，档案只读，不能修改'

export const measuresHandlers: Handlers<keyof typeof MEASURE_ACTIONS> = {
  'measures.create': async (input, ctx) => {
    const { actor, scope } = ctx
    const now = ctx.now()
    const child = await childInScope(actor, scope, input.childId)
    if (child.status === 'archived') throw new DomainError('CONFLICT', ARCHIVED)
    if (!child.needs.includes(input.kind)) {
      const message = `档案中没有“${MEASURE_KIND_LABELS[input.kind]}”这项需求，请先在档案中登记需求`
      throw new DomainError('VALIDATION', message, [{ path: 'kind', message }])
    }
    const id = newId('msr')
    const doc: MeasureDoc = {
      _id: id,
      townshipId: child.townshipId,
      villageId: child.villageId,
      childId: child._id,
      kind: input.kind,
      what: input.what,
      provider: input.provider,
      status: 'planned',
      outcome: '',
      history: [{ event: 'create', to: 'planned', at: now, by: actor._id }],
      liveKey: liveKey(child._id, input.kind),
      createdAt: now,
      createdBy: actor._id,
      updatedAt: now,
      version: 1,
    }
    try {
      await runTransaction(async (tx) => {
        await tx.collection(COLLECTIONS.measures).add({ data: doc })
        await applyContributionInTx(tx, null, measureShare(doc), now)
        await ctx.audit.within(tx)({
          action: 'measures.create',
          target: { type: 'measure', id },
          detail: { childId: child._id, kind: input.kind, provider: input.provider.type },
        })
      })
    } catch (err) {
      if (isDuplicateKey(err)) {
        throw new DomainError(
          'CONFLICT',
          `“${MEASURE_KIND_LABELS[input.kind]}”已有帮扶措施，请在原措施上更新，或先终止原措施`,
        )
      }
      throw err
    }
    const measures = await measuresOfChild(child._id)
    return { measure: measureView(doc), plan: childPlan(child, measures) }
  },

  'measures.update': async (input, ctx) => {
    const { actor, scope } = ctx
    const now = ctx.now()
    if (
      input.event === undefined &&
      input.what === undefined &&
      input.provider === undefined &&
      input.outcome === undefined
    ) {
      throw new DomainError('VALIDATION', '没有要修改的内容', [
        { path: '', message: '没有要修改的内容' },
      ])
    }
    // The scope is checked on the child (a helper's pairing can change), before the transaction.
    const first = await measureBeforeTx(input.id)
    const child = await childInScope(actor, scope, first.childId).catch(() => {
      throw new DomainError('NOT_FOUND', '没有找到这项措施')
    })
    if (child.status === 'archived') throw new DomainError('CONFLICT', ARCHIVED)
    const updated = await runTransaction(async (tx) => {
      const m = await txGet(MeasureDoc, tx, COLLECTIONS.measures, input.id)
      if (!m) throw new DomainError('NOT_FOUND', '没有找到这项措施')
      if (m.version !== input.version) {
        throw new DomainError('CONFLICT', '措施已被他人修改，请刷新后再改')
      }
      const outcome = input.outcome ?? m.outcome
      let status = m.status
      if (input.event) {
        const result = transitionMeasure(m.status, input.event, outcome)
        if (!result.ok) {
          if (result.reason === 'not_allowed') throw new DomainError('CONFLICT', result.message)
          throw new DomainError('VALIDATION', result.message, [
            { path: 'outcome', message: result.message },
          ])
        }
        status = result.to
      }
      const next: MeasureDoc = {
        ...m,
        what: input.what ?? m.what,
        provider: input.provider ?? m.provider,
        outcome,
        status,
        liveKey: status === 'stopped' ? `stopped:${m._id}` : m.liveKey,
        history: [
          ...m.history,
          { event: input.event ?? 'edit', to: status, at: now, by: actor._id },
        ],
        updatedAt: now,
        version: m.version + 1,
      }
      const { _id, ...data } = next
      await tx.collection(COLLECTIONS.measures).doc(_id).set({ data })
      await applyContributionInTx(tx, measureShare(m), measureShare(next), now)
      await ctx.audit.within(tx)({
        action: 'measures.update',
        target: { type: 'measure', id: _id },
        detail: {
          childId: m.childId,
          event: input.event ?? null,
          from: m.status,
          to: status,
          fields: ['what', 'provider', 'outcome'].filter(
            (f) => input[f as 'what' | 'provider' | 'outcome'] !== undefined,
          ),
        },
      })
      return next
    })
    const measures = await measuresOfChild(child._id)
    return { measure: measureView(updated), plan: childPlan(child, measures) }
  },

  'measures.list': async (input, ctx) => {
    const child = await childInScope(ctx.actor, ctx.scope, input.childId)
    const measures = await measuresOfChild(child._id)
    return { plan: childPlan(child, measures) }
  },
}

/** The measure before the transaction: its child decides the scope. */
async function measureBeforeTx(id: string): Promise<MeasureDoc> {
  const m = await findById(MeasureDoc, COLLECTIONS.measures, id)
  if (!m) throw new DomainError('NOT_FOUND', '没有找到这项措施')
  return m
}
