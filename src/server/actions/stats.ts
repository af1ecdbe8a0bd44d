// Handlers of the supervision dashboard (stats.compliance) and the officer home (stats.home): aggregates only, never every log.
//
// stats.compliance makes 5 database calls whatever the township's size: the caller (and the
// router's audit-free path), then in parallel the village names, the scope's rollups (a few documents
// per village, src/core/rollups.ts) and its reports since the trend began or still open.
import * as z from 'zod'
import { DUTIES } from '../../core/cadence'
import { MEASURE_KINDS } from '../../core/domain'
import { ROLLUP_KEYS } from '../../core/rollups'
import {
  buildCompliance,
  SCORE_RULE,
  statsPeriod,
  trendPeriods,
  type STATS_ACTIONS,
} from '../../core/stats'
import { villageNamesOf } from '../children-store'
import { getDb } from '../cloud'
import { findMany, StoredDate } from '../db'
import { CADENCE } from '../duty-state'
import { DomainError } from '../errors'
import { COLLECTIONS, type Actor } from '../records'
import type { Handlers } from '../router'
import { unreachableHelpers } from '../reminders-store'
import { rollupsByVillage } from '../rollups-store'
import { overdueNow, reportsSince, type ScopeMatch } from '../stats-queries'

const TREND = 6

/** The caller's scope as indexed equality filters, narrowed to one village if asked (never widened). */
export function scopeMatch(actor: Actor, scope: string, villageId?: string): ScopeMatch | null {
  if (scope === 'village') {
    if (!actor.villageId) return null
    if (villageId !== undefined && villageId !== actor.villageId) {
      throw new DomainError('FORBIDDEN', '只能查看本村的数据')
    }
    return { townshipId: actor.townshipId, villageId: actor.villageId }
  }
  if (scope === 'township') {
    return villageId !== undefined
      ? { townshipId: actor.townshipId, villageId }
      : { townshipId: actor.townshipId }
  }
  throw new DomainError('FORBIDDEN')
}

const DisputedLog = z.object({
  _id: z.string(),
  childId: z.string(),
  helperName: z.string(),
  duty: z.enum(DUTIES),
  occurredAt: StoredDate,
  confirmation: z.looseObject({ answer: z.literal('disputed'), at: StoredDate }),
})

export const statsHandlers: Handlers<keyof typeof STATS_ACTIONS> = {
  'stats.compliance': async (input, ctx) => {
    const now = ctx.now()
    const scope = scopeMatch(ctx.actor, ctx.scope, input.villageId)
    if (!scope) throw new DomainError('FORBIDDEN')
    const p = statsPeriod(input.period, now)
    const from = trendPeriods(p, TREND)[0]?.start ?? p.start
    const [names, rollups, reports] = await Promise.all([
      villageNamesOf(ctx.actor.townshipId),
      rollupsByVillage(scope),
      reportsSince(scope, from),
    ])
    if (scope.villageId !== undefined && !names.has(scope.villageId)) {
      throw new DomainError('FORBIDDEN', '只能查看本镇的村')
    }
    const villages = [...names]
      .filter(([id]) => scope.villageId === undefined || id === scope.villageId)
      .map(([id, name]) => ({ id, name }))
      .sort((a, b) => a.name.localeCompare(b.name, 'zh'))
    const result = buildCompliance(p, { villages, rollups, reports }, CADENCE, now, TREND)
    return { ...result, asOf: now, scoreRule: SCORE_RULE }
  },

  'stats.home': async (_input, ctx) => {
    const now = ctx.now()
    const { actor } = ctx
    const scope = scopeMatch(actor, ctx.scope)
    if (!scope) throw new DomainError('FORBIDDEN')
    const db = getDb()
    const disputedWhere = { ...scope, 'confirmation.answer': 'disputed' }
    const [overdue, reports, disputed, disputedCount, rollups, unreachable] = await Promise.all([
      overdueNow(scope, now),
      reportsSince(scope, now),
      findMany(
        DisputedLog,
        db
          .collection(COLLECTIONS.contactLogs)
          .where(disputedWhere)
          .orderBy('confirmation.at', 'desc')
          .limit(20),
      ),
      db.collection(COLLECTIONS.contactLogs).where(disputedWhere).count(),
      rollupsByVillage(scope),
      unreachableHelpers(
        actor.townshipId,
        ctx.scope === 'village' ? (actor.villageId ?? '-') : undefined,
        50,
      ),
    ])
    const open = reports.filter((r) => r.status !== 'closed')
    let unmet = 0
    for (const c of rollups.values()) {
      for (const k of MEASURE_KINDS) {
        unmet += Math.max(0, (c[ROLLUP_KEYS.need(k)] ?? 0) - (c[ROLLUP_KEYS.liveMeasure(k)] ?? 0))
      }
    }
    return {
      asOf: now,
      overdue,
      reports: {
        waiting: open.filter((r) => r.status === 'reported').length,
        handling: open.filter((r) => r.status === 'handling').length,
        open: open.length,
        escalated: open.filter(
          (r) => r.status === 'reported' && now.getTime() - r.createdAt.getTime() >= 24 * 3_600_000,
        ).length,
        // Not pushed at all, or pushed but not to this officer: shown in red on their home page.
        unpushedToMe: open
          .filter((r) => !r.push.pushed || r.push.undeliverable.includes(actor._id))
          .map((r) => ({ id: r._id, kind: r.kind, createdAt: r.createdAt })),
      },
      unreachableHelpers: {
        available: true,
        items: unreachable.map((h) => ({
          helperId: h.helperId,
          displayName: h.displayName,
          reason: h.remaining > 0 ? '最近一次提醒未能送达' : '没有可用的提醒订阅',
        })),
      },
      disputedContacts: {
        count: z.object({ total: z.number() }).parse(disputedCount).total,
        recent: disputed.map((l) => ({
          logId: l._id,
          childId: l.childId,
          helperName: l.helperName,
          duty: l.duty,
          occurredAt: l.occurredAt,
          disputedAt: l.confirmation.at,
        })),
      },
      unmetNeeds: unmet,
    }
  },
}
