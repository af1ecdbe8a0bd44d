// The `reminders` function: runs only from its timer; the daily sweep of due duties, digests to helpers and officers.
//
// A run is one China day (`reminder_runs/<YYYY-MM-DD>`), planned at a fixed instant (`asOf`) so that
// a run continued by a later trigger decides exactly as it began. It reads only the duty states that
// are due (stored `nextDueAt` up to the largest reminder stage; overdue ones have a past date), one
// township at a time, ordered by helper so a helper's children are never split between pages and each
// helper gets one digest per run. After each page it saves its cursor; when its time budget runs out it
// stops and the next trigger continues from the cursor. Officer digests go out once every helper page
// of the run is done (their counts are summed page by page into the run document).
import * as z from 'zod'
import type { CadenceConfig } from '../core/cadence'
import {
  assessHelper,
  helperDigestReason,
  helperDigestValues,
  summaryTriggers,
  townshipOfficerValues,
  triggerKey,
  villageOfficerValues,
  type Trigger,
  type VillageTally,
} from '../core/reminders-plan'
import { SUBSCRIPTIONS, type SweepConfig } from '../core/subscriptions-config'
import { chinaDate, chinaStartOfDay } from '../core/time'
import { assessStored } from '../core/duties'
import { callerOpenid, getDb } from './cloud'
import { findMany, findOne, StoredDate } from './db'
import { CADENCE, DutyStateDoc } from './duty-state'
import { errorText, isDuplicateKey } from './pairings-store'
import { COLLECTIONS, TownshipDoc, UserDoc, VillageDoc } from './records'
import {
  deliver,
  faultHooks,
  sendEntries,
  chargeLedger,
  pruneOutbox,
  unfinishedEntries,
  type DeliverContext,
  type Intended,
  type Recipient,
} from './reminders-send'
import { findByIds, LedgerDoc, ledgerId } from './reminders-store'

export type TimerEvent = { Type: 'Timer'; TriggerName: string; Time: string }

function isTimerEvent(event: unknown): event is TimerEvent {
  if (typeof event !== 'object' || event === null) return false
  const e = event as Record<string, unknown>
  return e.Type === 'Timer' && typeof e.TriggerName === 'string' && typeof e.Time === 'string'
}

export type RunResult = {
  ok: boolean
  code?: string
  runId?: string
  phase?: RunDoc['phase']
  sent?: number
  pages?: number
}

export async function main(event: unknown): Promise<RunResult> {
  // A user's call carries an openid; the platform's timer never does. Anything else is refused.
  if (!isTimerEvent(event) || callerOpenid() !== null) return { ok: false, code: 'FORBIDDEN' }
  return runSweep(new Date(), SUBSCRIPTIONS.sweep, CADENCE)
}

// ------------------------------------------------------------------------------- the run document

const TrigSchema = z.object({ periodKey: z.string(), stage: z.string(), periodEnd: StoredDate })
const TallySchema = z.object({
  overdueChildren: z.number().int(),
  escalated: z.array(z.object({ id: z.string(), name: z.string() })),
  triggers: z.array(TrigSchema),
})
type Tally = z.infer<typeof TallySchema>

export const RunDoc = z.object({
  _id: z.string(),
  asOf: StoredDate,
  phase: z.enum(['helpers', 'officers', 'done']),
  townships: z.array(z.string()),
  townshipIndex: z.number().int(),
  /** the last helper id whose children were all handled, in the current township */
  cursor: z.string(),
  /** per township, per village: what officers will be told */
  tallies: z.record(z.string(), z.record(z.string(), TallySchema)),
  leaseUntil: StoredDate,
  invocations: z.number().int(),
  stats: z.object({
    pages: z.number().int(),
    states: z.number().int(),
    sent: z.number().int(),
    undeliverable: z.number().int(),
    pendingLeft: z.number().int(),
  }),
  startedAt: StoredDate,
  finishedAt: StoredDate.nullable(),
})
export type RunDoc = z.infer<typeof RunDoc>

