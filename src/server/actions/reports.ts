// Handlers of urgent reports (强制报告): raise (and push at once), list, read, and move through the workflow.
import { encodeCursor } from '../../core/duties'
import {
  ESCALATION_HOURS,
  transitionReport,
  type REPORT_ACTIONS,
  type ReportStatus,
} from '../../core/reports'
import { loadChild, newId, villageNamesOf } from '../children-store'
import { getDb } from '../cloud'
import { findMany } from '../db'
import { DomainError } from '../errors'
import {
  activePairing,
  isDuplicateKey,
  officerCovers,
  runTransaction,
  txGet,
} from '../pairings-store'
import { COLLECTIONS, type Actor } from '../records'
import {
  pushAndRecord,
  ReportDoc,
  reportById,
  reportByRequestKey,
  reportView,
} from '../reports-store'
import type { Handlers } from '../router'

const HOUR_MS = 3_600_000
const OPEN: ReportStatus[] = ['reported', 'received', 'handling']

/** Whether the caller may see a report: its reporter (helpers), or an officer whose scope covers its village. */
function canSee(actor: Actor, scope: string, r: ReportDoc): boolean {
  if (scope === 'author') return r.reportedBy.id === actor._id
  return officerCovers(actor, scope, r)
}

function person(actor: Actor) {
  return { id: actor._id, name: actor.displayName, role: actor.role }
}

