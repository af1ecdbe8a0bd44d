// Children as stored: the document schema, its reads and transaction, and the per-role views that leave the server.
import { randomBytes } from 'node:crypto'
import * as z from 'zod'
import {
  ageOn,
  CHILD_STATUSES,
  CONSENT_DECISIONS,
  CONSENT_STATES,
  consentStatus,
  HISTORY_ACTIONS,
  SEXES,
  type ChildFields,
  type ChildGuardianView,
  type ChildHelperListItem,
  type ChildHelperView,
  type ChildOfficerListItem,
  type ChildOfficerView,
  type FieldChange,
} from '../core/children'
import {
  ACADEMIC_SUBTYPES,
  ARCHIVE_REASONS,
  CATEGORIES,
  CONSENT_METHODS,
  CONSENT_SCOPES,
  GUARDIAN_RELATIONS,
  HOME_VISIT_FREQUENCIES,
  MEASURE_KINDS,
  PARENT_STATUSES,
  RISK_LEVELS,
} from '../core/domain'
import { maskIdNumber } from '../core/idcard'
import { givenName } from '../core/masking'
import { getDb } from './cloud'
import { findMany, findOne, StoredDate } from './db'
import { txGet, type Tx } from './pairings-store'
import { COLLECTIONS, UserDoc, VillageDoc } from './records'

const StoredParent = z.object({
  status: z.enum(PARENT_STATUSES),
  workplace: z.string(),
  homeFrequency: z.enum(HOME_VISIT_FREQUENCIES).nullable(),
})

export const StoredGuardian = z.object({
  /** stable across edits: guardian users link to it (`users.guardianOf[].guardianId`) */
  id: z.string(),
  name: z.string(),
  relation: z.enum(GUARDIAN_RELATIONS),
  phone: z.string(),
})

export const StoredConsentRecord = z.object({
  decision: z.enum(CONSENT_DECISIONS),
  guardianName: z.string(),
  relation: z.enum(GUARDIAN_RELATIONS),
  scopes: z.array(z.enum(CONSENT_SCOPES)),
  method: z.enum(CONSENT_METHODS),
  note: z.string(),
  at: StoredDate,
  by: z.string(),
})

/** A child's record in `children`. `idNumber` is the full number and never leaves the server. */
export const ChildDoc = z.object({
  _id: z.string(),
  townshipId: z.string(),
  villageId: z.string(),
  name: z.string(),
  sex: z.enum(SEXES),
  birthDate: z.string(),
  idNumber: z.string().nullable(),
  school: z.string(),
  grade: z.string(),
  address: z.string(),
  parents: z.object({ father: StoredParent, mother: StoredParent }),
  guardians: z.array(StoredGuardian),
  categories: z.array(z.enum(CATEGORIES)),
  academicSubtype: z.enum(ACADEMIC_SUBTYPES).nullable(),
  riskLevel: z.enum(RISK_LEVELS),
  needs: z.array(z.enum(MEASURE_KINDS)),
  notes: z.string(),
  status: z.enum(CHILD_STATUSES),
  archive: z
    .object({ reason: z.enum(ARCHIVE_REASONS), note: z.string(), at: StoredDate, by: z.string() })
    .nullable(),
  consent: z.object({ state: z.enum(CONSENT_STATES), records: z.array(StoredConsentRecord) }),
  version: z.number().int(),
  createdAt: StoredDate,
  updatedAt: StoredDate,
  createdBy: z.string(),
})
export type ChildDoc = z.infer<typeof ChildDoc>

/** One entry of `child_history`: who changed which fields of which child, when, from what to what. */
export const ChildHistoryDoc = z.object({
  _id: z.string(),
  childId: z.string(),
  townshipId: z.string(),
  at: StoredDate,
  by: z.string(),
  action: z.enum(HISTORY_ACTIONS),
  changes: z.array(z.object({ field: z.string(), from: z.json(), to: z.json() })),
})
export type ChildHistoryDoc = z.infer<typeof ChildHistoryDoc>

/** A random id with a readable prefix ('chd-…', 'gdn-…'). */
export function newId(prefix: string): string {
  return `${prefix}-${randomBytes(8).toString('hex')}`
}

