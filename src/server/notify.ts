// Pushes to officers outside the daily sweep (urgent reports), through the same outbox and quota ledger as the reminders.
import { SUBSCRIPTIONS } from '../core/subscriptions-config'
import { chinaDate } from '../core/time'
import { getDb } from './cloud'
import { findMany } from './db'
import { COLLECTIONS, UserDoc, VillageDoc } from './records'
import { deliver, type Intended } from './reminders-send'

export type UrgentPush = {
  reportId: string
  townshipId: string
  villageId: string
  kindLabel: string
  at: Date
}

/** Who could not be reached (no quota or a send error): their home page flags the report in red. */
export type PushOutcome = { delivered: string[]; undeliverable: string[] }

const hhmm = (d: Date) => new Date(d.getTime() + 8 * 3_600_000).toISOString().slice(11, 16)

/**
 * Sends the urgent-report message to the township officers and the child's village officer, at once.
 * The outbox key is (officer, urgent_report, report id, urgent): calling it again for the same report
 * (a retried request) sends nothing twice. Returns user ids: delivered, and not reached (no quota,
 * WeChat refused, or a send error — a transient one is retried by the next reminders run).
 */
export async function pushUrgentReport(push: UrgentPush, now: Date): Promise<PushOutcome> {
  const db = getDb()
  const _ = db.command
  const [officers, village] = await Promise.all([
    findMany(
      UserDoc,
      db
        .collection(COLLECTIONS.users)
        .where(
          _.or([
            { townshipId: push.townshipId, role: 'township_officer' },
            { townshipId: push.townshipId, role: 'village_officer', villageId: push.villageId },
          ]),
        )
        .limit(1000),
    ),
    findMany(
      VillageDoc,
      db.collection(COLLECTIONS.villages).where({ _id: push.villageId }).limit(1),
    ),
  ])
  const villageName = village[0]?.name ?? ''
  const intended: Intended[] = officers.map((o) => ({
    recipient: {
      userId: o._id,
      openid: o.openid,
      role: o.role,
      townshipId: o.townshipId,
      villageId: o.villageId,
      displayName: o.displayName,
    },
    template: 'urgent_report',
    covers: [`${o._id}|urgent_report|${push.reportId}|urgent`],
    periodKey: push.reportId,
    stage: 'urgent',
    reason: `强制报告：${push.kindLabel}`,
    values: {
      summary: push.kindLabel,
      place: villageName,
      at: `${chinaDate(push.at)} ${hhmm(push.at)}`,
      stage: '紧急',
    },
  }))
  const out = await deliver(intended, {
    now: () => new Date(),
    batch: `urgent:${push.reportId}:${now.toISOString()}`,
    outOfTime: () => false,
    maxAttempts: SUBSCRIPTIONS.sweep.maxAttempts,
    counter: { sent: 0 },
  })
  const delivered = new Set(out.filter((o) => o.state === 'sent').map((o) => o.recipientId))
  return {
    delivered: officers.filter((o) => delivered.has(o._id)).map((o) => o._id),
    undeliverable: officers.filter((o) => !delivered.has(o._id)).map((o) => o._id),
  }
}
