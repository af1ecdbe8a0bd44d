// Handler of the duty board (duties.list): reads the stored duty states by indexed fields, never the contact logs.
//
// Database calls per request, whatever the number of children and logs: a helper 3 (the caller,
// their children's states, village names); an officer 4 (the caller, one page, one aggregate for
// both badge counts, village names). Statuses are computed at read time from each stored state (pure, no I/O).
import * as z from 'zod'
import { DUTIES, type Duty, type DutyStatus } from '../../core/cadence'
import { CATEGORIES, type Category } from '../../core/domain'
import {
  boardEntry,
  compareUrgency,
  dutyView,
  encodeCursor,
  statusCondition,
  type DateRange,
  type DUTY_ACTIONS,
  type DutiesListQuery,
  type DutyBoardItem,
  type StatusCondition,
} from '../../core/duties'
import { getDb, type Database } from '../cloud'
import { findMany } from '../db'
import { CADENCE, DutyStateDoc } from '../duty-state'
import { DomainError } from '../errors'
import { COLLECTIONS, VillageDoc } from '../records'
import type { Handlers } from '../router'

/** A helper's board is one page: they have a handful of children (a get() returns at most 1000). */
const HELPER_BOARD_MAX = 1000
/** Earlier than any due date: `nextDueAt >= EPOCH` selects the children who owe something (not null). */
const EPOCH = new Date(0)

type Command = Database['command']
type Entry = ReturnType<typeof boardEntry> & { doc: DutyStateDoc }

function matchesStatus(e: Entry, status: DutyStatus | undefined, duty: Duty | undefined): boolean {
  if (!status) return true
  return (duty ? e.states[duty].status : e.urgency) === status
}

function isCategory(c: string): c is Category {
  return (CATEGORIES as readonly string[]).includes(c)
}

function toItem(e: Entry, villageNames: Map<string, string>): DutyBoardItem {
  const d = e.doc
  const nextDueAt = DUTIES.reduce<Date | null>((min, duty) => {
    const s = e.states[duty]
    const due = s.overdueSince ?? s.nextDueAt
    return due && (!min || due.getTime() < min.getTime()) ? due : min
  }, null)
  return {
    child: {
      id: d._id,
      name: d.childName,
      villageId: d.villageId,
      villageName: villageNames.get(d.villageId) ?? '',
      categories: d.categories.filter(isCategory),
      riskLevel: d.riskLevel,
    },
    helper: d.helperId ? { id: d.helperId, displayName: d.helperName ?? '' } : null,
    urgency: e.urgency,
    nextDueAt,
    lastContactAt: e.lastContactAt,
    duties: {
      guardian_contact: dutyView(e.states, 'guardian_contact', d.latest.guardian_contact),
      companionship: dutyView(e.states, 'companionship', d.latest.companionship),
      home_visit: dutyView(e.states, 'home_visit', d.latest.home_visit),
    },
  }
}

/** A date range as a database command on its field (`gt`, `gte`, `lte` combined with `and`). */
function rangeCommand(_: Command, r: Omit<DateRange, 'field'>) {
  const parts = [
    r.gt !== undefined ? _.gt(r.gt) : null,
    r.gte !== undefined ? _.gte(r.gte) : null,
    r.lte !== undefined ? _.lte(r.lte) : null,
  ].filter((p) => p !== null)
  const [first, ...rest] = parts
  if (!first) throw new Error('empty date range')
  return rest.length ? first.and(...rest) : first
}

/** The where() argument: equality filters plus date ranges, and any $or groups, all AND-ed. */
function buildWhere(
  _: Command,
  equal: Record<string, unknown>,
  ranges: DateRange[],
  ors: Array<Array<Record<string, unknown>>>,
) {
  const byField = new Map<string, Omit<DateRange, 'field'>>()
  for (const r of ranges) {
    const prev = byField.get(r.field) ?? {}
    byField.set(r.field, {
      gt: latest(prev.gt, r.gt),
      gte: latest(prev.gte, r.gte),
      lte: earliest(prev.lte, r.lte),
    })
  }
  const where: Record<string, unknown> = { ...equal }
  for (const [field, r] of byField) where[field] = rangeCommand(_, r)
  const groups = ors.filter((g) => g.length > 0)
  return groups.length === 0 ? where : _.and([where, ...groups.map((g) => _.or(g))])
}