/** The editable facts of a stored child (what history compares). */
export function fieldsOf(child: ChildDoc): ChildFields {
  return {
    villageId: child.villageId,
    name: child.name,
    sex: child.sex,
    birthDate: child.birthDate,
    idNumber: child.idNumber,
    school: child.school,
    grade: child.grade,
    address: child.address,
    parents: child.parents,
    guardians: child.guardians,
    categories: child.categories,
    academicSubtype: child.academicSubtype,
    riskLevel: child.riskLevel,
    needs: child.needs,
    notes: child.notes,
  }
}

// ---------------------------------------------------------------------------------------------
// Views: the only shapes of a child that leave the server (each role's exact fields)
// ---------------------------------------------------------------------------------------------

/** What a view needs besides the record: village names and the clock (for the age). */
export type ViewContext = { villageNames: ReadonlyMap<string, string>; now: Date }

function villageName(child: ChildDoc, ctx: ViewContext): string {
  return ctx.villageNames.get(child.villageId) ?? ''
}

function masked(idNumber: string | null): string | null {
  return idNumber ? maskIdNumber(idNumber) : null
}

function guardiansView(child: ChildDoc) {
  return child.guardians.map((g) => ({
    id: g.id,
    name: g.name,
    relation: g.relation,
    phone: g.phone,
  }))
}

function parentsView(child: ChildDoc) {
  const one = (p: ChildDoc['parents']['father']) => ({
    status: p.status,
    workplace: p.workplace,
    homeFrequency: p.homeFrequency,
  })
  return { father: one(child.parents.father), mother: one(child.parents.mother) }
}

/** The fields an officer's and a helper's view share (CHILD_CARE_FIELDS). */
function careFields(child: ChildDoc, ctx: ViewContext) {
  return {
    id: child._id,
    villageId: child.villageId,
    villageName: villageName(child, ctx),
    name: child.name,
    sex: child.sex,
    birthDate: child.birthDate,
    age: ageOn(child.birthDate, ctx.now),
    idNumberMasked: masked(child.idNumber),
    school: child.school,
    grade: child.grade,
    address: child.address,
    parents: parentsView(child),
    guardians: guardiansView(child),
    categories: [...child.categories],
    academicSubtype: child.academicSubtype,
    riskLevel: child.riskLevel,
    needs: [...child.needs],
  }
}

export function officerView(child: ChildDoc, ctx: ViewContext): ChildOfficerView {
  return {
    view: 'officer',
    townshipId: child.townshipId,
    ...careFields(child, ctx),
    notes: child.notes,
    status: child.status,
    archive: child.archive
      ? {
          reason: child.archive.reason,
          note: child.archive.note,
          at: child.archive.at,
          by: child.archive.by,
        }
      : null,
    consent: {
      ...consentStatus(child.consent.records),
      records: child.consent.records.map((r) => ({
        decision: r.decision,
        guardianName: r.guardianName,
        relation: r.relation,
        scopes: [...r.scopes],
        method: r.method,
        note: r.note,
        at: r.at,
        by: r.by,
      })),
    },
    version: child.version,
    createdAt: child.createdAt,
    updatedAt: child.updatedAt,
    createdBy: child.createdBy,
  }
}

export function helperView(child: ChildDoc, ctx: ViewContext): ChildHelperView {
  return {
    view: 'helper',
    ...careFields(child, ctx),
    consent: consentStatus(child.consent.records),
  }
}

export function guardianView(child: ChildDoc, ctx: ViewContext): ChildGuardianView {
  return {
    view: 'guardian',
    id: child._id,
    givenName: givenName(child.name),
    villageName: villageName(child, ctx),
    age: ageOn(child.birthDate, ctx.now),
  }
}

export function officerListItem(child: ChildDoc, ctx: ViewContext): ChildOfficerListItem {
  return {
    view: 'officer',
    id: child._id,
    villageId: child.villageId,
    villageName: villageName(child, ctx),
    name: child.name,
    sex: child.sex,
    birthDate: child.birthDate,
    age: ageOn(child.birthDate, ctx.now),
    idNumberMasked: masked(child.idNumber),
    school: child.school,
    grade: child.grade,
    categories: [...child.categories],
    academicSubtype: child.academicSubtype,
    riskLevel: child.riskLevel,
    needs: [...child.needs],
    status: child.status,
    consentState: consentStatus(child.consent.records).state,
    version: child.version,
    updatedAt: child.updatedAt,
  }
}

export function helperListItem(child: ChildDoc, ctx: ViewContext): ChildHelperListItem {
  return {
    view: 'helper',
    id: child._id,
    villageId: child.villageId,
    villageName: villageName(child, ctx),
    name: child.name,
    sex: child.sex,
    age: ageOn(child.birthDate, ctx.now),
    categories: [...child.categories],
    riskLevel: child.riskLevel,
    needs: [...child.needs],
  }
}

