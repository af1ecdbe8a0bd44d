// The children archive (动态档案): the actions' contract, the record's rules, and the pure logic of history, duplicates, scope and consent.
import * as z from 'zod'
import type { Scope } from './access'
import type { ActionSpecs } from './action-spec'
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
  type AcademicSubtype,
  type Category,
  type ConsentScope,
  type MeasureKind,
} from './domain'
import type { FieldIssue } from './envelope'
import { checkIdNumber, ID_NUMBER_MESSAGES, maskIdNumber, type Sex } from './idcard'
import { MobilePhoneSchema } from './masking'
import { chinaDate, InstantSchema } from './time'

// ---------------------------------------------------------------------------------------------
// Vocabulary of the record
// ---------------------------------------------------------------------------------------------

export const SEXES = ['male', 'female'] as const satisfies readonly Sex[]
export const SEX_LABELS: Record<Sex, string> = { male: '男', female: '女' }

export const CHILD_STATUSES = ['active', 'archived'] as const
export type ChildStatus = (typeof CHILD_STATUSES)[number]
export const CHILD_STATUS_LABELS: Record<ChildStatus, string> = {
  active: '在档',
  archived: '已归档',
}

export const CONSENT_STATES = ['none', 'granted', 'withdrawn'] as const
export type ConsentState = (typeof CONSENT_STATES)[number]
export const CONSENT_STATE_LABELS: Record<ConsentState, string> = {
  none: '未记录',
  granted: '已同意',
  withdrawn: '已撤回',
}
export const CONSENT_DECISIONS = ['granted', 'withdrawn'] as const
export type ConsentDecision = (typeof CONSENT_DECISIONS)[number]

export const HISTORY_ACTIONS = ['create', 'update', 'archive', 'consent'] as const
export type HistoryAction = (typeof HISTORY_ACTIONS)[number]

/** Children are minors: a birth date this old is a typing error (1950 for 2015), not a child. */
export const MAX_AGE_AT_REGISTRATION = 18

/** What an officer is told when someone else saved the record since they opened it. */
export const STALE_VERSION_MESSAGE = '档案已被他人修改，请刷新后再改'
export const ARCHIVED_READ_ONLY_MESSAGE = '该儿童已归档，档案只读，不能修改'

export const LIMITS = {
  name: 30,
  school: 50,
  grade: 20,
  address: 100,
  workplace: 50,
  notes: 500,
  archiveNote: 200,
  consentNote: 200,
  guardians: 5,
  pageSize: 100,
} as const

// ---------------------------------------------------------------------------------------------
// Field schemas (each with the Chinese message the officer sees next to the field)
// ---------------------------------------------------------------------------------------------

/** Names are compared for duplicates as stored: trimmed, inner runs of spaces collapsed. */
export function normaliseName(name: string): string {
  return name.trim().replace(/\s+/g, ' ')
}

function text(label: string, max: number) {
  return z
    .string({ error: `${label}应为文字` })
    .trim()
    .max(max, `${label}不超过${max}个字`)
}

const NameSchema = z
  .string({ error: '请输入姓名' })
  .transform(normaliseName)
  .pipe(z.string().min(1, '请输入姓名').max(LIMITS.name, `姓名不超过${LIMITS.name}个字`))

const SexSchema = z.enum(SEXES, { error: '请选择性别' })

/** 'YYYY-MM-DD', a real calendar date. Whether it is after today is checked with the clock (see childRecordIssues). */
const BirthDateSchema = z
  .string({ error: '请输入出生日期' })
  .regex(/^\d{4}-\d{2}-\d{2}$/, '出生日期格式应为YYYY-MM-DD')
  .refine(isCalendarDate, '出生日期无效')

/**
 * Optional ID number: null or an empty string mean "not recorded". A given number is checked for length,
 * region, date and check digit and normalised (upper-case X); the clock-dependent check runs in the handler.
 */
const OptionalIdNumberSchema = z
  .string({ error: '身份证号码应为文字' })
  .nullable()
  .transform((raw, ctx) => {
    if (raw === null || raw.trim() === '') return null
    const check = checkIdNumber(raw)
    if (!check.ok) {
      ctx.addIssue({ code: 'custom', message: ID_NUMBER_MESSAGES[check.error], input: raw })
      return z.NEVER
    }
    return check.value
  })

