// Handlers of invites: officers create, list and revoke them; an unregistered WeChat user peeks at one and joins through it.
import {
  INVITE_ACTIONS,
  inviteRefusal,
  inviteStatus,
  JOIN_PAGE,
  roleLabel,
} from '../../core/invites'
import type { FieldIssue } from '../../core/envelope'
import { auditWriter } from '../audit'
import { newId, villageNamesOf } from '../children-store'
import { getDb } from '../cloud'
import { findById, findMany } from '../db'
import { DomainError } from '../errors'
import { InviteDoc, inviteByScene, inviteView } from '../invites-store'
import { newScene, qrPath, storeQrImage, tempUrl, tempUrls } from '../invites-qr'
import { isDuplicateKey, officerCovers, runTransaction, txGet } from '../pairings-store'
import { COLLECTIONS, TownshipDoc, UserDoc, VillageDoc } from '../records'
import type { ActorContext, Handlers } from '../router'

const DAY_MS = 86_400_000
const INVITE_NOT_FOUND = '邀请码无效，请确认扫描的是工作人员出示的邀请码'
const ALREADY_JOINED = '您的微信已经登记过身份，无需再次加入'

function invalid(path: string, message: string): DomainError {
  const issues: FieldIssue[] = [{ path, message }]
  return new DomainError('VALIDATION', message, issues)
}

/** The village a new invite binds to, checked against the officer's scope (see InvitesCreateInput). */
async function inviteVillage(
  input: { role: 'helper' | 'village_officer'; villageId?: string | undefined },
  ctx: ActorContext,
): Promise<string | null> {
  const { actor, scope } = ctx
  if (scope === 'village') {
    if (input.role !== 'helper') throw new DomainError('FORBIDDEN', '村级人员只能邀请帮扶人')
    if (input.villageId !== undefined && input.villageId !== actor.villageId) {
      throw new DomainError('FORBIDDEN', '只能邀请本村的帮扶人')
    }
    if (!actor.villageId) throw new DomainError('FORBIDDEN')
    return actor.villageId
  }
  if (scope !== 'township') throw new DomainError('FORBIDDEN')
  if (input.villageId === undefined) {
    if (input.role === 'village_officer') throw invalid('villageId', '请选择村')
    return null
  }
  const village = await findById(VillageDoc, COLLECTIONS.villages, input.villageId)
  if (!village || village.townshipId !== actor.townshipId)
    throw invalid('villageId', '所选村不存在')
  return village._id
}

