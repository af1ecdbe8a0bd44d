// Handlers of contact logs: log (idempotent per requestId), correct (author, 7 days, history kept) and list (per-role view).
import {
  applyCorrection,
  canCorrect,
  contentIssues,
  CORRECTION_WINDOW_DAYS,
  fillLearned,
  occurredAtIssue,
  type CONTACT_ACTIONS,
  type ContactLogView,
} from '../../core/contacts'
import { encodeCursor } from '../../core/duties'
import { getDb } from '../cloud'
import { claimCheckinInTx, usableCheckin } from '../checkins-store'
import {
  ContactLogDoc,
  contentOf,
  guardianLogView,
  logById,
  logByRequestKey,
  logView,
  requestKeyOf,
} from '../contacts-store'
import { findById, findMany } from '../db'
import { recordLogInTx, refreshDutyState } from '../duty-state'
import { checkPhotos, photoLinks } from '../photos-store'
import { DomainError } from '../errors'
import {
  activePairing,
  addedId,
  childRef,
  isDuplicateKey,
  officerCovers,
  PairingDoc,
  runTransaction,
  txGet,
} from '../pairings-store'
import { COLLECTIONS } from '../records'
import type { Handlers } from '../router'

const NOT_PAIRED = '找不到这名儿童，或您当前没有与其结对'
const LOG_NOT_FOUND = '找不到这条记录'

/** A retried submission (same author, same requestId) gets the log the first one wrote. */
function replay(existing: ContactLogDoc, childId: string): { log: ContactLogView } {
  if (existing.childId !== childId) {
    throw new DomainError('CONFLICT', '该提交编号已用于另一条记录，请重新提交')
  }
  return { log: logView(existing) }
}