const ParentSchema = z.strictObject(
  {
    status: z.enum(PARENT_STATUSES, { error: '请选择父母情况' }),
    workplace: text('务工地点', LIMITS.workplace).default(''),
    homeFrequency: z
      .enum(HOME_VISIT_FREQUENCIES, { error: '请选择回家频次' })
      .nullable()
      .default(null),
  },
  { error: '请填写父母情况' },
)
export type Parent = z.output<typeof ParentSchema>

const ParentsSchema = z.strictObject(
  { father: ParentSchema, mother: ParentSchema },
  { error: '请填写父母情况' },
)
export type Parents = z.output<typeof ParentsSchema>

export const UNKNOWN_PARENT: Parent = { status: 'unknown', workplace: '', homeFrequency: null }

const GuardianInputSchema = z.strictObject(
  {
    /** The id of an existing guardian entry (kept so guardian users' links stay valid); absent for a new one. */
    id: z.string().min(1).max(64).optional(),
    name: z
      .string({ error: '请输入监护人姓名' })
      .transform(normaliseName)
      .pipe(
        z
          .string()
          .min(1, '请输入监护人姓名')
          .max(LIMITS.name, `监护人姓名不超过${LIMITS.name}个字`),
      ),
    relation: z.enum(GUARDIAN_RELATIONS, { error: '请选择与儿童的关系' }),
    phone: MobilePhoneSchema,
  },
  { error: '请填写监护人信息' },
)
export type GuardianInput = z.output<typeof GuardianInputSchema>

const GuardiansSchema = z
  .array(GuardianInputSchema, { error: '请填写监护人信息' })
  .max(LIMITS.guardians, `监护人最多${LIMITS.guardians}位`)

/** A list of codes, kept in the vocabulary's order without repeats, so two equal sets compare equal. */
function codeSet<const T extends readonly [string, ...string[]]>(values: T, message: string) {
  return z
    .array(z.enum(values, { error: message }), { error: message })
    .max(values.length, message)
    .transform((list) => values.filter((v) => list.includes(v)) as Array<T[number]>)
}

const CategoriesSchema = codeSet(CATEGORIES, '请选择有效的困境类别')
const NeedsSchema = codeSet(MEASURE_KINDS, '请选择有效的帮扶需求')
const AcademicSubtypeSchema = z
  .enum(ACADEMIC_SUBTYPES, { error: '请选择有效的学业困难类型' })
  .nullable()
const RiskLevelSchema = z.enum(RISK_LEVELS, { error: '请选择风险等级' })
const VillageIdSchema = z.string({ error: '请选择村' }).min(1, '请选择村').max(64)
const ChildIdSchema = z.string({ error: '缺少儿童档案编号' }).min(1, '缺少儿童档案编号').max(64)
const VersionSchema = z
  .number({ error: '缺少档案版本，请刷新后再改' })
  .int('缺少档案版本，请刷新后再改')
  .min(1, '缺少档案版本，请刷新后再改')

// ---------------------------------------------------------------------------------------------
// The record's rules (pure)
// ---------------------------------------------------------------------------------------------

/** The facts of a child an officer edits; `guardians` carry their ids once stored. */
export type ChildFields = {
  villageId: string
  name: string
  sex: Sex
  birthDate: string
  idNumber: string | null
  school: string
  grade: string
  address: string
  parents: Parents
  guardians: Array<{ id: string; name: string; relation: GuardianInput['relation']; phone: string }>
  categories: Category[]
  academicSubtype: AcademicSubtype | null
  riskLevel: (typeof RISK_LEVELS)[number]
  needs: MeasureKind[]
  notes: string
}

/** The fields in the order a history entry lists them. */
export const CHILD_FIELDS = [
  'villageId',
  'name',
  'sex',
  'birthDate',
  'idNumber',
  'school',
  'grade',
  'address',
  'parents',
  'guardians',
  'categories',
  'academicSubtype',
  'riskLevel',
  'needs',
  'notes',
] as const satisfies ReadonlyArray<keyof ChildFields>

/** What the record's rules look at; `sex`/`birthDate` may be missing when an ID number supplies them. */
export type ChildFacts = {
  idNumber: string | null
  sex?: Sex | undefined
  birthDate?: string | undefined
  categories: readonly Category[]
  academicSubtype: AcademicSubtype | null
  parents?: Parents | undefined
}

