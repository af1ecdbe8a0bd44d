// The register/edit form's draft: what the officer has typed, the four steps, and the action inputs built from it.
import {
  ChildConsentInput,
  ChildCreateInput,
  UNKNOWN_PARENT,
  type ChildOfficerView,
} from '../../core/children'
import type {
  AcademicSubtype,
  Category,
  ConsentMethod,
  ConsentScope,
  GuardianRelation,
  HomeVisitFrequency,
  MeasureKind,
  ParentStatus,
  RiskLevel,
} from '../../core/domain'
import type { ActionInput } from '../../core/actions'
import type { Sex } from '../../core/idcard'

export type ParentDraft = {
  status: ParentStatus
  workplace: string
  homeFrequency: HomeVisitFrequency | null
}
export type GuardianDraft = {
  id?: string
  name: string
  relation: GuardianRelation | null
  phone: string
}

export type Draft = {
  villageId: string
  name: string
  sex: Sex | null
  birthDate: string
  idNumber: string
  school: string
  grade: string
  address: string
  father: ParentDraft
  mother: ParentDraft
  guardians: GuardianDraft[]
  categories: Category[]
  academicSubtype: AcademicSubtype | null
  riskLevel: RiskLevel | null
  needs: MeasureKind[]
  notes: string
  consent: {
    record: boolean
    guardianName: string
    relation: GuardianRelation | null
    scopes: ConsentScope[]
    method: ConsentMethod | null
    note: string
  }
}

export const STEPS = [
  { key: 'basic', title: '基本信息' },
  { key: 'family', title: '家庭和监护人' },
  { key: 'needs', title: '类别和需求' },
  { key: 'consent', title: '监护人同意' },
] as const
export type StepKey = (typeof STEPS)[number]['key']

/** Which step shows the field a path (from zod or the server) names. */
export function stepOfPath(path: string): StepKey {
  const head = path.split('.')[0] ?? ''
  if (['parents', 'guardians'].includes(head)) return 'family'
  if (['categories', 'academicSubtype', 'riskLevel', 'needs', 'notes'].includes(head))
    return 'needs'
  if (
    ['decision', 'guardianName', 'relation', 'scopes', 'method', 'note', 'consent'].includes(head)
  )
    return 'consent'
  return 'basic'
}

export function emptyDraft(villageId: string): Draft {
  return {
    villageId,
    name: '',
    sex: null,
    birthDate: '',
    idNumber: '',
    school: '',
    grade: '',
    address: '',
    father: { ...UNKNOWN_PARENT },
    mother: { ...UNKNOWN_PARENT },
    guardians: [{ name: '', relation: null, phone: '' }],
    categories: [],
    academicSubtype: null,
    riskLevel: null,
    needs: [],
    notes: '',
    consent: {
      record: true,
      guardianName: '',
      relation: null,
      scopes: ['archive'],
      method: null,
      note: '',
    },
  }
}

export function draftOf(child: ChildOfficerView): Draft {
  return {
    villageId: child.villageId,
    name: child.name,
    sex: child.sex,
    birthDate: child.birthDate,
    // The stored number is never sent to the phone: empty means "unchanged".
    idNumber: '',
    school: child.school,
    grade: child.grade,
    address: child.address,
    father: { ...child.parents.father },
    mother: { ...child.parents.mother },
    guardians: child.guardians.map((g) => ({ ...g })),
    categories: [...child.categories],
    academicSubtype: child.academicSubtype,
    riskLevel: child.riskLevel,
    needs: [...child.needs],
    notes: child.notes,
    consent: {
      record: false,
      guardianName: '',
      relation: null,
      scopes: ['archive'],
      method: null,
      note: '',
    },
  }
}

/** The facts as `children.create` takes them (an empty sex or birth date is left to the ID number). */
export function createInput(
  d: Draft,
  confirmNotDuplicate: boolean,
): ActionInput<'children.create'> {
  const parent = (p: ParentDraft) => ({
    status: p.status,
    workplace: p.status === 'working_away' ? p.workplace : '',
    homeFrequency: p.status === 'working_away' ? p.homeFrequency : null,
  })
  return {
    villageId: d.villageId,
    name: d.name,
    ...(d.sex ? { sex: d.sex } : {}),
    ...(d.birthDate.trim() ? { birthDate: d.birthDate.trim() } : {}),
    idNumber: d.idNumber.trim() || null,
    school: d.school,
    grade: d.grade,
    address: d.address,
    parents: { father: parent(d.father), mother: parent(d.mother) },
    guardians: d.guardians
      .filter((g) => g.name.trim() || g.phone.trim() || g.relation)
      .map((g) => ({
        ...(g.id ? { id: g.id } : {}),
        name: g.name,
        // An unchosen relation fails the contract with its own message ('请选择与儿童的关系').
        relation: g.relation as GuardianRelation,
        phone: g.phone.trim(),
      })),
    categories: d.categories,
    academicSubtype: d.categories.includes('academic') ? d.academicSubtype : null,
    riskLevel: d.riskLevel as RiskLevel,
    needs: d.needs,
    notes: d.notes,
    ...(confirmNotDuplicate ? { confirmNotDuplicate: true } : {}),
  }
}

/** An edit: every field of the form (the server keeps unchanged ones as they are), the ID number only when retyped. */
export function updateInput(
  d: Draft,
  id: string,
  version: number,
  confirmNotDuplicate: boolean,
): ActionInput<'children.update'> {
  const { idNumber, sex, birthDate, ...rest } = createInput(d, confirmNotDuplicate)
  return {
    ...rest,
    id,
    version,
    ...(idNumber ? { idNumber } : {}),
    ...(sex ? { sex } : {}),
    ...(birthDate ? { birthDate } : {}),
  }
}

/** Until the officer names someone else, the first guardian on the record is the one who consents. */
export function consentInput(
  d: Draft,
  id: string,
  version: number,
): ActionInput<'children.consent'> {
  const first = d.guardians.find((g) => g.name.trim())
  return {
    id,
    version,
    decision: 'granted',
    guardianName: d.consent.guardianName || first?.name || '',
    relation: (d.consent.relation ?? first?.relation) as GuardianRelation,
    scopes: d.consent.scopes,
    method: d.consent.method as ConsentMethod,
    note: d.consent.note,
  }
}

/** Field messages of one step, checked by the same contract the server applies (no clock-dependent rules). */
export function stepIssues(d: Draft, step: StepKey, editing: boolean): Record<string, string> {
  const out: Record<string, string> = {}
  if (step === 'consent') {
    if (!d.consent.record) return out
    const r = ChildConsentInput.safeParse(consentInput(d, 'x', 1))
    if (!r.success) for (const i of r.error.issues) out[i.path.join('.')] ??= i.message
    return out
  }
  const input = createInput(d, false)
  const r = ChildCreateInput.safeParse(
    editing && !input.idNumber ? { ...input, idNumber: null } : input,
  )
  if (!r.success) {
    for (const i of r.error.issues) {
      const path = i.path.join('.')
      if (stepOfPath(path) === step) out[path] ??= i.message
    }
  }
  return out
}
