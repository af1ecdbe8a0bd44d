// Handlers of the children archive: register, read, list, edit, archive, history, consent — thin steps over core/children rules.
import {
  applyEdit,
  childInScope,
  childRecordIssues,
  consentStatus,
  diffChild,
  duplicateMessage,
  findDuplicate,
  identityOf,
  viewForScope,
  ARCHIVED_READ_ONLY_MESSAGE,
  STALE_VERSION_MESSAGE,
  type CHILDREN_ACTIONS,
  type ChildFields,
  type ConsentRecord,
  type FieldChange,
} from '../../core/children'
import { DEFAULT_MESSAGES, type FieldIssue } from '../../core/envelope'
import { childContribution } from '../../core/rollups'
import {
  fieldsOf,
  guardianView,
  helperListItem,
  helperView,
  historyEntry,
  loadChild,
  newId,
  officerListItem,
  officerView,
  pageOfChildren,
  pageOfHistory,
  possibleDuplicates,
  readChildIn,
  userNames,
  villageNamesOf,
  type ChildDoc,
  type ViewContext,
} from '../children-store'
import { getDb } from '../cloud'
import { findById } from '../db'
import { refreshDutyState } from '../duty-state'
import { DomainError } from '../errors'
import {
  activePairing,
  pairedChildIds,
  PairingDoc,
  runTransaction,
  txGet,
  type Tx,
} from '../pairings-store'
import { COLLECTIONS, VillageDoc } from '../records'
import { applyContributionInTx } from '../rollups-store'
import type { ActionHandler, ActorContext, Handlers } from '../router'

const NOT_FOUND_MESSAGE = '没有找到这名儿童的档案'

/** Changing these facts changes what duty boards show, so the duty state is recomputed after. */
const DUTY_STATE_FIELDS = new Set(['name', 'villageId', 'categories', 'riskLevel'])

function invalid(issues: FieldIssue[]): DomainError {
  return new DomainError('VALIDATION', DEFAULT_MESSAGES.VALIDATION, issues)
}

function childTarget(id: string) {
  return { type: 'child', id }
}

/** Top-level field names of changes ('parents.father.status' → 'parents'), for audit details and updates. */
function changedFields(changes: FieldChange[]): string[] {
  return [...new Set(changes.map((c) => c.field.split('.')[0] ?? c.field))]
}

/**
 * The child if it is in the caller's scope. Out of scope, like missing, is NOT_FOUND: a caller never
 * learns that a record they may not see exists.
 */
async function childInScopeOrThrow(ctx: ActorContext, id: string): Promise<ChildDoc> {
  const child = await loadChild(id)
  if (!child) throw new DomainError('NOT_FOUND', NOT_FOUND_MESSAGE)
  const pairedHelperId =
    ctx.scope === 'paired' ? ((await activePairing(id))?.helperId ?? null) : null
  const actor = {
    id: ctx.actor._id,
    townshipId: ctx.actor.townshipId,
    villageId: ctx.actor.villageId,
    guardianOf: ctx.actor.guardianOf,
  }
  const scoped = {
    id: child._id,
    townshipId: child.townshipId,
    villageId: child.villageId,
    status: child.status,
    guardians: child.guardians,
  }
  if (!childInScope(ctx.scope, actor, scoped, pairedHelperId)) {
    throw new DomainError('NOT_FOUND', NOT_FOUND_MESSAGE)
  }
  return child
}

function assertWritable(child: ChildDoc, version: number): void {
  if (child.status !== 'active') throw new DomainError('CONFLICT', ARCHIVED_READ_ONLY_MESSAGE)
  if (child.version !== version) throw new DomainError('CONFLICT', STALE_VERSION_MESSAGE)
}

/** An officer's child to change: in scope, active, and still at the version the officer read. */
async function writableChild(ctx: ActorContext, id: string, version: number): Promise<ChildDoc> {
  const child = await childInScopeOrThrow(ctx, id)
  assertWritable(child, version)
  return child
}