/** Claims the day's run (creating it on the first trigger); null when it is done or another invocation holds it. */
async function claimRun(now: Date, leaseMs: number): Promise<RunDoc | null> {
  const db = getDb()
  const runs = db.collection(COLLECTIONS.reminderRuns)
  const id = chinaDate(now)
  const leaseUntil = new Date(now.getTime() + leaseMs)
  const existing = await findOne(RunDoc, runs.where({ _id: id }).limit(1))
  if (!existing) {
    const townships = await findMany(TownshipDoc, db.collection(COLLECTIONS.townships).limit(1000))
    const run: RunDoc = {
      _id: id,
      asOf: now,
      phase: 'helpers',
      townships: townships.map((t) => t._id).sort(),
      townshipIndex: 0,
      cursor: '',
      tallies: {},
      leaseUntil,
      invocations: 1,
      stats: { pages: 0, states: 0, sent: 0, undeliverable: 0, pendingLeft: 0 },
      startedAt: now,
      finishedAt: null,
    }
    try {
      await runs.add({ data: run })
      return run
    } catch (err) {
      if (isDuplicateKey(err)) return null // a concurrent trigger created it and holds it
      throw err
    }
  }
  // A finished run is still claimed (briefly): its leftovers (retries) are sent under the lease.
  if (existing.leaseUntil.getTime() > now.getTime()) return null
  const _ = db.command
  const res = (await runs
    .where({ _id: id, leaseUntil: _.lte(now) })
    .update({ data: { leaseUntil, invocations: _.inc(1) } })) as { stats?: { updated?: number } }
  if ((res.stats?.updated ?? 0) !== 1) return null
  return { ...existing, leaseUntil, invocations: existing.invocations + 1 }
}

async function saveRun(run: RunDoc, release: boolean): Promise<void> {
  const { _id, ...rest } = run
  await getDb()
    .collection(COLLECTIONS.reminderRuns)
    .doc(_id)
    .set({ data: release ? { ...rest, leaseUntil: new Date(0) } : rest })
}

// ------------------------------------------------------------------------------- the sweep

/** The users a run writes to (helpers of a page; a township's officers), by id. */
async function usersByIds(ids: readonly string[]): Promise<Map<string, UserDoc>> {
  const users = await findByIds(UserDoc, COLLECTIONS.users, ids)
  return new Map(users.map((u) => [u._id, u]))
}

function recipientOf(u: UserDoc): Recipient {
  return {
    userId: u._id,
    openid: u.openid,
    role: u.role,
    townshipId: u.townshipId,
    villageId: u.villageId,
    displayName: u.displayName,
  }
}

/** How long outbox entries are kept (the yearly evaluation looks back a year). */
export const OUTBOX_KEEP_DAYS = 400