// ---------------------------------------------------------------------------------------------
// Reads
// ---------------------------------------------------------------------------------------------

export function loadChild(id: string): Promise<ChildDoc | null> {
  return findOne(ChildDoc, getDb().collection(COLLECTIONS.children).where({ _id: id }).limit(1))
}

/** Names of a township's villages by id (a township has tens of villages, far under the 1000 cap). */
export async function villageNamesOf(townshipId: string): Promise<Map<string, string>> {
  const villages = await findMany(
    VillageDoc,
    getDb().collection(COLLECTIONS.villages).where({ townshipId }).limit(1000),
  )
  return new Map(villages.map((v) => [v._id, v.name]))
}

/**
 * Children of the township that could duplicate a record: the same ID number (any status), or the same
 * name and birth date. A handful at most; 20 of each is far more than the rule needs to name one.
 */
export async function possibleDuplicates(
  townshipId: string,
  record: { name: string; birthDate: string; idNumber: string | null },
): Promise<ChildDoc[]> {
  const children = getDb().collection(COLLECTIONS.children)
  const [byId, byNameBirth] = await Promise.all([
    record.idNumber
      ? findMany(ChildDoc, children.where({ townshipId, idNumber: record.idNumber }).limit(20))
      : Promise.resolve([]),
    findMany(
      ChildDoc,
      children.where({ townshipId, name: record.name, birthDate: record.birthDate }).limit(20),
    ),
  ])
  return [...byId, ...byNameBirth]
}

type Query = {
  orderBy(field: string, order: 'asc' | 'desc'): Query
  skip(n: number): Query
  limit(n: number): Query
  count(): Promise<unknown>
  get(): unknown
}

/** One page of a query over children, ordered by name (then id, so pages never overlap), and the total. */
export async function pageOfChildren(
  where: Record<string, unknown> | object,
  page: { offset: number; limit: number },
): Promise<{ children: ChildDoc[]; total: number }> {
  const query = getDb().collection(COLLECTIONS.children).where(where) as unknown as Query
  const [children, counted] = await Promise.all([
    findMany(
      ChildDoc,
      query.orderBy('name', 'asc').orderBy('_id', 'asc').skip(page.offset).limit(page.limit),
    ),
    query.count(),
  ])
  return { children, total: CountResult.parse(counted).total }
}

const CountResult = z.object({ total: z.number() })

/** One page of a child's history, newest first, and how many entries there are. */
export async function pageOfHistory(
  childId: string,
  page: { offset: number; limit: number },
): Promise<{ entries: ChildHistoryDoc[]; total: number }> {
  const query = getDb().collection(COLLECTIONS.childHistory).where({ childId })
  const [entries, counted] = await Promise.all([
    findMany(
      ChildHistoryDoc,
      query.orderBy('at', 'desc').orderBy('_id', 'desc').skip(page.offset).limit(page.limit),
    ),
    query.count(),
  ])
  return { entries, total: CountResult.parse(counted).total }
}

/** Display names of users by id (history shows who made each change). */
export async function userNames(ids: readonly string[]): Promise<Map<string, string>> {
  const unique = [...new Set(ids)]
  if (unique.length === 0) return new Map()
  const _ = getDb().command
  const users = await findMany(
    UserDoc,
    getDb()
      .collection(COLLECTIONS.users)
      .where({ _id: _.in(unique) })
      .limit(1000),
  )
  return new Map(users.map((u) => [u._id, u.displayName]))
}

// ---------------------------------------------------------------------------------------------
// Writes: one transaction per change of a child (the record, its history entry, the audit entry; see
// runTransaction in pairings-store)
// ---------------------------------------------------------------------------------------------

/** The child as a transaction sees it (null only if it vanished: children are never deleted). */
export function readChildIn(tx: Tx, id: string): Promise<ChildDoc | null> {
  return txGet(ChildDoc, tx, COLLECTIONS.children, id)
}

export function historyEntry(
  child: Pick<ChildDoc, '_id' | 'townshipId'>,
  entry: { at: Date; by: string; action: ChildHistoryDoc['action']; changes: FieldChange[] },
): Omit<ChildHistoryDoc, '_id'> {
  return { childId: child._id, townshipId: child.townshipId, ...entry }
}