export const reportsHandlers: Handlers<keyof typeof REPORT_ACTIONS> = {
  'reports.create': async (input, ctx) => {
    const { actor, scope } = ctx
    const now = ctx.now()
    if (input.occurredAt.getTime() > now.getTime()) {
      throw new DomainError('VALIDATION', undefined, [
        { path: 'occurredAt', message: '发现时间不能晚于现在' },
      ])
    }
    const requestKey = ctx.requestId ? `${actor._id}:${ctx.requestId}` : null
    const [child, pairing, earlier, villageNames] = await Promise.all([
      loadChild(input.childId),
      scope === 'paired' ? activePairing(input.childId) : Promise.resolve(null),
      requestKey ? reportByRequestKey(requestKey) : Promise.resolve(null),
      villageNamesOf(actor.townshipId),
    ])
    const inScope =
      child !== null &&
      (scope === 'paired'
        ? pairing?.helperId === actor._id && child.townshipId === actor.townshipId
        : officerCovers(actor, scope, child))
    if (!child || !inScope) throw new DomainError('NOT_FOUND', '没有找到这名儿童')
    if (earlier) {
      if (earlier.childId !== child._id) {
        throw new DomainError('CONFLICT', '这次提交的编号已用于另一份报告，请重新提交')
      }
      // A retry of the same submission: the report stands; push again only if the push itself failed.
      const push = earlier.push.error === 'push_failed' ? await pushAndRecord(earlier, now) : null
      const report = push ? { ...earlier, push } : earlier
      return { report: reportView(report, villageNames, now) }
    }
    if (child.status === 'archived') {
      throw new DomainError('CONFLICT', '该儿童已归档，请直接联系镇未保办')
    }
    const id = newId('rpt')
    const by = person(actor)
    const doc: ReportDoc = {
      _id: id,
      townshipId: child.townshipId,
      villageId: child.villageId,
      childId: child._id,
      childName: child.name,
      kind: input.kind,
      seen: input.seen,
      occurredAt: input.occurredAt,
      status: 'reported',
      reportedBy: by,
      createdAt: now,
      receivedAt: null,
      closedAt: null,
      actions: [],
      outcome: '',
      steps: [{ event: 'report', from: null, to: 'reported', actions: [], note: '', at: now, by }],
      push: { pushed: false, delivered: [], undeliverable: [], error: null, at: null },
      requestKey: requestKey ?? `${actor._id}:${id}`,
      version: 1,
      updatedAt: now,
    }
    try {
      await runTransaction(async (tx) => {
        await tx.collection(COLLECTIONS.urgentReports).add({ data: doc })
        await ctx.audit.within(tx)({
          action: 'reports.create',
          target: { type: 'urgent_report', id },
          detail: { childId: child._id, kind: input.kind },
        })
      })
    } catch (err) {
      // Two copies of one submission racing: the loser answers with the winner's report.
      if (requestKey && isDuplicateKey(err)) {
        const winner = await reportByRequestKey(requestKey)
        if (winner) return { report: reportView(winner, villageNames, now) }
      }
      throw err
    }
    const push = await pushAndRecord(doc, now)
    return { report: reportView({ ...doc, push }, villageNames, now) }
  },

  'reports.list': async (input, ctx) => {
    const { actor, scope } = ctx
    const now = ctx.now()
    const db = getDb()
    const _ = db.command
    const where: Record<string, unknown> = { townshipId: actor.townshipId }
    if (scope === 'author') where['reportedBy.id'] = actor._id
    else if (scope === 'village') {
      if (!actor.villageId) return { items: [], nextCursor: null, asOf: now }
      where.villageId = actor.villageId
    } else if (scope !== 'township') throw new DomainError('FORBIDDEN')
    if (input.villageId !== undefined) {
      // Filters only narrow the scope: another village matches nothing.
      if (where.villageId !== undefined && where.villageId !== input.villageId) {
        return { items: [], nextCursor: null, asOf: now }
      }
      where.villageId = input.villageId
    }
    if (input.childId !== undefined) where.childId = input.childId
    const conds: unknown[] = [where]
    if (input.status) conds.push({ status: input.status })
    if (input.open === true) conds.push({ status: _.in(OPEN) })
    if (input.open === false) conds.push({ status: 'closed' })
    const edge = new Date(now.getTime() - ESCALATION_HOURS * HOUR_MS)
    if (input.escalated === true) conds.push({ status: 'reported', createdAt: _.lte(edge) })
    if (input.escalated === false) {
      conds.push(_.or([{ status: _.neq('reported') }, { createdAt: _.gt(edge) }]))
    }
    const c = input.cursor
    if (c) conds.push(_.or([{ createdAt: _.lt(c.at) }, { createdAt: c.at, _id: _.lt(c.id) }]))
    const [found, villageNames] = await Promise.all([
      findMany(
        ReportDoc,
        db
          .collection(COLLECTIONS.urgentReports)
          .where(conds.length === 1 ? where : _.and(conds as object[]))
          .orderBy('createdAt', 'desc')
          .orderBy('_id', 'desc')
          .limit(input.limit + 1),
      ),
      villageNamesOf(actor.townshipId),
    ])
    const page = found.slice(0, input.limit)
    const last = page[page.length - 1]
    return {
      items: page.map((r) => reportView(r, villageNames, now)),
      nextCursor:
        found.length > input.limit && last
          ? encodeCursor({ at: last.createdAt, id: last._id })
          : null,
      asOf: now,
    }
  },

  'reports.get': async (input, ctx) => {
    const now = ctx.now()
    const [r, villageNames] = await Promise.all([
      reportById(input.id),
      villageNamesOf(ctx.actor.townshipId),
    ])
    if (!r || !canSee(ctx.actor, ctx.scope, r))
      throw new DomainError('NOT_FOUND', '没有找到这份报告')
    await ctx.audit({
      action: 'reports.get',
      target: { type: 'urgent_report', id: r._id },
      detail: { childId: r.childId },
    })
    return { report: reportView(r, villageNames, now) }
  },

  'reports.transition': async (input, ctx) => {
    const { actor, scope } = ctx
    const now = ctx.now()
    const by = person(actor)
    const villageNamesP = villageNamesOf(actor.townshipId)
    const updated = await runTransaction(async (tx) => {
      const r = await txGet(ReportDoc, tx, COLLECTIONS.urgentReports, input.id)
      if (!r || !officerCovers(actor, scope, r)) {
        throw new DomainError('NOT_FOUND', '没有找到这份报告')
      }
      if (r.version !== input.version) {
        throw new DomainError('CONFLICT', '报告已被他人处理，请刷新后再操作')
      }
      const move = { event: input.event, actions: input.actions, note: input.note }
      const result = transitionReport(r.status, move)
      if (!result.ok) {
        if (result.reason === 'not_allowed') throw new DomainError('CONFLICT', result.message)
        throw new DomainError('VALIDATION', result.message, [
          {
            path: result.reason === 'actions_required' ? 'actions' : 'note',
            message: result.message,
          },
        ])
      }
      const actions = [...r.actions]
      for (const a of input.actions) if (!actions.includes(a)) actions.push(a)
      const step = {
        event: input.event,
        from: r.status,
        to: result.to,
        actions: [...input.actions],
        note: input.note,
        at: now,
        by,
      }
      const next: ReportDoc = {
        ...r,
        status: result.to,
        actions,
        receivedAt: input.event === 'receive' ? now : r.receivedAt,
        closedAt: input.event === 'close' ? now : r.closedAt,
        outcome: input.event === 'close' ? input.note : r.outcome,
        steps: [...r.steps, step],
        version: r.version + 1,
        updatedAt: now,
      }
      const { _id, ...data } = next
      await tx.collection(COLLECTIONS.urgentReports).doc(_id).set({ data })
      await ctx.audit.within(tx)({
        action: 'reports.transition',
        target: { type: 'urgent_report', id: _id },
        detail: { event: input.event, from: r.status, to: result.to, actions: [...input.actions] },
      })
      return next
    })
    return { report: reportView(updated, await villageNamesP, now) }
  },
}