/**
 * Runs a change of one child in a transaction that re-reads the record and re-checks it is active and at
 * the version the officer read, so of two officers saving at once one gets CONFLICT and nothing is lost.
 */
async function writeChange(
  ctx: ActorContext,
  child: ChildDoc,
  version: number,
  now: Date,
  change: {
    /** the changed fields, plain: objects and arrays replace the stored value whole */
    update: Partial<ChildDoc>
    history: { action: 'update' | 'archive' | 'consent'; changes: FieldChange[] }
    audit: { action: string; detail: Record<string, string | number | boolean | string[] | null> }
    /** further writes that must commit with the change (doc()/add() only) */
    alsoInTx?: (tx: Tx) => Promise<void>
  },
): Promise<void> {
  await runTransaction(async (tx: Tx) => {
    const current = await readChildIn(tx, child._id)
    if (!current) throw new DomainError('NOT_FOUND', NOT_FOUND_MESSAGE)
    assertWritable(current, version)
    const data = Object.fromEntries(
      Object.entries(change.update).map(([k, v]) => [k, replaceWhole(v)]),
    )
    await tx
      .collection(COLLECTIONS.children)
      .doc(child._id)
      .update({ data: { ...data, version: version + 1, updatedAt: now } })
    await applyContributionInTx(
      tx,
      childContribution(current),
      childContribution({ ...current, ...change.update }),
      now,
    )
    await tx.collection(COLLECTIONS.childHistory).add({
      data: historyEntry(child, { at: now, by: ctx.actor._id, ...change.history }),
    })
    await ctx.audit.within(tx)({
      action: change.audit.action,
      target: childTarget(child._id),
      detail: change.audit.detail,
    })
    await change.alsoInTx?.(tx)
  })
}

/** An object or array value replaces the stored one whole (the SDK would otherwise merge objects field by field). */
function replaceWhole(value: unknown): unknown {
  return value !== null && typeof value === 'object' && !(value instanceof Date)
    ? getDb().command.set(value)
    : value
}

/**
 * The village a record goes into: a village officer's own (another is FORBIDDEN); for a township officer
 * one of their township's villages (any other id reads as not existing).
 */
async function villageFor(ctx: ActorContext, requested: string | undefined): Promise<VillageDoc> {
  let villageId = requested
  if (ctx.scope === 'village') {
    if (!ctx.actor.villageId || (requested !== undefined && requested !== ctx.actor.villageId)) {
      throw new DomainError('FORBIDDEN', '只能登记和管理本村的儿童')
    }
    villageId = ctx.actor.villageId
  }
  if (!villageId) throw invalid([{ path: 'villageId', message: '请选择村' }])
  const village = await findById(VillageDoc, COLLECTIONS.villages, villageId)
  if (!village || village.townshipId !== ctx.actor.townshipId) {
    throw invalid([{ path: 'villageId', message: '所选村不存在' }])
  }
  return village
}

/** CONFLICT naming the existing record (village, masked ID, status, id) when the record would duplicate one. */
async function assertNotDuplicate(
  ctx: ActorContext,
  record: Pick<ChildFields, 'name' | 'birthDate' | 'idNumber'>,
  opts: {
    self?: string
    confirmNotDuplicate: boolean
    rules: { idNumber: boolean; nameBirth: boolean }
  },
  villageNames: ReadonlyMap<string, string>,
): Promise<void> {
  const others = await possibleDuplicates(ctx.actor.townshipId, record)
  const dup = findDuplicate(
    record,
    others.map((o) => ({ id: o._id, name: o.name, birthDate: o.birthDate, idNumber: o.idNumber })),
    opts,
  )
  if (!dup || (dup.kind === 'id_number' ? !opts.rules.idNumber : !opts.rules.nameBirth)) return
  const existing = others.find((o) => o._id === dup.existing.id)
  const message = duplicateMessage(dup, {
    villageName: (existing && villageNames.get(existing.villageId)) ?? '',
    status: existing?.status ?? 'active',
  })
  throw new DomainError('CONFLICT', message, [
    { path: dup.kind === 'id_number' ? 'idNumber' : 'name', message },
  ])
}