/**
 * Problems with a record as a whole, as field issues. Without `today` only the rules that need no clock
 * run (the form checks them as the officer types); with it, birth dates after today are refused and,
 * when `checkAge`, a birth date that makes the child 18 or older (a new or changed birth date only, so
 * an old record can still be edited after the child grows up).
 */
export function childRecordIssues(
  facts: ChildFacts,
  opts: { today?: Date; checkAge?: boolean } = {},
): FieldIssue[] {
  const issues: FieldIssue[] = []
  const id = facts.idNumber ? checkIdNumber(facts.idNumber, opts.today) : null
  if (id && !id.ok) issues.push({ path: 'idNumber', message: ID_NUMBER_MESSAGES[id.error] })
  const fromId = id?.ok ? id : null

  // With an ID number given (even a mistyped one) sex and birth date may come from it: only the number is flagged.
  if (facts.sex === undefined && !id) issues.push({ path: 'sex', message: '请选择性别' })
  if (fromId && facts.sex !== undefined && facts.sex !== fromId.sex) {
    issues.push({ path: 'sex', message: '性别与身份证号码不一致' })
  }
  if (facts.birthDate === undefined && !id) {
    issues.push({ path: 'birthDate', message: '请输入出生日期' })
  }
  if (fromId && facts.birthDate !== undefined && facts.birthDate !== fromId.birthDate) {
    issues.push({ path: 'birthDate', message: '出生日期与身份证号码不一致' })
  }
  const birthDate = facts.birthDate ?? fromId?.birthDate
  if (birthDate && opts.today && !issues.some((i) => i.path === 'birthDate')) {
    const today = chinaDate(opts.today)
    if (birthDate > today) issues.push({ path: 'birthDate', message: '出生日期不能晚于今天' })
    else if (opts.checkAge && ageOn(birthDate, opts.today) >= MAX_AGE_AT_REGISTRATION) {
      issues.push({
        path: 'birthDate',
        message: `已年满${MAX_AGE_AT_REGISTRATION}周岁，请核对出生日期`,
      })
    }
  }

  const academic = facts.categories.includes('academic')
  if (academic && facts.academicSubtype === null) {
    issues.push({ path: 'academicSubtype', message: '选择了学业困难，请选择学业困难类型' })
  }
  if (!academic && facts.academicSubtype !== null) {
    issues.push({ path: 'academicSubtype', message: '未选择学业困难时不填写学业困难类型' })
  }

  for (const who of ['father', 'mother'] as const) {
    const parent = facts.parents?.[who]
    if (parent && parent.homeFrequency !== null && parent.status !== 'working_away') {
      issues.push({ path: `parents.${who}.homeFrequency`, message: '外出务工时才填写回家频次' })
    }
  }
  return issues
}

/** Whole years of age on the China date of `today` (a child born 29 February turns a year older on 1 March). */
export function ageOn(birthDate: string, today: Date): number {
  const now = chinaDate(today)
  const years = Number(now.slice(0, 4)) - Number(birthDate.slice(0, 4))
  return now.slice(5) >= birthDate.slice(5) ? years : years - 1
}

/** Sex and birth date, given or read from the ID number (which wins only where nothing was given). */
export function identityOf(facts: ChildFacts): { sex: Sex; birthDate: string } | null {
  const id = facts.idNumber ? checkIdNumber(facts.idNumber) : null
  const sex = facts.sex ?? (id?.ok ? id.sex : undefined)
  const birthDate = facts.birthDate ?? (id?.ok ? id.birthDate : undefined)
  return sex && birthDate ? { sex, birthDate } : null
}

/** One changed field in a history entry: its name (dotted for parents) and the old and new value. */
export type FieldChange = { field: string; from: z.core.util.JSONType; to: z.core.util.JSONType }

/**
 * The changes from `before` (null: a new record) to `after`, field by field; each parent's facts are
 * compared one by one (`parents.father.workplace`). ID numbers appear masked: the full number is kept
 * only in the record itself.
 */
