// session.me: who the caller is, as the app shows it on its first screen.
import type { SessionUser } from '../../core/session'
import { findById } from '../db'
import { COLLECTIONS, TownshipDoc, VillageDoc } from '../records'
import type { ActionHandler } from '../router'

export const sessionMe: ActionHandler<'session.me'> = async (_input, { caller }) => {
  const user = caller.user
  if (!user) return null
  const [township, village] = await Promise.all([
    findById(TownshipDoc, COLLECTIONS.townships, user.townshipId),
    user.villageId
      ? findById(VillageDoc, COLLECTIONS.villages, user.villageId)
      : Promise.resolve(null),
  ])
  const me: SessionUser = {
    id: user._id,
    role: user.role,
    displayName: user.displayName,
    townshipId: user.townshipId,
    townshipName: township?.name ?? '',
    villageId: user.villageId,
    villageName: village?.name ?? null,
    openid: caller.openid,
  }
  return me
}
