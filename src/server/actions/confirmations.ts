// Handlers of guardian confirmations (token, view, first-time bind, answer) and the household QR check-in.
import {
  CHECKIN_PAGE,
  checksLeft,
  CONFIRM_PAGE,
  CONFIRMATION_TTL_DAYS,
  phoneEndsWith,
  REFUSAL_MESSAGES,
  transition,
  type CONFIRMATION_ACTIONS,
  type ConfirmationRefusal,
  type ConfirmationsViewOutput,
} from '../../core/confirmations'
import { scenePath } from '../../core/invites'
import { auditWriter } from '../audit'
import {
  CheckinDoc,
  HouseholdCodeDoc,
  householdCodeByScene,
  householdCodeId,
  householdCodeOf,
  reusableCheckin,
} from '../checkins-store'
import { loadChild, newId, villageNamesOf, type ChildDoc } from '../children-store'
import {
  ConfirmationDoc,
  confirmationByScene,
  isGuardianOf,
  reusableToken,
  tokenView,
  visitOf,
} from '../confirmations-store'
import { ContactLogDoc, logById } from '../contacts-store'
import { recordAnswerInTx } from '../duty-state'
import { DomainError } from '../errors'
import { newScene, qrPath, storeQrImage, tempUrl } from '../invites-qr'
import {
  activePairing,
  addedId,
  isDuplicateKey,
  officerCovers,
  runTransaction,
  txGet,
} from '../pairings-store'
import { COLLECTIONS, UserDoc } from '../records'
import type { Handlers } from '../router'

const DAY_MS = 86_400_000
const TOKEN_NOT_FOUND = '确认码无效，请让帮扶人重新出示'
const LOG_NOT_FOUND = '找不到这条记录'

function refused(r: ConfirmationRefusal): DomainError {
  return new DomainError('CONFLICT', REFUSAL_MESSAGES[r])
}

/** The token, its log and the child, or NOT_FOUND (a token whose log or child is gone answers nothing). */
async function loadToken(
  scene: string,
): Promise<{ token: ConfirmationDoc; log: ContactLogDoc; child: ChildDoc }> {
  const token = await confirmationByScene(scene)
  if (!token) throw new DomainError('NOT_FOUND', TOKEN_NOT_FOUND)
  const [log, child] = await Promise.all([logById(token.logId), loadChild(token.childId)])
  if (!log || !child || child.status !== 'active') {
    throw new DomainError('NOT_FOUND', TOKEN_NOT_FOUND)
  }
  return { token, log, child }
}

/**
 * What the confirm page shows the caller: nothing of the log unless they are a guardian of the child;
 * a guardian sees the visit, open or as answered. Expired or locked tokens refuse an unbound caller.
 */
function viewFor(
  caller: UserDoc | null,
  t: { token: ConfirmationDoc; log: ContactLogDoc; child: ChildDoc },
  now: Date,
): ConfirmationsViewOutput {
  const { token, log, child } = t
  if (isGuardianOf(caller, child)) {
    if (log.confirmation) {
      return {
        status: 'answered',
        visit: visitOf(log, child),
        answer: log.confirmation.answer,
        answeredAt: log.confirmation.at,
      }
    }
    const move = transition(token, 'answer', now)
    if (!move.ok) throw refused(move.refusal)
    return { status: 'open', visit: visitOf(log, child) }
  }
  if (log.confirmation) throw refused('answered')
  const move = transition(token, 'check_passed', now)
  if (!move.ok) throw refused(move.refusal)
  return { status: 'check_needed', checksLeft: checksLeft(token) }
}