async function viewContext(ctx: ActorContext): Promise<ViewContext> {
  return { villageNames: await villageNamesOf(ctx.actor.townshipId), now: ctx.now() }
}

function touchesDutyState(changes: FieldChange[]): boolean {
  return changedFields(changes).some((f) => DUTY_STATE_FIELDS.has(f))
}

const create: ActionHandler<'children.create'> = async (input, ctx) => {
  const now = ctx.now()
  const village = await villageFor(ctx, input.villageId)
  const issues = childRecordIssues(input, { today: now, checkAge: true })
  input.guardians.forEach((g, i) => {
    if (g.id !== undefined)
      issues.push({ path: `guardians.${i}.id`, message: '新登记的监护人不能带编号' })
  })
  const identity = identityOf(input)
  if (issues.length || !identity) throw invalid(issues)
  const fields: ChildFields = {
    villageId: village._id,
    name: input.name,
    sex: identity.sex,
    birthDate: identity.birthDate,
    idNumber: input.idNumber,
    school: input.school,
    grade: input.grade,
    address: input.address,
    parents: input.parents,
    guardians: input.guardians.map((g) => ({
      id: newId('gdn'),
      name: g.name,
      relation: g.relation,
      phone: g.phone,
    })),
    categories: input.categories,
    academicSubtype: input.academicSubtype,
    riskLevel: input.riskLevel,
    needs: input.needs,
    notes: input.notes,
  }

  const view = await viewContext(ctx)
  await assertNotDuplicate(
    ctx,
    fields,
    { confirmNotDuplicate: input.confirmNotDuplicate, rules: { idNumber: true, nameBirth: true } },
    view.villageNames,
  )

  const child: ChildDoc = {
    _id: newId('chd'),
    townshipId: ctx.actor.townshipId,
    ...fields,
    status: 'active',
    archive: null,
    consent: { state: 'none', records: [] },
    version: 1,
    createdAt: now,
    updatedAt: now,
    createdBy: ctx.actor._id,
  }
  const changes = diffChild(null, fields)
  await runTransaction(async (tx) => {
    await tx.collection(COLLECTIONS.children).add({ data: child })
    await applyContributionInTx(tx, null, childContribution(child), now)
    await tx.collection(COLLECTIONS.childHistory).add({
      data: historyEntry(child, { at: now, by: ctx.actor._id, action: 'create', changes }),
    })
    await ctx.audit.within(tx)({
      action: 'children.create',
      target: childTarget(child._id),
      detail: { villageId: child.villageId, fields: changedFields(changes) },
    })
  })
  return officerView(child, view)
}

const get: ActionHandler<'children.get'> = async (input, ctx) => {
  const child = await childInScopeOrThrow(ctx, input.id)
  const kind = viewForScope(ctx.scope)
  if (!kind) throw new DomainError('NOT_FOUND', NOT_FOUND_MESSAGE)
  const view = await viewContext(ctx)
  await ctx.audit({
    action: 'children.get',
    target: childTarget(child._id),
    detail: { view: kind },
  })
  if (kind === 'officer') return officerView(child, view)
  if (kind === 'helper') return helperView(child, view)
  return guardianView(child, view)
}

const EMPTY_PAGE = { items: [], total: 0, nextOffset: null }

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
}

