// Urgent reports (强制报告) as stored, their reads, the push after raising one, and the view that leaves the server.
import * as z from 'zod'
import {
  escalatesAt,
  HANDLING_ACTIONS,
  isEscalated,
  REPORT_EVENTS,
  REPORT_KIND_LABELS,
  REPORT_KINDS,
  REPORT_STATUSES,
  type UrgentReportView,
} from '../core/reports'
import { ROLES } from '../core/roles'
import { getDb } from './cloud'
import { findById, findOne, StoredDate } from './db'
import { pushUrgentReport, type PushOutcome } from './notify'
import { errorText } from './pairings-store'
import { COLLECTIONS } from './records'

const StoredPerson = z.object({ id: z.string(), name: z.string(), role: z.enum(ROLES) })

export const StoredPush = z.object({
  pushed: z.boolean(),
  delivered: z.array(z.string()).default([]),
  undeliverable: z.array(z.string()).default([]),
  /** null, 'not_implemented' (the push service is not there yet) or 'push_failed' */
  error: z.string().nullable().default(null),
  at: StoredDate.nullable().default(null),
})
export type StoredPush = z.infer<typeof StoredPush>

export const ReportDoc = z.object({
  _id: z.string(),
  townshipId: z.string(),
  villageId: z.string(),
  childId: z.string(),
  /** for officers' lists; never logged */
  childName: z.string(),
  kind: z.enum(REPORT_KINDS),
  seen: z.string(),
  occurredAt: StoredDate,
  status: z.enum(REPORT_STATUSES),
  reportedBy: StoredPerson,
  createdAt: StoredDate,
  receivedAt: StoredDate.nullable(),
  closedAt: StoredDate.nullable(),
  actions: z.array(z.enum(HANDLING_ACTIONS)),
  outcome: z.string(),
  steps: z.array(
    z.object({
      event: z.enum(['report', ...REPORT_EVENTS]),
      from: z.enum(REPORT_STATUSES).nullable(),
      to: z.enum(REPORT_STATUSES),
      actions: z.array(z.enum(HANDLING_ACTIONS)),
      note: z.string(),
      at: StoredDate,
      by: StoredPerson,
    }),
  ),
  push: StoredPush,
  /** `${reporter id}:${requestId}`: a retried submission raises one report (unique index) */
  requestKey: z.string(),
  version: z.number().int(),
  updatedAt: StoredDate,
})
export type ReportDoc = z.infer<typeof ReportDoc>

export function reportById(id: string): Promise<ReportDoc | null> {
  return findById(ReportDoc, COLLECTIONS.urgentReports, id)
}

export function reportByRequestKey(requestKey: string): Promise<ReportDoc | null> {
  return findOne(
    ReportDoc,
    getDb().collection(COLLECTIONS.urgentReports).where({ requestKey }).limit(1),
  )
}

export function reportView(
  r: ReportDoc,
  villageNames: ReadonlyMap<string, string>,
  now: Date,
): UrgentReportView {
  return {
    id: r._id,
    childId: r.childId,
    childName: r.childName,
    villageId: r.villageId,
    villageName: villageNames.get(r.villageId) ?? '',
    kind: r.kind,
    seen: r.seen,
    occurredAt: r.occurredAt,
    status: r.status,
    reportedBy: { ...r.reportedBy },
    createdAt: r.createdAt,
    receivedAt: r.receivedAt,
    closedAt: r.closedAt,
    actions: [...r.actions],
    outcome: r.outcome,
    steps: r.steps.map((s) => ({ ...s, actions: [...s.actions], by: { ...s.by } })),
    escalated: isEscalated(r, now),
    escalatesAt: escalatesAt(r.createdAt),
    push: {
      pushed: r.push.pushed,
      delivered: r.push.delivered.length,
      undeliverable: [...r.push.undeliverable],
      error: r.push.error,
    },
    version: r.version,
  }
}

const NOT_IMPLEMENTED = /not implemented/i

/**
 * Pushes a just-raised report to the township officers and the village officer, and stores the
 * outcome on the report. While the push service is not implemented the report is kept as not pushed
 * (officers' home pages show every unpushed open report); any other failure is stored and rethrown.
 */
export async function pushAndRecord(r: ReportDoc, now: Date): Promise<StoredPush> {
  let push: StoredPush
  let failure: unknown = null
  try {
    const out: PushOutcome = await pushUrgentReport(
      {
        reportId: r._id,
        townshipId: r.townshipId,
        villageId: r.villageId,
        kindLabel: REPORT_KIND_LABELS[r.kind],
        at: r.createdAt,
      },
      now,
    )
    push = {
      pushed: out.delivered.length > 0,
      delivered: [...out.delivered],
      undeliverable: [...out.undeliverable],
      error: null,
      at: now,
    }
  } catch (err) {
    const notImplemented = NOT_IMPLEMENTED.test(errorText(err))
    if (!notImplemented) failure = err
    push = {
      pushed: false,
      delivered: [],
      undeliverable: [],
      error: notImplemented ? 'not_implemented' : 'push_failed',
      at: now,
    }
  }
  await getDb().collection(COLLECTIONS.urgentReports).doc(r._id).update({ data: { push } })
  if (failure) throw failure
  return push
}