export const contactsHandlers: Handlers<keyof typeof CONTACT_ACTIONS> = {
  'contacts.log': async (input, ctx) => {
    const { actor } = ctx
    const now = ctx.now()
    if (!ctx.requestId) {
      const message = '缺少提交编号，请重新提交'
      throw new DomainError('VALIDATION', message, [{ path: 'requestId', message }])
    }
    const requestKey = requestKeyOf(actor._id, ctx.requestId)
    const existing = await logByRequestKey(requestKey)
    if (existing) return replay(existing, input.childId)

    const [child, pairing] = await Promise.all([
      childRef(input.childId),
      activePairing(input.childId),
    ])
    if (!child || !pairing || pairing.helperId !== actor._id)
      throw new DomainError('NOT_FOUND', NOT_PAIRED)
    if (child.status !== 'active') throw new DomainError('CONFLICT', '这名儿童已归档，不能再记录')
    const timeIssue = occurredAtIssue(input.occurredAt, pairing, now)
    if (timeIssue)
      throw new DomainError('VALIDATION', timeIssue, [{ path: 'occurredAt', message: timeIssue }])
    const checkin = input.checkinId
      ? await usableCheckin(input.checkinId, actor._id, child._id)
      : null
    // Each photo must be one the caller uploaded and still in storage; otherwise nothing is written.
    await checkPhotos(input.photos, ctx.caller.openid)

    const doc: Omit<ContactLogDoc, '_id'> = {
      childId: child._id,
      pairingId: pairing._id,
      helperId: actor._id,
      helperName: actor.displayName,
      villageId: child.villageId,
      townshipId: child.townshipId,
      duty: input.duty,
      occurredAt: input.occurredAt,
      mode: input.mode,
      learned: fillLearned(input.learned),
      problems: input.problems,
      actions: input.actions,
      createdAt: now,
      requestKey,
      corrections: [],
      confirmation: null,
      checkin: checkin ? { id: checkin._id, at: checkin.at } : null,
      photos: input.photos,
    }
    let id: string
    let stateWritten = false
    try {
      id = await runTransaction(async (tx) => {
        // The pairing may have been handed over since it was read: the log is the paired helper's only.
        const current = await txGet(PairingDoc, tx, COLLECTIONS.pairings, pairing._id)
        if (!current || !current.active) throw new DomainError('NOT_FOUND', NOT_PAIRED)
        const added = addedId(await tx.collection(COLLECTIONS.contactLogs).add({ data: doc }))
        if (checkin) await claimCheckinInTx(tx, checkin._id, added)
        stateWritten = await recordLogInTx(tx, child._id, doc.duty, doc.occurredAt, now, added)
        await ctx.audit.within(tx)({
          action: 'contacts.log',
          target: { type: 'contact_log', id: added },
          detail: { childId: child._id, duty: doc.duty },
        })
        return added
      })
    } catch (err) {
      // The same submission raced itself past the check above: the unique request key kept one.
      if (isDuplicateKey(err)) {
        const first = await logByRequestKey(requestKey)
        if (first) return replay(first, input.childId)
      }
      throw err
    }
    if (!stateWritten) await refreshDutyState(child._id, now)
    return { log: logView({ _id: id, ...doc }) }
  },

  'contacts.correct': async (input, ctx) => {
    const { actor } = ctx
    const now = ctx.now()
    const log = await logById(input.logId)
    if (!log || log.helperId !== actor._id) throw new DomainError('NOT_FOUND', LOG_NOT_FOUND)
    if (!canCorrect(log.createdAt, now)) {
      throw new DomainError('FORBIDDEN', `记录提交已超过${CORRECTION_WINDOW_DAYS}天，不能再修改`)
    }
    const { next, diff } = applyCorrection(contentOf(log), input.changes)
    if (diff.length === 0) {
      throw new DomainError('VALIDATION', '没有需要修改的内容', [
        { path: 'changes', message: '没有需要修改的内容' },
      ])
    }
    const issues = contentIssues(next).map((i) => ({
      path: `changes.${i.path}`,
      message: i.message,
    }))
    if (next.occurredAt.getTime() !== log.occurredAt.getTime()) {
      const pairing = await findById(PairingDoc, COLLECTIONS.pairings, log.pairingId)
      const issue = pairing ? occurredAtIssue(next.occurredAt, pairing, now) : null
      if (issue) issues.push({ path: 'changes.occurredAt', message: issue })
    }
    // A household check-in is evidence of a home visit: the log it backs stays a home visit.
    if (log.checkin && next.duty !== 'home_visit') {
      issues.push({ path: 'changes.duty', message: '这条记录有扫码签到，只能是上门走访' })
    }
    if (issues.length) throw new DomainError('VALIDATION', issues[0]?.message, issues)

    const updated = await runTransaction(async (tx) => {
      const current = await txGet(ContactLogDoc, tx, COLLECTIONS.contactLogs, log._id)
      // Corrected in between (a double submit): the diff would be against an old version.
      if (!current || current.corrections.length !== log.corrections.length) {
        throw new DomainError('CONFLICT', '记录刚刚已被修改，请刷新后再试')
      }
      // Only the author's fields and the history change; whatever else the log carries stays as it is.
      const data = { ...next, corrections: [...current.corrections, { at: now, changes: diff }] }
      await tx.collection(COLLECTIONS.contactLogs).doc(current._id).update({ data })
      await ctx.audit.within(tx)({
        action: 'contacts.correct',
        target: { type: 'contact_log', id: current._id },
        detail: { childId: current.childId, fields: diff.map((d) => d.field) },
      })
      return { ...current, ...data }
    })
    // The log's date or kind decides which duty it fulfils and when: recompute from the logs.
    if (diff.some((d) => d.field === 'duty' || d.field === 'occurredAt')) {
      await refreshDutyState(log.childId, now)
    }
    return { log: logView(updated) }
  },

  'contacts.list': async (input, ctx) => {
    const { actor, scope } = ctx
    const db = getDb()
    const _ = db.command
    let where: Record<string, unknown>
    switch (scope) {
      case 'paired': {
        // The helper paired now sees the child's logs; a former helper only their own.
        const pairing = await activePairing(input.childId)
        where =
          pairing?.helperId === actor._id
            ? { childId: input.childId }
            : { childId: input.childId, helperId: actor._id }
        break
      }
      case 'guardian':
        if (!actor.guardianOf.some((l) => l.childId === input.childId)) {
          throw new DomainError('NOT_FOUND', '找不到这名儿童的记录')
        }
        where = { childId: input.childId }
        break
      case 'village':
      case 'township': {
        const child = await childRef(input.childId)
        if (!child || !officerCovers(actor, scope, child)) {
          throw new DomainError('NOT_FOUND', '找不到这名儿童，或不在您的管理范围内')
        }
        where = { childId: input.childId }
        break
      }
      default:
        throw new DomainError('FORBIDDEN')
    }
    const c = input.cursor
    const query = c
      ? _.and([where, _.or([{ occurredAt: _.lt(c.at) }, { occurredAt: c.at, _id: _.lt(c.id) }])])
      : where
    const found = await findMany(
      ContactLogDoc,
      db
        .collection(COLLECTIONS.contactLogs)
        .where(query)
        .orderBy('occurredAt', 'desc')
        .orderBy('_id', 'desc')
        .limit(input.limit + 1),
    )
    // A helper who neither helps the child now nor ever logged for it learns nothing, not even that it exists.
    if (scope === 'paired' && !c && found.length === 0 && 'helperId' in where) {
      throw new DomainError('NOT_FOUND', NOT_PAIRED)
    }
    const page = found.slice(0, input.limit)
    const last = page[page.length - 1]
    const nextCursor =
      found.length > input.limit && last
        ? encodeCursor({ at: last.occurredAt, id: last._id })
        : null
    if (scope === 'guardian') {
      return {
        view: 'guardian',
        childId: input.childId,
        logs: page.map(guardianLogView),
        nextCursor,
      }
    }
    await ctx.audit({
      action: 'contacts.list',
      target: { type: 'child', id: input.childId },
      detail: { count: page.length },
    })
    return { view: 'full', childId: input.childId, logs: page.map(logView), nextCursor }
  },

  'contacts.photos': async (input, ctx) => {
    const { actor, scope } = ctx
    const log = await logById(input.logId)
    if (!log) throw new DomainError('NOT_FOUND', LOG_NOT_FOUND)
    // Whoever may read the log's full view may see its photos (the same rule as contacts.list).
    let allowed = false
    if (scope === 'paired') {
      const pairing = log.helperId === actor._id ? null : await activePairing(log.childId)
      allowed = log.helperId === actor._id || pairing?.helperId === actor._id
    } else if (scope === 'village' || scope === 'township') {
      const child = await childRef(log.childId)
      allowed = !!child && officerCovers(actor, scope, child)
    }
    if (!allowed) throw new DomainError('NOT_FOUND', LOG_NOT_FOUND)
    const photos = await photoLinks(log.photos, ctx.now())
    await ctx.audit({
      action: 'contacts.photos',
      target: { type: 'contact_log', id: log._id },
      detail: { childId: log.childId, count: photos.length },
    })
    return { logId: log._id, photos }
  },
}