export function diffChild(before: ChildFields | null, after: ChildFields): FieldChange[] {
  const changes: FieldChange[] = []
  const push = (field: string, from: unknown, to: unknown) => {
    if (!sameJson(from, to)) changes.push({ field, from: toJson(from), to: toJson(to) })
  }
  for (const field of CHILD_FIELDS) {
    if (field === 'parents') {
      for (const who of ['father', 'mother'] as const) {
        for (const key of ['status', 'workplace', 'homeFrequency'] as const) {
          push(
            `parents.${who}.${key}`,
            before ? before.parents[who][key] : null,
            after.parents[who][key],
          )
        }
      }
    } else if (field === 'idNumber') {
      const mask = (v: string | null | undefined) => (v ? maskIdNumber(v) : null)
      if (!before || before.idNumber !== after.idNumber) {
        changes.push({ field, from: mask(before?.idNumber), to: mask(after.idNumber) })
      }
    } else {
      push(field, before ? before[field] : null, after[field])
    }
  }
  // A new record lists only what was filled in.
  return before ? changes : changes.filter((c) => !isEmpty(c.to))
}

/**
 * The record after an officer's edit: guardians keep the ids of entries they name (an unknown id is an
 * issue: the entry was removed meanwhile) and new entries get fresh ids; a new ID number supplies sex and
 * birth date unless the edit gives them.
 */
export function applyEdit(
  current: ChildFields,
  edit: Partial<Omit<ChildFields, 'guardians'>> & { guardians?: GuardianInput[] },
  newId: () => string,
): { fields: ChildFields; issues: FieldIssue[] } {
  const issues: FieldIssue[] = []
  const { guardians: guardianEdit, ...rest } = edit
  const fields: ChildFields = { ...current, ...stripUndefined(rest) }
  if (guardianEdit) {
    const known = new Set(current.guardians.map((g) => g.id))
    fields.guardians = guardianEdit.map((g, i) => {
      if (g.id !== undefined && !known.has(g.id)) {
        issues.push({ path: `guardians.${i}.id`, message: '该监护人记录已不存在，请刷新后再改' })
      }
      return { id: g.id ?? newId(), name: g.name, relation: g.relation, phone: g.phone }
    })
  }
  if (edit.idNumber && (edit.sex === undefined || edit.birthDate === undefined)) {
    const id = checkIdNumber(edit.idNumber)
    if (id.ok) {
      if (edit.sex === undefined) fields.sex = id.sex
      if (edit.birthDate === undefined) fields.birthDate = id.birthDate
    }
  }
  return { fields, issues }
}

/** The slice of a stored child the duplicate rule compares. */
export type DuplicateCandidate = {
  id: string
  name: string
  birthDate: string
  idNumber: string | null
}

export type Duplicate = { kind: 'id_number' | 'name_birth'; existing: DuplicateCandidate }

/**
 * Whether a record would duplicate one already in the township (any status). The same ID number is always
 * a duplicate. The same name and birth date is one too, unless the officer confirmed it is a different child
 * or both records carry different ID numbers (an ID number is unique to a person). The record itself
 * (`self`, when editing) is never its own duplicate.
 */
export function findDuplicate(
  record: { name: string; birthDate: string; idNumber: string | null },
  others: readonly DuplicateCandidate[],
  opts: { self?: string; confirmNotDuplicate?: boolean } = {},
): Duplicate | null {
  const candidates = others.filter((o) => o.id !== opts.self)
  const sameId = record.idNumber
    ? candidates.find((o) => o.idNumber === record.idNumber)
    : undefined
  if (sameId) return { kind: 'id_number', existing: sameId }
  if (opts.confirmNotDuplicate) return null
  const sameNameBirth = candidates.find(
    (o) =>
      normaliseName(o.name) === normaliseName(record.name) &&
      o.birthDate === record.birthDate &&
      !(o.idNumber && record.idNumber && o.idNumber !== record.idNumber),
  )
  return sameNameBirth ? { kind: 'name_birth', existing: sameNameBirth } : null
}

/** The Chinese message naming the existing record, with only masked facts (village, masked ID, status, id). */
export function duplicateMessage(
  dup: Duplicate,
  existing: { villageName: string; status: ChildStatus },
): string {
  const id = dup.existing.idNumber ? maskIdNumber(dup.existing.idNumber) : '未登记'
  const which = `${existing.villageName}，身份证号 ${id}，${CHILD_STATUS_LABELS[existing.status]}，档案编号 ${dup.existing.id}`
  return dup.kind === 'id_number'
    ? `本镇已有相同身份证号码的儿童档案（${which}），不能重复登记`
    : `本镇已有同名且出生日期相同的儿童档案（${which}）；如确认不是同一儿童，请勾选“确认不是同一儿童”后再提交`
}