export async function runSweep(
  started: Date,
  sweep: SweepConfig,
  cadence: CadenceConfig,
): Promise<RunResult> {
  const t0 = Date.now()
  const budgetMs = faultHooks().budgetMs ?? sweep.budgetMs
  const outOfTime = () => Date.now() - t0 > budgetMs
  const counter = { sent: 0 }

  const ctxOf = (batch: string): DeliverContext => ({
    now: () => new Date(),
    batch,
    outOfTime,
    maxAttempts: sweep.maxAttempts,
    counter,
  })
  // Only one invocation works at a time (a timer may fire twice, or be retried while a run is going).
  const run = await claimRun(started, budgetMs + 10_000)
  if (!run) return { ok: true, runId: chinaDate(started), sent: 0 }
  // Whatever an earlier invocation left half done: messages written but not sent, or sent but not charged.
  const unfinished = await unfinishedEntries(new Date(started.getTime() - 7 * 86_400_000))
  if (unfinished.length > 0) {
    const uncharged = unfinished.filter((d) => d.state === 'sent')
    await chargeLedger(
      uncharged.map((d) => ({ key: d._id, ledger: ledgerId(d.recipientId, d.template) })),
      new Date(),
    )
    const resend = unfinished
      .filter((d) => d.state !== 'sent')
      .sort((a, b) => (a.batch < b.batch ? -1 : a.batch > b.batch ? 1 : a.seq - b.seq))
    if (resend.length > 0) {
      const ledgers = await findByIds(
        LedgerDoc,
        COLLECTIONS.subscriptions,
        resend.map((d) => ledgerId(d.recipientId, d.template)),
      )
      await sendEntries(resend, ledgers, [], ctxOf(chinaDate(started)))
    }
  }

  const now = run.asOf
  const ctx = ctxOf(run._id)
  const db = getDb()
  const _ = db.command
  const largest = Math.max(...sweep.dueSoonStages)
  const edge = new Date(chinaStartOfDay(now).getTime() + largest * 86_400_000)

  try {
    while (run.phase === 'helpers' && run.townshipIndex < run.townships.length) {
      if (outOfTime()) break
      const townshipId = run.townships[run.townshipIndex] as string
      const page = await findMany(
        DutyStateDoc,
        db
          .collection(COLLECTIONS.dutyStates)
          .where({
            townshipId,
            status: 'active',
            nextDueAt: _.lte(edge),
            helperId: _.gt(run.cursor),
          })
          .orderBy('helperId', 'asc')
          .orderBy('_id', 'asc')
          .limit(sweep.pageSize),
      )
      run.stats.pages += 1
      run.stats.states += page.length
      const full = page.length === sweep.pageSize
      const lastHelper = page[page.length - 1]?.helperId ?? null
      // A full page may stop inside a helper's children: that helper starts the next page.
      const complete =
        full && page.some((s) => s.helperId !== lastHelper)
          ? page.filter((s) => s.helperId !== lastHelper)
          : page
      const byHelper = new Map<string, DutyStateDoc[]>()
      for (const s of complete) {
        if (!s.helperId) continue
        byHelper.set(s.helperId, [...(byHelper.get(s.helperId) ?? []), s])
      }
      // Counted apart and merged only once the page's messages are out: a page that fails is read
      // again by the next invocation, and must not be counted twice.
      const tallies: Record<string, Tally> = {}
      const wanted: Array<{ helperId: string; intended: Omit<Intended, 'recipient'> }> = []
      for (const [helperId, states] of byHelper) {
        const findings = assessHelper(
          states.map((s) => ({
            childId: s._id,
            childName: s.childName,
            villageId: s.villageId,
            states: assessStored(s, cadence, now),
          })),
          now,
          sweep,
        )
        for (const o of findings.overdue) {
          const t = (tallies[o.villageId] ??= { overdueChildren: 0, escalated: [], triggers: [] })
          t.overdueChildren += 1
          for (const trig of o.triggers) addTrigger(t, trig)
          if (o.escalate && !t.escalated.some((e) => e.id === helperId)) {
            t.escalated.push({ id: helperId, name: states[0]?.helperName ?? '' })
          }
        }
        const d = findings.digest
        const [primary] = d.triggers
        if (!primary) continue
        wanted.push({
          helperId,
          intended: {
            template: 'helper_digest',
            covers: d.triggers.map((t) => triggerKey(helperId, 'helper_digest', t)),
            periodKey: primary.periodKey,
            stage: primary.stage,
            reason: helperDigestReason(d),
            values: helperDigestValues(d, primary),
          },
        })
      }
      if (wanted.length > 0) {
        const users = await usersByIds(wanted.map((w) => w.helperId))
        const intended: Intended[] = []
        for (const w of wanted) {
          const u = users.get(w.helperId)
          if (u) intended.push({ ...w.intended, recipient: recipientOf(u) })
        }
        tally(run, await deliver(intended, ctx))
      }
      mergeTallies((run.tallies[townshipId] ??= {}), tallies)
      const done = !full || complete.length === 0
      if (done) {
        run.townshipIndex += 1
        run.cursor = ''
      } else {
        run.cursor = (complete[complete.length - 1]?.helperId ?? run.cursor) as string
      }
      if (run.townshipIndex >= run.townships.length) run.phase = 'officers'
      await saveRun(run, false)
    }

    if (run.phase === 'officers' && !outOfTime()) {
      for (const townshipId of run.townships) {
        const intended = await officerMessages(townshipId, run, cadence)
        tally(run, await deliver(intended, ctx))
      }
      run.phase = 'done'
      run.finishedAt = new Date()
      // Housekeeping once a day, after the day's messages: the outbox keeps a year and a month of
      // history (officers read it per helper); older entries belong to periods long over.
      await pruneOutbox(new Date(now.getTime() - OUTBOX_KEEP_DAYS * 86_400_000))
    }
  } finally {
    await saveRun(run, true).catch((err: unknown) =>
      console.log(JSON.stringify({ fn: 'reminders', saveRun: errorText(err) })),
    )
  }
  const result = {
    ok: true,
    runId: run._id,
    phase: run.phase,
    sent: counter.sent,
    pages: run.stats.pages,
  }
  console.log(JSON.stringify({ fn: 'reminders', ...result, ms: Date.now() - t0 }))
  return result
}

function mergeTallies(into: Record<string, Tally>, page: Record<string, Tally>): void {
  for (const [villageId, p] of Object.entries(page)) {
    const t = (into[villageId] ??= { overdueChildren: 0, escalated: [], triggers: [] })
    t.overdueChildren += p.overdueChildren
    for (const e of p.escalated) if (!t.escalated.some((x) => x.id === e.id)) t.escalated.push(e)
    for (const trig of p.triggers) addTrigger(t, trig)
  }
}