const list: ActionHandler<'children.list'> = async (input, ctx) => {
  const db = getDb()
  const _ = db.command
  const { actor } = ctx
  const conditions: object[] = [{ townshipId: actor.townshipId, status: input.status }]
  switch (ctx.scope) {
    case 'township':
      break
    case 'village':
      if (!actor.villageId) return EMPTY_PAGE
      if (input.villageId !== undefined && input.villageId !== actor.villageId) {
        throw new DomainError('FORBIDDEN', '只能查看本村的儿童')
      }
      conditions.push({ villageId: actor.villageId })
      break
    case 'paired': {
      if (input.status !== 'active') return EMPTY_PAGE
      const ids = await pairedChildIds(actor._id)
      if (ids.length === 0) return EMPTY_PAGE
      conditions.push({ _id: _.in(ids) })
      break
    }
    case 'guardian':
      // Filtering by category or risk would reveal them by what the list returns: a guardian sees neither.
      if (input.category !== undefined || input.riskLevel !== undefined) {
        throw new DomainError('FORBIDDEN', '监护人不能按类别或风险等级筛选')
      }
      if (input.status !== 'active' || actor.guardianOf.length === 0) return EMPTY_PAGE
      conditions.push(
        _.or(actor.guardianOf.map((l) => ({ _id: l.childId, 'guardians.id': l.guardianId }))),
      )
      break
    default:
      return EMPTY_PAGE
  }
  if (input.villageId !== undefined) conditions.push({ villageId: input.villageId })
  if (input.category !== undefined) conditions.push({ categories: input.category })
  if (input.riskLevel !== undefined) conditions.push({ riskLevel: input.riskLevel })
  if (input.q)
    conditions.push({ name: db.RegExp({ regexp: `^${escapeRegExp(input.q)}`, options: '' }) })

  const { children, total } = await pageOfChildren(_.and(conditions), input)
  const view = await viewContext(ctx)
  const kind = viewForScope(ctx.scope)
  const items = children.map((c) =>
    kind === 'officer'
      ? officerListItem(c, view)
      : kind === 'helper'
        ? helperListItem(c, view)
        : guardianView(c, view),
  )
  const next = input.offset + items.length
  return { items, total, nextOffset: items.length > 0 && next < total ? next : null }
}

const update: ActionHandler<'children.update'> = async (input, ctx) => {
  const now = ctx.now()
  const { id, version, confirmNotDuplicate, ...edit } = input
  const child = await writableChild(ctx, id, version)
  if (edit.villageId !== undefined && edit.villageId !== child.villageId)
    await villageFor(ctx, edit.villageId)

  const before = fieldsOf(child)
  const { fields, issues } = applyEdit(before, edit, () => newId('gdn'))
  issues.push(
    ...childRecordIssues(fields, { today: now, checkAge: fields.birthDate !== before.birthDate }),
  )
  if (issues.length) throw invalid(issues)

  const view = await viewContext(ctx)
  const changes = diffChild(before, fields)
  if (changes.length === 0) {
    // Nothing to save; the answer is still the full record, so the read is audited.
    await ctx.audit({
      action: 'children.update',
      target: childTarget(child._id),
      detail: { fields: [] },
    })
    return officerView(child, view)
  }
  const fieldNames = changedFields(changes)
  const idChanged = fieldNames.includes('idNumber')
  const nameBirthChanged = fieldNames.includes('name') || fieldNames.includes('birthDate')
  if (idChanged || nameBirthChanged) {
    await assertNotDuplicate(
      ctx,
      fields,
      {
        self: child._id,
        confirmNotDuplicate,
        rules: { idNumber: idChanged, nameBirth: nameBirthChanged },
      },
      view.villageNames,
    )
  }

  const update = Object.fromEntries(fieldNames.map((f) => [f, fields[f as keyof ChildFields]]))
  await writeChange(ctx, child, version, now, {
    update,
    history: { action: 'update', changes },
    audit: { action: 'children.update', detail: { fields: fieldNames } },
  })
  if (touchesDutyState(changes)) await refreshDutyState(child._id, now)
  return officerView({ ...child, ...fields, version: version + 1, updatedAt: now }, view)
}