/** Who may see a child, for the scope the access table grants (deny by default). */
export type ScopeActor = {
  id: string
  townshipId: string
  villageId: string | null
  guardianOf: ReadonlyArray<{ childId: string; guardianId: string }>
}
export type ScopedChild = {
  id: string
  townshipId: string
  villageId: string
  status: ChildStatus
  guardians: ReadonlyArray<{ id: string }>
}

/**
 * Whether the child is in the actor's scope. Officers see their village's / township's children in any
 * status; a helper only a child they are paired with now (`pairedHelperId`); a guardian only a child whose
 * guardian entry they are linked to, while that entry exists. Helpers and guardians never see archived
 * children. Any other scope sees nothing.
 */
export function childInScope(
  scope: Scope,
  actor: ScopeActor,
  child: ScopedChild,
  pairedHelperId: string | null = null,
): boolean {
  if (child.townshipId !== actor.townshipId) return false
  switch (scope) {
    case 'township':
      return true
    case 'village':
      return actor.villageId !== null && child.villageId === actor.villageId
    case 'paired':
      return child.status === 'active' && pairedHelperId === actor.id
    case 'guardian':
      return (
        child.status === 'active' &&
        actor.guardianOf.some(
          (l) => l.childId === child.id && child.guardians.some((g) => g.id === l.guardianId),
        )
      )
    default:
      return false
  }
}

/** The record's view a scope gets. */
export function viewForScope(scope: Scope): 'officer' | 'helper' | 'guardian' | null {
  switch (scope) {
    case 'township':
    case 'village':
      return 'officer'
    case 'paired':
      return 'helper'
    case 'guardian':
      return 'guardian'
    default:
      return null
  }
}

export type ConsentRecord = {
  decision: ConsentDecision
  guardianName: string
  relation: GuardianInput['relation']
  scopes: ConsentScope[]
  method: (typeof CONSENT_METHODS)[number]
  note: string
  at: Date
  by: string
}

/**
 * Consent as the records say, oldest first: a grant adds its scopes, a withdrawal removes its scopes.
 * `granted` while any scope stands; `withdrawn` once records exist but none stands; `none` without records.
 */
export function consentStatus(records: ReadonlyArray<Pick<ConsentRecord, 'decision' | 'scopes'>>): {
  state: ConsentState
  scopes: ConsentScope[]
} {
  const standing = new Set<ConsentScope>()
  for (const r of records) {
    for (const s of r.scopes) {
      if (r.decision === 'granted') standing.add(s)
      else standing.delete(s)
    }
  }
  const scopes = CONSENT_SCOPES.filter((s) => standing.has(s))
  const state: ConsentState =
    records.length === 0 ? 'none' : scopes.length ? 'granted' : 'withdrawn'
  return { state, scopes }
}

// ---------------------------------------------------------------------------------------------
// Inputs
// ---------------------------------------------------------------------------------------------

const childShape = {
  villageId: VillageIdSchema,
  name: NameSchema,
  sex: SexSchema,
  birthDate: BirthDateSchema,
  idNumber: OptionalIdNumberSchema,
  school: text('学校', LIMITS.school),
  grade: text('年级', LIMITS.grade),
  address: text('家庭住址', LIMITS.address),
  parents: ParentsSchema,
  guardians: GuardiansSchema,
  categories: CategoriesSchema,
  academicSubtype: AcademicSubtypeSchema,
  riskLevel: RiskLevelSchema,
  needs: NeedsSchema,
  notes: text('备注', LIMITS.notes),
}

const ConfirmNotDuplicateSchema = z.boolean({ error: '应为是或否' }).default(false)

function addIssues(ctx: z.core.$RefinementCtx, issues: FieldIssue[]) {
  for (const i of issues)
    ctx.addIssue({ code: 'custom', message: i.message, path: i.path.split('.') })
}

/**
 * Register a child. A village officer may leave out `villageId` (their own village); sex and birth date
 * may be left out when an ID number gives them.
 */