function latest(a: Date | undefined, b: Date | undefined): Date | undefined {
  if (!a) return b
  if (!b) return a
  return a.getTime() >= b.getTime() ? a : b
}

function earliest(a: Date | undefined, b: Date | undefined): Date | undefined {
  if (!a) return b
  if (!b) return a
  return a.getTime() <= b.getTime() ? a : b
}

/** A status condition as an aggregation expression: true for the documents the condition selects. */
function conditionExpr($: Command['aggregate'], cond: StatusCondition) {
  const test = (r: DateRange) => {
    const f = `$${r.field}`
    const parts = [
      r.gt !== undefined ? $.gt([f, r.gt]) : null,
      r.gte !== undefined ? $.gte([f, r.gte]) : null,
      // In an expression null sorts below every date, so an upper bound alone would count a missing date.
      r.lte !== undefined ? $.and([$.gte([f, EPOCH]), $.lte([f, r.lte])]) : null,
    ].filter((p) => p !== null)
    return $.and(parts)
  }
  const all = cond.all.map(test)
  return $.and(cond.any.length ? [...all, $.or(cond.any.map(test))] : all)
}

const CountsRow = z.object({ overdue: z.number().int(), due_soon: z.number().int() })

/**
 * Both badge counts in one aggregate: the states that may be overdue or due soon (an upper bound on
 * the indexed nextDueAt), each counted by its exact condition.
 */
async function countBoth(
  db: Database,
  equal: Record<string, unknown>,
  overdue: StatusCondition,
  dueSoon: StatusCondition,
): Promise<{ overdue: number; due_soon: number }> {
  const _ = db.command
  const $ = _.aggregate
  const upper = [...overdue.all, ...dueSoon.all]
    .filter((r) => r.field === 'nextDueAt' && r.lte !== undefined)
    .reduce<Date>((max, r) => (r.lte && r.lte.getTime() > max.getTime() ? r.lte : max), EPOCH)
  const count = (cond: StatusCondition) =>
    $.sum($.cond({ if: conditionExpr($, cond), then: 1, else: 0 }))
  const res = (await db
    .collection(COLLECTIONS.dutyStates)
    .aggregate()
    .match(buildWhere(_, equal, [{ field: 'nextDueAt', gte: EPOCH, lte: upper }], []))
    .group({ _id: null, overdue: count(overdue), due_soon: count(dueSoon) })
    .end()) as unknown
  const [row] = z.object({ list: z.array(CountsRow) }).parse(res).list
  return row ?? { overdue: 0, due_soon: 0 }
}

/**
 * The equality filters of the caller's scope and the input, or null when they cannot match anything.
 * The scope is one indexed field, the narrowest that states it: the helper's own id, the village
 * officer's village, the township officer's township (ids are unique across townships).
 */
function scopeFilter(
  input: DutiesListQuery,
  actor: { _id: string; townshipId: string; villageId: string | null },
  scope: string,
): Record<string, unknown> | null {
  const equal: Record<string, unknown> = { status: 'active' }
  if (scope === 'paired') equal.helperId = actor._id
  else if (scope === 'village') {
    if (!actor.villageId) return null
    equal.villageId = actor.villageId
  } else if (scope === 'township') equal.townshipId = actor.townshipId
  else throw new DomainError('FORBIDDEN')
  // Filters only narrow the scope: a village or helper outside it matches nothing.
  if (input.villageId !== undefined) {
    if (equal.villageId !== undefined && equal.villageId !== input.villageId) return null
    equal.villageId = input.villageId
  }
  if (input.helperId !== undefined) {
    if (equal.helperId !== undefined && equal.helperId !== input.helperId) return null
    equal.helperId = input.helperId
  }
  if (input.category !== undefined) equal.categories = input.category
  if (input.riskLevel !== undefined) equal.riskLevel = input.riskLevel
  return equal
}