const archive: ActionHandler<'children.archive'> = async (input, ctx) => {
  const now = ctx.now()
  const child = await writableChild(ctx, input.id, input.version)
  const record = { reason: input.reason, note: input.note, at: now, by: ctx.actor._id }
  const changes: FieldChange[] = [
    { field: 'status', from: 'active', to: 'archived' },
    { field: 'archive.reason', from: null, to: input.reason },
    ...(input.note ? [{ field: 'archive.note', from: null, to: input.note }] : []),
  ]
  // A child who leaves the programme leaves their helper's care too: the pairing ends with the archive.
  const pairing = await activePairing(child._id)
  await writeChange(ctx, child, input.version, now, {
    update: { status: 'archived', archive: record },
    history: { action: 'archive', changes },
    audit: {
      action: 'children.archive',
      detail: { reason: input.reason, endedPairingId: pairing?._id ?? null },
    },
    alsoInTx: async (tx) => {
      if (!pairing) return
      const current = await txGet(PairingDoc, tx, COLLECTIONS.pairings, pairing._id)
      if (!current?.active) return
      await tx
        .collection(COLLECTIONS.pairings)
        .doc(pairing._id)
        .update({
          data: {
            end: now.getTime() < current.start.getTime() ? current.start : now,
            active: false,
            activeKey: `ended:${pairing._id}`,
            endReason: 'child_left',
            endNote: null,
            endedBy: ctx.actor._id,
          },
        })
    },
  })
  await refreshDutyState(child._id, now)
  const archived: ChildDoc = {
    ...child,
    status: 'archived',
    archive: record,
    version: input.version + 1,
    updatedAt: now,
  }
  return officerView(archived, await viewContext(ctx))
}

const history: ActionHandler<'children.history'> = async (input, ctx) => {
  const child = await childInScopeOrThrow(ctx, input.id)
  const { entries, total } = await pageOfHistory(child._id, input)
  const names = await userNames(entries.map((e) => e.by))
  await ctx.audit({ action: 'children.history', target: childTarget(child._id) })
  const next = input.offset + entries.length
  return {
    items: entries.map((e) => ({
      id: e._id,
      at: e.at,
      by: e.by,
      byName: names.get(e.by) ?? '',
      action: e.action,
      changes: e.changes,
    })),
    total,
    nextOffset: entries.length > 0 && next < total ? next : null,
  }
}

const consent: ActionHandler<'children.consent'> = async (input, ctx) => {
  const now = ctx.now()
  const child = await writableChild(ctx, input.id, input.version)
  const record: ConsentRecord = {
    decision: input.decision,
    guardianName: input.guardianName,
    relation: input.relation,
    scopes: input.scopes,
    method: input.method,
    note: input.note,
    at: now,
    by: ctx.actor._id,
  }
  const records = [...child.consent.records, record]
  const before = consentStatus(child.consent.records)
  const after = consentStatus(records)
  const changes: FieldChange[] = [
    {
      field: 'consent.record',
      from: null,
      to: {
        decision: record.decision,
        guardianName: record.guardianName,
        relation: record.relation,
        scopes: record.scopes,
        method: record.method,
      },
    },
    ...(before.state !== after.state
      ? [{ field: 'consent.state', from: before.state, to: after.state }]
      : []),
    ...(before.scopes.join() !== after.scopes.join()
      ? [{ field: 'consent.scopes', from: before.scopes, to: after.scopes }]
      : []),
  ]
  const stored = { state: after.state, records }
  await writeChange(ctx, child, input.version, now, {
    update: { consent: stored },
    history: { action: 'consent', changes },
    audit: {
      action: 'children.consent',
      detail: { decision: input.decision, scopes: input.scopes },
    },
  })
  return officerView(
    { ...child, consent: stored, version: input.version + 1, updatedAt: now },
    await viewContext(ctx),
  )
}

export const childrenHandlers: Handlers<keyof typeof CHILDREN_ACTIONS> = {
  'children.create': create,
  'children.get': get,
  'children.list': list,
  'children.update': update,
  'children.archive': archive,
  'children.history': history,
  'children.consent': consent,
}