export const confirmationsHandlers: Handlers<keyof typeof CONFIRMATION_ACTIONS> = {
  'confirmations.create': async (input, ctx) => {
    const { actor } = ctx
    const now = ctx.now()
    const log = await logById(input.logId)
    if (!log || log.helperId !== actor._id) throw new DomainError('NOT_FOUND', LOG_NOT_FOUND)
    if (log.confirmation) throw new DomainError('CONFLICT', '监护人已经回复过这条记录')
    const existing = await reusableToken(log._id, now)
    if (existing) {
      return { confirmation: tokenView(existing, await tempUrl(existing.qrFileId)) }
    }
    const id = newId('cfm')
    const scene = newScene('C')
    const qrFileId = await storeQrImage(CONFIRM_PAGE, scene, qrPath('confirmations', id))
    const doc: ConfirmationDoc = {
      _id: id,
      scene,
      logId: log._id,
      childId: log.childId,
      helperId: actor._id,
      townshipId: log.townshipId,
      villageId: log.villageId,
      state: 'open',
      failedChecks: 0,
      expiresAt: new Date(now.getTime() + CONFIRMATION_TTL_DAYS * DAY_MS),
      createdAt: now,
      answeredAt: null,
      answeredBy: null,
      qrFileId,
    }
    await runTransaction(async (tx) => {
      const { _id, ...fields } = doc
      await tx.collection(COLLECTIONS.confirmations).add({ data: { _id, ...fields } })
      await ctx.audit.within(tx)({
        action: 'confirmations.create',
        target: { type: 'contact_log', id: log._id },
        detail: { confirmationId: id },
      })
    })
    return { confirmation: tokenView(doc, await tempUrl(qrFileId)) }
  },

  'confirmations.view': async (input, ctx) => {
    const loaded = await loadToken(input.scene)
    return viewFor(ctx.caller.user, loaded, ctx.now())
  },

  'confirmations.bind': async (input, ctx) => {
    const { caller } = ctx
    const now = ctx.now()
    const loaded = await loadToken(input.scene)
    const { token, child } = loaded
    // Already a guardian of this child (e.g. a second scan): nothing to check.
    if (isGuardianOf(caller.user, child)) return viewFor(caller.user, loaded, now)
    if (loaded.log.confirmation) throw refused('answered')

    const entry = child.guardians.find((g) => phoneEndsWith(g.phone, input.phoneLast4)) ?? null
    const link = entry ? { childId: child._id, guardianId: entry.id } : null
    type Outcome =
      | { kind: 'refused'; refusal: ConfirmationRefusal }
      | { kind: 'wrong'; left: number }
      | { kind: 'bound'; user: UserDoc }
    let outcome: Outcome
    try {
      outcome = await runTransaction(async (tx): Promise<Outcome> => {
        const current = await txGet(ConfirmationDoc, tx, COLLECTIONS.confirmations, token._id)
        if (!current) throw new DomainError('NOT_FOUND', TOKEN_NOT_FOUND)
        const move = transition(current, link ? 'check_passed' : 'check_failed', now)
        if (!move.ok) return { kind: 'refused', refusal: move.refusal }
        if (!link || !entry) {
          // Counted in the transaction and committed: the error is raised after it.
          await tx
            .collection(COLLECTIONS.confirmations)
            .doc(current._id)
            .update({ data: { failedChecks: move.next.failedChecks } })
          return { kind: 'wrong', left: checksLeft(move.next) }
        }
        let user: UserDoc
        if (caller.user) {
          const me = await txGet(UserDoc, tx, COLLECTIONS.users, caller.user._id)
          if (!me) throw new DomainError('CONFLICT')
          user = { ...me, guardianOf: [...me.guardianOf, link] }
          await tx
            .collection(COLLECTIONS.users)
            .doc(me._id)
            .update({ data: { guardianOf: user.guardianOf } })
        } else {
          user = {
            _id: newId('usr'),
            openid: caller.openid,
            role: 'guardian',
            displayName: entry.name,
            townshipId: child.townshipId,
            villageId: child.villageId,
            phone: entry.phone,
            helperOrgType: null,
            guardianOf: [link],
          }
          const { _id, ...fields } = user
          await tx.collection(COLLECTIONS.users).add({ data: { _id, ...fields } })
        }
        await auditWriter(user, ctx.now, ctx.requestId).within(tx)({
          action: 'confirmations.bind',
          target: { type: 'child', id: child._id },
          detail: { guardianId: link.guardianId, confirmationId: current._id },
        })
        return { kind: 'bound', user }
      })
    } catch (err) {
      // The same WeChat user bound in a parallel call: their record exists now; scanning again shows it.
      if (isDuplicateKey(err)) throw new DomainError('CONFLICT', '请稍后重新打开确认码')
      throw err
    }
    switch (outcome.kind) {
      case 'refused':
        throw refused(outcome.refusal)
      case 'wrong': {
        const message =
          outcome.left > 0
            ? `手机号后四位与登记的监护人不符，还可以再试${outcome.left}次`
            : REFUSAL_MESSAGES.locked
        throw new DomainError('VALIDATION', message, [{ path: 'phoneLast4', message }])
      }
      case 'bound':
        return viewFor(outcome.user, loaded, now)
    }
  },

  'confirmations.answer': async (input, ctx) => {
    const { actor } = ctx
    const now = ctx.now()
    const { token, child } = await loadToken(input.scene)
    if (!isGuardianOf(actor, child)) {
      throw new DomainError('FORBIDDEN', '请先核对监护人身份（手机号后四位）再确认')
    }
    const confirmation = {
      answer: input.answer,
      comment: input.comment,
      at: now,
      guardianUserId: actor._id,
    }
    type Outcome =
      { kind: 'refused'; refusal: ConfirmationRefusal } | { kind: 'answered'; log: ContactLogDoc }
    const result = await runTransaction(async (tx): Promise<Outcome> => {
      const current = await txGet(ConfirmationDoc, tx, COLLECTIONS.confirmations, token._id)
      const log = await txGet(ContactLogDoc, tx, COLLECTIONS.contactLogs, token.logId)
      if (!current || !log) throw new DomainError('NOT_FOUND', TOKEN_NOT_FOUND)
      // Each log is answered once, whichever of its tokens is used.
      if (log.confirmation) return { kind: 'refused', refusal: 'answered' }
      const move = transition(current, 'answer', now)
      if (!move.ok) return { kind: 'refused', refusal: move.refusal }
      await tx
        .collection(COLLECTIONS.confirmations)
        .doc(current._id)
        .update({ data: { state: 'answered', answeredAt: now, answeredBy: actor._id } })
      await tx.collection(COLLECTIONS.contactLogs).doc(log._id).update({ data: { confirmation } })
      await recordAnswerInTx(tx, log, input.answer, now)
      await ctx.audit.within(tx)({
        action: 'confirmations.answer',
        target: { type: 'contact_log', id: log._id },
        detail: { answer: input.answer, confirmationId: current._id },
      })
      return { kind: 'answered', log }
    })
    if (result.kind === 'refused') throw refused(result.refusal)
    return { answer: input.answer, at: now, visit: visitOf(result.log, child) }
  },

  'checkins.household': async (input, ctx) => {
    const { actor, scope } = ctx
    const now = ctx.now()
    const child = await loadChild(input.childId)
    if (!child || !officerCovers(actor, scope, child)) {
      throw new DomainError('NOT_FOUND', '找不到这名儿童，或不在您的管理范围内')
    }
    if (child.status !== 'active') throw new DomainError('CONFLICT', '该儿童已归档，不能生成户码')
    let code = await householdCodeOf(child._id)
    if (!code || input.regenerate) {
      const id = householdCodeId(child._id)
      const scene = newScene('H')
      const qrFileId = await storeQrImage(CHECKIN_PAGE, scene, qrPath('households', child._id))
      const next: HouseholdCodeDoc = {
        _id: id,
        kind: 'household_code',
        childId: child._id,
        townshipId: child.townshipId,
        villageId: child.villageId,
        scene,
        qrFileId,
        createdAt: now,
        createdBy: actor._id,
      }
      await runTransaction(async (tx) => {
        const { _id, ...fields } = next
        // set: creates the child's code or replaces it (the old scene stops working).
        await tx.collection(COLLECTIONS.checkins).doc(_id).set({ data: fields })
        await ctx.audit.within(tx)({
          action: 'checkins.household',
          target: { type: 'child', id: child._id },
          detail: { regenerated: code !== null },
        })
      })
      code = next
    }
    const [villageNames, qrUrl] = await Promise.all([
      villageNamesOf(child.townshipId),
      tempUrl(code.qrFileId),
    ])
    return {
      code: {
        childId: child._id,
        childName: child.name,
        villageName: villageNames.get(child.villageId) ?? '',
        scene: code.scene,
        path: scenePath(CHECKIN_PAGE, code.scene),
        qrUrl,
        createdAt: code.createdAt,
      },
    }
  },

  'checkins.scan': async (input, ctx) => {
    const { actor } = ctx
    const now = ctx.now()
    const code = await householdCodeByScene(input.scene)
    if (!code) throw new DomainError('NOT_FOUND', '户码无效或已更换，请向村里索取新的户码')
    const [child, pairing] = await Promise.all([
      loadChild(code.childId),
      activePairing(code.childId),
    ])
    if (!child || child.status !== 'active') {
      throw new DomainError('NOT_FOUND', '户码无效或已更换，请向村里索取新的户码')
    }
    if (!pairing || pairing.helperId !== actor._id) {
      throw new DomainError('FORBIDDEN', '您没有与这户的儿童结对，不能在此签到')
    }
    const doc: Omit<CheckinDoc, '_id'> = {
      kind: 'visit',
      childId: child._id,
      helperId: actor._id,
      pairingId: pairing._id,
      townshipId: child.townshipId,
      villageId: child.villageId,
      at: now,
      logId: null,
    }
    // Serialised on the household code: two scans at once both write it, so one transaction wins and
    // the other is retried by the SDK, finds the winner's check-in and returns it.
    const checkin = await runTransaction(async (tx) => {
      const current = await txGet(HouseholdCodeDoc, tx, COLLECTIONS.checkins, code._id)
      if (!current || current.scene !== input.scene) {
        throw new DomainError('NOT_FOUND', '户码无效或已更换，请向村里索取新的户码')
      }
      const open = current.openCheckinId
        ? await txGet(CheckinDoc, tx, COLLECTIONS.checkins, current.openCheckinId)
        : null
      if (open && reusableCheckin(open, actor._id, now)) {
        // Written, not only read, so a log claiming it at the same moment conflicts with this scan.
        await tx
          .collection(COLLECTIONS.checkins)
          .doc(open._id)
          .update({ data: { lastScanAt: now } })
        await ctx.audit.within(tx)({
          action: 'checkins.scan',
          target: { type: 'checkin', id: open._id },
          detail: { childId: child._id, repeated: true },
        })
        return { id: open._id, at: open.at }
      }
      const added = addedId(await tx.collection(COLLECTIONS.checkins).add({ data: doc }))
      await tx
        .collection(COLLECTIONS.checkins)
        .doc(current._id)
        .update({ data: { openCheckinId: added } })
      await ctx.audit.within(tx)({
        action: 'checkins.scan',
        target: { type: 'checkin', id: added },
        detail: { childId: child._id, repeated: false },
      })
      return { id: added, at: now }
    })
    return {
      checkinId: checkin.id,
      childId: child._id,
      childName: child.name,
      at: checkin.at,
    }
  },
}