export const ChildCreateInput = z
  .strictObject({
    ...childShape,
    villageId: VillageIdSchema.optional(),
    sex: SexSchema.optional(),
    birthDate: BirthDateSchema.optional(),
    idNumber: OptionalIdNumberSchema.default(null),
    school: childShape.school.default(''),
    grade: childShape.grade.default(''),
    address: childShape.address.default(''),
    parents: ParentsSchema.default({ father: UNKNOWN_PARENT, mother: UNKNOWN_PARENT }),
    guardians: GuardiansSchema.default([]),
    categories: CategoriesSchema.default([]),
    academicSubtype: AcademicSubtypeSchema.default(null),
    needs: NeedsSchema.default([]),
    notes: childShape.notes.default(''),
    /** Resend with true to register a different child who shares a name and birth date with an existing one. */
    confirmNotDuplicate: ConfirmNotDuplicateSchema,
  })
  .superRefine((input, ctx) => addIssues(ctx, childRecordIssues(input)))
export type ChildCreateInput = z.output<typeof ChildCreateInput>

/** Change some facts of a child; `version` is the one the officer read (a stale one is a CONFLICT). */
export const ChildUpdateInput = z
  .strictObject({
    id: ChildIdSchema,
    version: VersionSchema,
    ...(Object.fromEntries(Object.entries(childShape).map(([k, s]) => [k, s.optional()])) as {
      [K in keyof typeof childShape]: z.ZodOptional<(typeof childShape)[K]>
    }),
    confirmNotDuplicate: ConfirmNotDuplicateSchema,
  })
  .refine((input) => CHILD_FIELDS.some((f) => input[f] !== undefined), {
    message: '没有要修改的内容',
    path: [],
  })
export type ChildUpdateInput = z.output<typeof ChildUpdateInput>

export const ChildGetInput = z.strictObject({ id: ChildIdSchema })

export const ChildListInput = z.strictObject({
  status: z.enum(CHILD_STATUSES, { error: '请选择有效的档案状态' }).default('active'),
  /** township officers (and helpers) only; a village officer's list is their village */
  villageId: VillageIdSchema.optional(),
  category: z.enum(CATEGORIES, { error: '请选择有效的困境类别' }).optional(),
  riskLevel: z.enum(RISK_LEVELS, { error: '请选择有效的风险等级' }).optional(),
  /** the start of the name (姓名开头), e.g. the surname */
  q: z
    .string({ error: '搜索内容应为文字' })
    .transform(normaliseName)
    .pipe(z.string().max(LIMITS.name, `搜索内容不超过${LIMITS.name}个字`))
    .optional(),
  limit: z
    .number({ error: '每页条数应为数字' })
    .int('每页条数应为整数')
    .min(1, '每页至少1条')
    .max(LIMITS.pageSize, `每页最多${LIMITS.pageSize}条`)
    .default(20),
  offset: z
    .number({ error: '起始位置应为数字' })
    .int('起始位置应为整数')
    .min(0, '起始位置不能为负')
    .default(0),
})
export type ChildListInput = z.output<typeof ChildListInput>

export const ChildArchiveInput = z
  .strictObject({
    id: ChildIdSchema,
    version: VersionSchema,
    reason: z.enum(ARCHIVE_REASONS, { error: '请选择归档原因' }),
    note: text('说明', LIMITS.archiveNote).default(''),
  })
  .superRefine((input, ctx) => {
    if (input.reason === 'other' && input.note === '') {
      ctx.addIssue({ code: 'custom', message: '选择“其他”时请说明归档原因', path: ['note'] })
    }
  })

export const ChildHistoryInput = z.strictObject({
  id: ChildIdSchema,
  limit: z
    .number({ error: '每页条数应为数字' })
    .int('每页条数应为整数')
    .min(1, '每页至少1条')
    .max(LIMITS.pageSize, `每页最多${LIMITS.pageSize}条`)
    .default(50),
  offset: z
    .number({ error: '起始位置应为数字' })
    .int('起始位置应为整数')
    .min(0, '起始位置不能为负')
    .default(0),
})

