// Handlers of the organisation lookups for the officer pairing screen: villages in scope, helpers and their load.
import type { ORG_ACTIONS } from '../../core/org'
import { getDb } from '../cloud'
import { findMany } from '../db'
import { activeLoads } from '../pairings-store'
import { COLLECTIONS, UserDoc, VillageDoc } from '../records'
import type { Handlers } from '../router'

/** Characters with a meaning in a regular expression, escaped so a name search matches literally. */
function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
}

export const orgHandlers: Handlers<keyof typeof ORG_ACTIONS> = {
  'org.villages': async (_input, { actor, scope }) => {
    const db = getDb()
    const where =
      scope === 'township'
        ? { townshipId: actor.townshipId }
        : { townshipId: actor.townshipId, _id: actor.villageId ?? '' }
    const villages = await findMany(
      VillageDoc,
      db.collection(COLLECTIONS.villages).where(where).limit(1000),
    )
    villages.sort((a, b) => a.name.localeCompare(b.name, 'zh-CN'))
    return { villages: villages.map((v) => ({ id: v._id, name: v.name })) }
  },

  'helpers.list': async (input, { actor, scope }) => {
    const db = getDb()
    // A village officer sees the helpers of their own village only; a filter can only narrow.
    if (
      scope === 'village' &&
      (actor.villageId === null ||
        (input.villageId !== undefined && input.villageId !== actor.villageId))
    ) {
      return { helpers: [], more: false }
    }
    const villageId = scope === 'village' ? actor.villageId : input.villageId
    const where: Record<string, unknown> = { townshipId: actor.townshipId, role: 'helper' }
    if (villageId) where.villageId = villageId
    if (input.q) where.displayName = db.RegExp({ regexp: escapeRegExp(input.q), options: 'i' })
    const found = await findMany(
      UserDoc,
      db
        .collection(COLLECTIONS.users)
        .where(where)
        .orderBy('displayName', 'asc')
        .limit(input.limit + 1),
    )
    const page = found.slice(0, input.limit)
    const loads = await activeLoads(page.map((u) => u._id))
    return {
      helpers: page.map((u) => ({
        id: u._id,
        displayName: u.displayName,
        helperOrgType: u.helperOrgType,
        villageId: u.villageId,
        load: loads.get(u._id) ?? 0,
      })),
      more: found.length > input.limit,
    }
  },
}
