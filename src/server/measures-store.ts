// Measures (帮扶措施) as stored, a child's measures, and the views (a measure, the child's plan).
import * as z from 'zod'
import { MEASURE_KINDS, type MeasureKind } from '../core/domain'
import {
  LIVE_MEASURE_STATUSES,
  MEASURE_EVENTS,
  MEASURE_STATUSES,
  planKind,
  PROVIDER_TYPES,
  unmetNeeds,
  type ChildPlan,
  type MeasureView,
} from '../core/measures'
import { getDb } from './cloud'
import { findMany, StoredDate } from './db'
import { COLLECTIONS } from './records'

export const MeasureDoc = z.object({
  _id: z.string(),
  townshipId: z.string(),
  villageId: z.string(),
  childId: z.string(),
  kind: z.enum(MEASURE_KINDS),
  what: z.string(),
  provider: z.object({ type: z.enum(PROVIDER_TYPES), name: z.string() }),
  status: z.enum(MEASURE_STATUSES),
  outcome: z.string(),
  history: z.array(
    z.object({
      event: z.enum(['create', 'edit', ...MEASURE_EVENTS]),
      to: z.enum(MEASURE_STATUSES),
      at: StoredDate,
      by: z.string(),
    }),
  ),
  /** `${childId}:${kind}` while live, `stopped:${id}` after: a unique index keeps one live measure per need */
  liveKey: z.string(),
  createdAt: StoredDate,
  createdBy: z.string(),
  updatedAt: StoredDate,
  version: z.number().int(),
})
export type MeasureDoc = z.infer<typeof MeasureDoc>

/** Every measure of a child (a child has a handful; 1000 is far above any plan). */
export function measuresOfChild(childId: string): Promise<MeasureDoc[]> {
  return findMany(
    MeasureDoc,
    getDb()
      .collection(COLLECTIONS.measures)
      .where({ childId })
      .orderBy('createdAt', 'asc')
      .limit(1000),
  )
}

export function measureView(m: MeasureDoc): MeasureView {
  return {
    id: m._id,
    childId: m.childId,
    villageId: m.villageId,
    kind: m.kind,
    what: m.what,
    provider: { type: m.provider.type, name: m.provider.name },
    status: m.status,
    outcome: m.outcome,
    history: m.history.map((h) => ({ ...h })),
    createdAt: m.createdAt,
    createdBy: m.createdBy,
    updatedAt: m.updatedAt,
    version: m.version,
  }
}

/** The child's plan: its needs, what is unmet, and its measures (live first, then by creation). */
export function childPlan(
  child: { _id: string; needs: readonly MeasureKind[] },
  measures: readonly MeasureDoc[],
): ChildPlan {
  const live = (m: MeasureDoc) => (LIVE_MEASURE_STATUSES.includes(m.status) ? 0 : 1)
  const sorted = [...measures].sort(
    (a, b) => live(a) - live(b) || a.createdAt.getTime() - b.createdAt.getTime(),
  )
  return {
    childId: child._id,
    kind: planKind(child.needs),
    needs: [...child.needs],
    unmetNeeds: unmetNeeds(child.needs, measures),
    measures: sorted.map(measureView),
  }
}