function addTrigger(t: Tally, trig: Tally['triggers'][number]): void {
  if (!t.triggers.some((x) => x.periodKey === trig.periodKey && x.stage === trig.stage)) {
    t.triggers.push(trig)
  }
}

function tally(run: RunDoc, out: ReadonlyArray<{ state: string }>): void {
  for (const o of out) {
    if (o.state === 'sent') run.stats.sent += 1
    else if (o.state === 'pending') run.stats.pendingLeft += 1
    else if (o.state !== 'retry') run.stats.undeliverable += 1
  }
}

const CountRow = z.object({ _id: z.string(), n: z.number() })

/** The officer digests of one township: overdue (when duties became overdue) and the period summary (first working day). */
async function officerMessages(
  townshipId: string,
  run: RunDoc,
  cadence: CadenceConfig,
): Promise<Intended[]> {
  const now = run.asOf
  const tallies = run.tallies[townshipId] ?? {}
  const summary = summaryTriggers(now, cadence)
  const anyOverdue = Object.values(tallies).some((t) => t.overdueChildren > 0)
  if (!anyOverdue && summary.length === 0) return []
  const db = getDb()
  const _ = db.command
  const [officers, villages, paired] = await Promise.all([
    findMany(
      UserDoc,
      db
        .collection(COLLECTIONS.users)
        .where({ townshipId, role: _.in(['village_officer', 'township_officer']) })
        .limit(1000),
    ),
    findMany(VillageDoc, db.collection(COLLECTIONS.villages).where({ townshipId }).limit(1000)),
    summary.length > 0 ? pairedCounts(townshipId) : Promise.resolve(new Map<string, number>()),
  ])
  const villageTallies: VillageTally[] = villages.map((v) => {
    const t = tallies[v._id]
    return {
      villageId: v._id,
      villageName: v.name,
      overdueChildren: t?.overdueChildren ?? 0,
      escalated: (t?.escalated ?? []).map((e) => e.name),
      paired: summary.length > 0 ? (paired.get(v._id) ?? 0) : null,
    }
  })
  const out: Intended[] = []
  const trig = (list: readonly Trigger[]) =>
    [...list].sort((a, b) => a.periodEnd.getTime() - b.periodEnd.getTime())
  for (const officer of officers) {
    let triggers: Trigger[]
    let values: Record<string, string>
    let escalated: string[] = []
    if (officer.role === 'village_officer') {
      const t = officer.villageId ? tallies[officer.villageId] : undefined
      const vt = villageTallies.find((v) => v.villageId === officer.villageId)
      const overdue = t && t.overdueChildren > 0 ? (t.triggers as Trigger[]) : []
      triggers = [...trig(overdue), ...summary]
      if (!vt || triggers.length === 0) continue
      values = villageOfficerValues(vt, triggers)
      escalated = (t?.escalated ?? []).map((e) => e.id)
    } else {
      const overdue = Object.values(tallies)
        .filter((t) => t.overdueChildren > 0)
        .flatMap((t) => t.triggers as Trigger[])
      const unique = new Map(overdue.map((t) => [`${t.periodKey}|${t.stage}`, t]))
      triggers = [...trig([...unique.values()]), ...summary]
      if (triggers.length === 0) continue
      values = townshipOfficerValues(villageTallies, triggers)
    }
    const [primary] = triggers
    if (!primary) continue
    out.push({
      recipient: recipientOf(officer),
      template: 'officer_digest',
      covers: triggers.map((t) => triggerKey(officer._id, 'officer_digest', t)),
      periodKey: primary.periodKey,
      stage: primary.stage,
      reason: `${values.summary ?? ''}（${triggers.map((t) => `${t.periodKey}${t.stage === 'summary' ? '汇总' : '逾期'}`).join('、')}）`,
      values,
      escalated,
    })
  }
  return out
}

/** Children paired now, per village of the township (one aggregate). */
async function pairedCounts(townshipId: string): Promise<Map<string, number>> {
  const db = getDb()
  const _ = db.command
  const res = (await db
    .collection(COLLECTIONS.dutyStates)
    .aggregate()
    .match({ townshipId, status: 'active', helperId: _.neq(null) })
    .group({ _id: '$villageId', n: _.aggregate.sum(1) })
    .end()) as unknown
  const list = z.object({ list: z.array(CountRow) }).parse(res).list
  return new Map(list.map((r) => [r._id, r.n]))
}