export const invitesHandlers: Handlers<keyof typeof INVITE_ACTIONS> = {
  'invites.create': async (input, ctx) => {
    const { actor } = ctx
    const now = ctx.now()
    const villageId = await inviteVillage(input, ctx)
    if (input.helperOrgType && input.role !== 'helper') {
      throw invalid('helperOrgType', '只有帮扶人需要选择单位类型')
    }
    const id = newId('inv')
    const scene = newScene('I')
    const qrFileId = await storeQrImage(JOIN_PAGE, scene, qrPath('invites', id))
    const doc: Omit<InviteDoc, '_id'> = {
      scene,
      role: input.role,
      townshipId: actor.townshipId,
      villageId,
      helperOrgType: input.helperOrgType ?? null,
      maxUses: input.maxUses,
      uses: 0,
      expiresAt: new Date(now.getTime() + input.expiresInDays * DAY_MS),
      revokedAt: null,
      revokedBy: null,
      createdBy: actor._id,
      createdAt: now,
      qrFileId,
      joinedUserIds: [],
    }
    await runTransaction(async (tx) => {
      await tx.collection(COLLECTIONS.invites).add({ data: { _id: id, ...doc } })
      await ctx.audit.within(tx)({
        action: 'invites.create',
        target: { type: 'invite', id },
        detail: { role: doc.role, villageId, maxUses: doc.maxUses },
      })
    })
    const [villageNames, qrUrl] = await Promise.all([
      villageNamesOf(actor.townshipId),
      tempUrl(qrFileId),
    ])
    return { invite: inviteView({ _id: id, ...doc }, { now, villageNames, qrUrl }) }
  },

  'invites.list': async (input, ctx) => {
    const { actor, scope } = ctx
    const now = ctx.now()
    const _ = getDb().command
    let villageFilter: Record<string, unknown> = {}
    if (scope === 'village') {
      if (input.villageId !== undefined && input.villageId !== actor.villageId) {
        throw new DomainError('FORBIDDEN', '只能查看本村的邀请码')
      }
      villageFilter = { villageId: actor.villageId }
    } else if (scope === 'township') {
      if (input.villageId !== undefined) villageFilter = { villageId: input.villageId }
    } else {
      throw new DomainError('FORBIDDEN')
    }
    const activeFilter = input.status === 'active' ? { revokedAt: null, expiresAt: _.gt(now) } : {}
    // Used-up invites cannot be told apart in the query (uses vs maxUses): read a margin and drop them.
    const found = await findMany(
      InviteDoc,
      getDb()
        .collection(COLLECTIONS.invites)
        .where({ townshipId: actor.townshipId, ...villageFilter, ...activeFilter })
        .orderBy('createdAt', 'desc')
        .limit(input.status === 'active' ? 200 : input.limit),
    )
    const page = found
      .filter((inv) => input.status === 'all' || inviteStatus(inv, now) === 'active')
      .slice(0, input.limit)
    const [villageNames, urls] = await Promise.all([
      villageNamesOf(actor.townshipId),
      tempUrls(page.map((inv) => inv.qrFileId)),
    ])
    return {
      invites: page.map((inv) =>
        inviteView(inv, {
          now,
          villageNames,
          qrUrl: inv.qrFileId ? (urls.get(inv.qrFileId) ?? null) : null,
        }),
      ),
    }
  },

  'invites.revoke': async (input, ctx) => {
    const { actor, scope } = ctx
    const now = ctx.now()
    const invite = await findById(InviteDoc, COLLECTIONS.invites, input.id)
    if (!invite || !officerCovers(actor, scope, invite)) {
      throw new DomainError('NOT_FOUND', '找不到这个邀请码，或不在您的管理范围内')
    }
    if (scope === 'village' && invite.role !== 'helper') throw new DomainError('FORBIDDEN')
    const revoked = await runTransaction(async (tx) => {
      const current = await txGet(InviteDoc, tx, COLLECTIONS.invites, invite._id)
      if (!current) throw new DomainError('NOT_FOUND')
      // Revoking twice changes nothing: the first revocation stands.
      if (current.revokedAt) return current
      const data = { revokedAt: now, revokedBy: actor._id }
      await tx.collection(COLLECTIONS.invites).doc(current._id).update({ data })
      await ctx.audit.within(tx)({
        action: 'invites.revoke',
        target: { type: 'invite', id: current._id },
        detail: { uses: current.uses },
      })
      return { ...current, ...data }
    })
    const [villageNames, qrUrl] = await Promise.all([
      villageNamesOf(actor.townshipId),
      tempUrl(revoked.qrFileId),
    ])
    return { invite: inviteView(revoked, { now, villageNames, qrUrl }) }
  },

  'invites.peek': async (input, ctx) => {
    const invite = await inviteByScene(input.scene)
    if (!invite) throw new DomainError('NOT_FOUND', INVITE_NOT_FOUND)
    const [township, village] = await Promise.all([
      findById(TownshipDoc, COLLECTIONS.townships, invite.townshipId),
      invite.villageId
        ? findById(VillageDoc, COLLECTIONS.villages, invite.villageId)
        : Promise.resolve(null),
    ])
    const status = inviteStatus(invite, ctx.now())
    return {
      role: invite.role,
      roleLabel: roleLabel(invite.role),
      townshipName: township?.name ?? '',
      villageName: village?.name ?? null,
      helperOrgType: invite.helperOrgType,
      status,
      refusal: inviteRefusal(status),
      expiresAt: invite.expiresAt,
      alreadyRegistered: ctx.caller.user !== null,
    }
  },

  'invites.join': async (input, ctx) => {
    const { caller } = ctx
    const now = ctx.now()
    if (caller.user) throw new DomainError('CONFLICT', ALREADY_JOINED)
    const invite = await inviteByScene(input.scene)
    if (!invite) throw new DomainError('NOT_FOUND', INVITE_NOT_FOUND)
    const refusal = inviteRefusal(inviteStatus(invite, now))
    if (refusal) throw new DomainError('CONFLICT', refusal)

    const user: UserDoc = {
      _id: newId('usr'),
      openid: caller.openid,
      role: invite.role,
      displayName: input.displayName,
      townshipId: invite.townshipId,
      villageId: invite.villageId,
      phone: input.phone,
      helperOrgType:
        invite.role === 'helper' ? (invite.helperOrgType ?? input.helperOrgType ?? null) : null,
      guardianOf: [],
    }
    const audit = auditWriter(user, ctx.now, ctx.requestId)
    try {
      await runTransaction(async (tx) => {
        // Counted inside the transaction: two people scanning the last use at once cannot both join.
        const current = await txGet(InviteDoc, tx, COLLECTIONS.invites, invite._id)
        if (!current) throw new DomainError('NOT_FOUND', INVITE_NOT_FOUND)
        const again = inviteRefusal(inviteStatus(current, now))
        if (again) throw new DomainError('CONFLICT', again)
        await tx
          .collection(COLLECTIONS.invites)
          .doc(current._id)
          .update({
            data: { uses: current.uses + 1, joinedUserIds: [...current.joinedUserIds, user._id] },
          })
        const { _id, ...fields } = user
        await tx.collection(COLLECTIONS.users).add({ data: { _id, ...fields } })
        await audit.within(tx)({
          action: 'invites.join',
          target: { type: 'user', id: user._id },
          detail: { inviteId: current._id, role: user.role },
        })
      })
    } catch (err) {
      // The same WeChat user joined in a parallel call: the unique openid index kept one record.
      if (isDuplicateKey(err)) throw new DomainError('CONFLICT', ALREADY_JOINED)
      throw err
    }
    return {
      user: {
        id: user._id,
        role: invite.role,
        displayName: user.displayName,
        townshipId: user.townshipId,
        villageId: user.villageId,
        helperOrgType: user.helperOrgType,
      },
    }
  },
}