export const ChildConsentInput = z.strictObject({
  id: ChildIdSchema,
  version: VersionSchema,
  decision: z.enum(CONSENT_DECISIONS, { error: '请选择同意或撤回' }),
  guardianName: z
    .string({ error: '请输入监护人姓名' })
    .transform(normaliseName)
    .pipe(
      z.string().min(1, '请输入监护人姓名').max(LIMITS.name, `监护人姓名不超过${LIMITS.name}个字`),
    ),
  relation: z.enum(GUARDIAN_RELATIONS, { error: '请选择与儿童的关系' }),
  scopes: codeSet(CONSENT_SCOPES, '请选择有效的同意范围').refine(
    (s) => s.length > 0,
    '请至少选择一项同意范围',
  ),
  method: z.enum(CONSENT_METHODS, { error: '请选择确认方式' }),
  note: text('说明', LIMITS.consentNote).default(''),
})

// ---------------------------------------------------------------------------------------------
// Outputs: one view per role (exact fields; anything else fails the output check)
// ---------------------------------------------------------------------------------------------

const ParentView = z.strictObject({
  status: z.enum(PARENT_STATUSES),
  workplace: z.string(),
  homeFrequency: z.enum(HOME_VISIT_FREQUENCIES).nullable(),
})
const ParentsView = z.strictObject({ father: ParentView, mother: ParentView })
const GuardianView = z.strictObject({
  id: z.string(),
  name: z.string(),
  relation: z.enum(GUARDIAN_RELATIONS),
  /** in full: officers keep the archive, helpers call this number */
  phone: z.string(),
})
const ConsentRecordView = z.strictObject({
  decision: z.enum(CONSENT_DECISIONS),
  guardianName: z.string(),
  relation: z.enum(GUARDIAN_RELATIONS),
  scopes: z.array(z.enum(CONSENT_SCOPES)),
  method: z.enum(CONSENT_METHODS),
  note: z.string(),
  at: InstantSchema,
  by: z.string(),
})
const ConsentSummaryView = z.strictObject({
  state: z.enum(CONSENT_STATES),
  /** the scopes that stand now */
  scopes: z.array(z.enum(CONSENT_SCOPES)),
})

/** What an officer and a helper both see of a child: who they are and what the care needs (ID masked). */
const CHILD_CARE_FIELDS = {
  id: z.string(),
  villageId: z.string(),
  villageName: z.string(),
  name: z.string(),
  sex: z.enum(SEXES),
  birthDate: z.string(),
  age: z.number(),
  idNumberMasked: z.string().nullable(),
  school: z.string(),
  grade: z.string(),
  address: z.string(),
  parents: ParentsView,
  guardians: z.array(GuardianView),
  categories: z.array(z.enum(CATEGORIES)),
  academicSubtype: z.enum(ACADEMIC_SUBTYPES).nullable(),
  riskLevel: z.enum(RISK_LEVELS),
  needs: z.array(z.enum(MEASURE_KINDS)),
}

/** An officer in scope: the whole record, the ID number masked. */
export const ChildOfficerView = z.strictObject({
  view: z.literal('officer'),
  townshipId: z.string(),
  ...CHILD_CARE_FIELDS,
  notes: z.string(),
  status: z.enum(CHILD_STATUSES),
  archive: z
    .strictObject({
      reason: z.enum(ARCHIVE_REASONS),
      note: z.string(),
      at: InstantSchema,
      by: z.string(),
    })
    .nullable(),
  consent: ConsentSummaryView.extend({ records: z.array(ConsentRecordView) }),
  version: z.number(),
  createdAt: InstantSchema,
  updatedAt: InstantSchema,
  createdBy: z.string(),
})
export type ChildOfficerView = z.output<typeof ChildOfficerView>

/** A helper paired with the child now: what the help needs (address, parents, guardians to call); no notes, no full ID. */
export const ChildHelperView = z.strictObject({
  view: z.literal('helper'),
  ...CHILD_CARE_FIELDS,
  consent: ConsentSummaryView,
})
export type ChildHelperView = z.output<typeof ChildHelperView>

/** A guardian of the child: who it is, nothing sensitive (no ID, phones, categories, risk). */
export const ChildGuardianView = z.strictObject({
  view: z.literal('guardian'),
  id: z.string(),
  givenName: z.string(),
  villageName: z.string(),
  age: z.number(),
})
export type ChildGuardianView = z.output<typeof ChildGuardianView>

export const ChildView = z.discriminatedUnion('view', [
  ChildOfficerView,
  ChildHelperView,
  ChildGuardianView,
])
export type ChildView = z.output<typeof ChildView>