export const dutiesHandlers: Handlers<keyof typeof DUTY_ACTIONS> = {
  'duties.list': async (input, ctx) => {
    const { actor, scope } = ctx
    const now = ctx.now()
    const db = getDb()
    const _ = db.command
    const states = db.collection(COLLECTIONS.dutyStates)
    const empty = { items: [], nextCursor: null, counts: { overdue: 0, due_soon: 0 }, asOf: now }
    const equal = scopeFilter(input, actor, scope)
    if (!equal) return empty
    const villageNamesP = findMany(
      VillageDoc,
      db.collection(COLLECTIONS.villages).where({ townshipId: actor.townshipId }).limit(1000),
    ).then((vs) => new Map(vs.map((v) => [v._id, v.name])))
    const entry = (doc: DutyStateDoc): Entry => ({ doc, ...boardEntry(doc, CADENCE, now) })

    if (scope === 'paired') {
      // A helper's whole board at once, in exact urgency order (overdue, due soon, open, done; then by date).
      const [docs, villageNames] = await Promise.all([
        findMany(
          DutyStateDoc,
          states.where(equal).orderBy('nextDueAt', 'asc').limit(HELPER_BOARD_MAX),
        ),
        villageNamesP,
      ])
      const entries = docs.map(entry)
      const counts = {
        overdue: entries.filter((e) => matchesStatus(e, 'overdue', input.duty)).length,
        due_soon: entries.filter((e) => matchesStatus(e, 'due_soon', input.duty)).length,
      }
      const items = entries
        .filter((e) => matchesStatus(e, input.status, input.duty))
        .sort((a, b) =>
          compareUrgency(
            { urgency: a.urgency, nextDueAt: a.doc.nextDueAt, id: a.doc._id },
            { urgency: b.urgency, nextDueAt: b.doc.nextDueAt, id: b.doc._id },
          ),
        )
        .map((e) => toItem(e, villageNames))
      return { items, nextCursor: null, counts, asOf: now }
    }

    // Officers: a page ordered by (nextDueAt, _id) straight from the (scope, nextDueAt) index.
    const owes: DateRange = { field: 'nextDueAt', gte: EPOCH }
    const filter = input.status ? statusCondition(input.status, input.duty, CADENCE, now) : null
    const overdue = statusCondition('overdue', input.duty, CADENCE, now)
    const dueSoon = statusCondition('due_soon', input.duty, CADENCE, now)
    if (!overdue || !dueSoon) throw new Error('overdue and due_soon always have a condition')
    const c = input.cursor
    const after = c ? [{ nextDueAt: _.gt(c.at) }, { nextDueAt: c.at, _id: _.gt(c.id) }] : []
    const orOf = (cond: StatusCondition | null) =>
      (cond?.any ?? []).map((r) => ({ [r.field]: rangeCommand(_, r) }))
    const [found, counts, villageNames] = await Promise.all([
      findMany(
        DutyStateDoc,
        states
          .where(buildWhere(_, equal, [owes, ...(filter?.all ?? [])], [orOf(filter), after]))
          .orderBy('nextDueAt', 'asc')
          .orderBy('_id', 'asc')
          .limit(input.limit + 1),
      ),
      countBoth(db, equal, overdue, dueSoon),
      villageNamesP,
    ])
    const page = found.slice(0, input.limit)
    const last = page[page.length - 1]
    const nextCursor =
      found.length > input.limit && last?.nextDueAt
        ? encodeCursor({ at: last.nextDueAt, id: last._id })
        : null
    // The ranges are exact but for `done` (see statusCondition); the exact statuses have the last word.
    const items = page
      .map(entry)
      .filter((e) => matchesStatus(e, input.status, input.duty))
      .map((e) => toItem(e, villageNames))
    return { items, nextCursor, counts, asOf: now }
  },
}