/** A row of an officer's list: no address, guardians or notes (a list is not an audited full read). */
export const ChildOfficerListItem = z.strictObject({
  view: z.literal('officer'),
  id: z.string(),
  villageId: z.string(),
  villageName: z.string(),
  name: z.string(),
  sex: z.enum(SEXES),
  birthDate: z.string(),
  age: z.number(),
  idNumberMasked: z.string().nullable(),
  school: z.string(),
  grade: z.string(),
  categories: z.array(z.enum(CATEGORIES)),
  academicSubtype: z.enum(ACADEMIC_SUBTYPES).nullable(),
  riskLevel: z.enum(RISK_LEVELS),
  needs: z.array(z.enum(MEASURE_KINDS)),
  status: z.enum(CHILD_STATUSES),
  consentState: z.enum(CONSENT_STATES),
  version: z.number(),
  updatedAt: InstantSchema,
})
export type ChildOfficerListItem = z.output<typeof ChildOfficerListItem>

export const ChildHelperListItem = z.strictObject({
  view: z.literal('helper'),
  id: z.string(),
  villageId: z.string(),
  villageName: z.string(),
  name: z.string(),
  sex: z.enum(SEXES),
  age: z.number(),
  categories: z.array(z.enum(CATEGORIES)),
  riskLevel: z.enum(RISK_LEVELS),
  needs: z.array(z.enum(MEASURE_KINDS)),
})
export type ChildHelperListItem = z.output<typeof ChildHelperListItem>

export const ChildListItem = z.discriminatedUnion('view', [
  ChildOfficerListItem,
  ChildHelperListItem,
  ChildGuardianView,
])
export type ChildListItem = z.output<typeof ChildListItem>

export const ChildListOutput = z.strictObject({
  items: z.array(ChildListItem),
  /** how many match the filters in the caller's scope */
  total: z.number(),
  /** the offset of the next page, or null on the last page */
  nextOffset: z.number().nullable(),
})

export const ChildHistoryEntry = z.strictObject({
  id: z.string(),
  at: InstantSchema,
  by: z.string(),
  /** the display name of the user who made the change ('' when the user no longer exists) */
  byName: z.string(),
  action: z.enum(HISTORY_ACTIONS),
  changes: z.array(z.strictObject({ field: z.string(), from: z.json(), to: z.json() })),
})
export type ChildHistoryEntry = z.output<typeof ChildHistoryEntry>

export const ChildHistoryOutput = z.strictObject({
  items: z.array(ChildHistoryEntry),
  total: z.number(),
  nextOffset: z.number().nullable(),
})

export const CHILDREN_ACTIONS = {
  'children.create': { input: ChildCreateInput, output: ChildOfficerView },
  'children.get': { input: ChildGetInput, output: ChildView },
  'children.list': { input: ChildListInput, output: ChildListOutput },
  'children.update': { input: ChildUpdateInput, output: ChildOfficerView },
  'children.archive': { input: ChildArchiveInput, output: ChildOfficerView },
  'children.history': { input: ChildHistoryInput, output: ChildHistoryOutput },
  'children.consent': { input: ChildConsentInput, output: ChildOfficerView },
} as const satisfies ActionSpecs

// ---------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------

function isCalendarDate(date: string): boolean {
  const [y, m, d] = date.split('-').map(Number)
  if (y === undefined || m === undefined || d === undefined || y < 1900) return false
  const t = new Date(Date.UTC(y, m - 1, d))
  return t.getUTCFullYear() === y && t.getUTCMonth() === m - 1 && t.getUTCDate() === d
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>
}

function toJson(v: unknown): z.core.util.JSONType {
  return v === undefined ? null : (JSON.parse(JSON.stringify(v)) as z.core.util.JSONType)
}

/** Equal as JSON values, whatever the order of object keys. */
function sameJson(a: unknown, b: unknown): boolean {
  return canonical(toJson(a)) === canonical(toJson(b))
}

function canonical(v: z.core.util.JSONType): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`
  if (v !== null && typeof v === 'object') {
    const keys = Object.keys(v).sort()
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonical(v[k] ?? null)}`).join(',')}}`
  }
  return JSON.stringify(v)
}

function isEmpty(v: z.core.util.JSONType): boolean {
  return v === null || v === '' || (Array.isArray(v) && v.length === 0)
}
