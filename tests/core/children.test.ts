// The children archive's pure rules: input checks with Chinese messages, record rules, history diffs, duplicates, scope, consent and per-role views.
//
// ID numbers here are constructed (valid check digits), not real people's numbers.
import { describe, expect, it } from 'vitest'
import {
  ageOn,
  applyEdit,
  ChildArchiveInput,
  ChildConsentInput,
  ChildCreateInput,
  ChildGuardianView,
  ChildHelperView,
  ChildListInput,
  ChildOfficerListItem,
  ChildOfficerView,
  ChildUpdateInput,
  childInScope,
  childRecordIssues,
  consentStatus,
  diffChild,
  duplicateMessage,
  findDuplicate,
  identityOf,
  viewForScope,
  type ChildFields,
  type DuplicateCandidate,
  type ScopeActor,
  type ScopedChild,
} from '../../src/core/children'
import type { Scope } from '../../src/core/access'
import type { FieldIssue } from '../../src/core/envelope'
import { idCheckChar } from '../../src/core/idcard'
import {
  guardianView,
  helperListItem,
  helperView,
  officerListItem,
  officerView,
  type ChildDoc,
} from '../../src/server/children-store'

const cn = (s: string) => new Date(`${s}+08:00`)
const TODAY = cn('2026-03-20T09:00')

/** A valid ID number for a birth date and sex (17th digit odd: male). */
function idFor(birthDate: string, sex: 'male' | 'female', region = '510107', seq = '32'): string {
  const first17 = `${region}${birthDate.replace(/-/g, '')}${seq}${sex === 'male' ? '1' : '2'}`
  return first17 + idCheckChar(first17)
}

const BOY_ID = idFor('2015-06-15', 'male') // 5101072015061532 1 + check

function issuesOf(result: {
  success: boolean
  error?: { issues: Array<{ path: PropertyKey[]; message: string }> }
}) {
  return (result.error?.issues ?? []).map((i) => ({
    path: i.path.map(String).join('.'),
    message: i.message,
  }))
}

const minimalCreate = { name: '张小明', sex: 'male', birthDate: '2015-06-15', riskLevel: 'medium' }

describe('ChildCreateInput — what an officer may send to register a child', () => {
  it('given name, sex, birth date and risk, when parsed, then the rest takes empty defaults', () => {
    expect(ChildCreateInput.parse(minimalCreate)).toEqual({
      name: '张小明',
      sex: 'male',
      birthDate: '2015-06-15',
      idNumber: null,
      school: '',
      grade: '',
      address: '',
      parents: {
        father: { status: 'unknown', workplace: '', homeFrequency: null },
        mother: { status: 'unknown', workplace: '', homeFrequency: null },
      },
      guardians: [],
      categories: [],
      academicSubtype: null,
      riskLevel: 'medium',
      needs: [],
      notes: '',
      confirmNotDuplicate: false,
    })
  })

  it('given an ID number only, when parsed, then sex and birth date may be left out (the number gives them)', () => {
    const input = ChildCreateInput.parse({
      name: '张小明',
      idNumber: BOY_ID.toLowerCase(),
      riskLevel: 'low',
    })
    expect(input.idNumber).toBe(BOY_ID)
    expect(identityOf(input)).toEqual({ sex: 'male', birthDate: '2015-06-15' })
  })

  it('given an empty ID number, then it counts as not recorded', () => {
    expect(ChildCreateInput.parse({ ...minimalCreate, idNumber: '' }).idNumber).toBeNull()
    expect(ChildCreateInput.parse({ ...minimalCreate, idNumber: '  ' }).idNumber).toBeNull()
  })

  it('given spaces around and inside the name, then it is stored trimmed with single spaces', () => {
    expect(ChildCreateInput.parse({ ...minimalCreate, name: '  迪丽  热巴 ' }).name).toBe(
      '迪丽 热巴',
    )
  })

  it('given categories and needs in any order with repeats, then they are kept once each in the programme order', () => {
    const input = ChildCreateInput.parse({
      ...minimalCreate,
      categories: ['disability', 'poverty', 'disability'],
      needs: ['legal_aid', 'hardship_relief'],
    })
    expect(input.categories).toEqual(['poverty', 'disability'])
    expect(input.needs).toEqual(['hardship_relief', 'legal_aid'])
  })

  it('given a guardian phone typed with spaces and +86, then it is stored as 11 digits', () => {
    const input = ChildCreateInput.parse({
      ...minimalCreate,
      guardians: [{ name: '张奶奶', relation: 'grandparent', phone: '+86 138 1234 5678' }],
    })
    expect(input.guardians).toEqual([
      { name: '张奶奶', relation: 'grandparent', phone: '13812345678' },
    ])
  })

  it.each<[string, Record<string, unknown>, FieldIssue]>([
    ['no name', { name: undefined }, { path: 'name', message: '请输入姓名' }],
    ['a blank name', { name: '   ' }, { path: 'name', message: '请输入姓名' }],
    [
      'a 31-character name',
      { name: '张'.repeat(31) },
      { path: 'name', message: '姓名不超过30个字' },
    ],
    ['an unknown sex', { sex: 'other' }, { path: 'sex', message: '请选择性别' }],
    ['no sex and no ID number', { sex: undefined }, { path: 'sex', message: '请选择性别' }],
    [
      'no birth date and no ID number',
      { birthDate: undefined },
      { path: 'birthDate', message: '请输入出生日期' },
    ],
    [
      'a birth date as 2015/06/15',
      { birthDate: '2015/06/15' },
      { path: 'birthDate', message: '出生日期格式应为YYYY-MM-DD' },
    ],
    ['31 April', { birthDate: '2015-04-31' }, { path: 'birthDate', message: '出生日期无效' }],
    [
      'an ID number with a wrong check digit',
      { idNumber: '510107201506153210' },
      { path: 'idNumber', message: '校验位不正确' },
    ],
    [
      'a 17-digit ID number',
      { idNumber: '51010720150615321' },
      { path: 'idNumber', message: '身份证号码应为18位' },
    ],
    [
      'a birth date other than the ID number’s',
      { idNumber: BOY_ID, birthDate: '2015-06-16' },
      { path: 'birthDate', message: '出生日期与身份证号码不一致' },
    ],
    [
      'a sex other than the ID number’s',
      { idNumber: BOY_ID, sex: 'female' },
      { path: 'sex', message: '性别与身份证号码不一致' },
    ],
    ['no risk level', { riskLevel: undefined }, { path: 'riskLevel', message: '请选择风险等级' }],
    [
      'an unknown risk level',
      { riskLevel: 'extreme' },
      { path: 'riskLevel', message: '请选择风险等级' },
    ],
    [
      'an unknown category',
      { categories: ['lonely'] },
      { path: 'categories.0', message: '请选择有效的困境类别' },
    ],
    [
      'academic difficulty without its type',
      { categories: ['academic'] },
      { path: 'academicSubtype', message: '选择了学业困难，请选择学业困难类型' },
    ],
    [
      'an academic type without academic difficulty',
      { academicSubtype: 'habits' },
      { path: 'academicSubtype', message: '未选择学业困难时不填写学业困难类型' },
    ],
    ['an unknown need', { needs: ['money'] }, { path: 'needs.0', message: '请选择有效的帮扶需求' }],
    [
      'a guardian phone of 10 digits',
      { guardians: [{ name: '张奶奶', relation: 'grandparent', phone: '1381234567' }] },
      { path: 'guardians.0.phone', message: '请输入正确的11位手机号码' },
    ],
    [
      'a guardian without a name',
      { guardians: [{ name: '', relation: 'grandparent', phone: '13812345678' }] },
      { path: 'guardians.0.name', message: '请输入监护人姓名' },
    ],
    [
      'a guardian relation not in the list',
      { guardians: [{ name: '张奶奶', relation: 'neighbour', phone: '13812345678' }] },
      { path: 'guardians.0.relation', message: '请选择与儿童的关系' },
    ],
    [
      'six guardians',
      {
        guardians: Array.from({ length: 6 }, () => ({
          name: '张奶奶',
          relation: 'grandparent',
          phone: '13812345678',
        })),
      },
      { path: 'guardians', message: '监护人最多5位' },
    ],
    [
      'a home frequency for a parent at home',
      {
        parents: {
          father: { status: 'at_home', homeFrequency: 'monthly' },
          mother: { status: 'working_away', homeFrequency: 'yearly' },
        },
      },
      { path: 'parents.father.homeFrequency', message: '外出务工时才填写回家频次' },
    ],
    [
      'an unknown parent status',
      { parents: { father: { status: 'gone' }, mother: { status: 'unknown' } } },
      { path: 'parents.father.status', message: '请选择父母情况' },
    ],
    [
      'an address of 101 characters',
      { address: '村'.repeat(101) },
      { path: 'address', message: '家庭住址不超过100个字' },
    ],
    [
      'notes of 501 characters',
      { notes: '记'.repeat(501) },
      { path: 'notes', message: '备注不超过500个字' },
    ],
  ])(
    'given %s, when parsed, then the field is named with a Chinese message',
    (_name, change, issue) => {
      const result = ChildCreateInput.safeParse({ ...minimalCreate, ...change })
      expect(result.success).toBe(false)
      expect(issuesOf(result)).toContainEqual(issue)
    },
  )

  it('given a field the contract does not know (e.g. status), then it is refused', () => {
    const result = ChildCreateInput.safeParse({ ...minimalCreate, status: 'archived' })
    expect(result.success).toBe(false)
  })
})

describe('ChildUpdateInput, ChildArchiveInput, ChildConsentInput, ChildListInput', () => {
  it('given only id and version, then it is refused: nothing to change', () => {
    expect(issuesOf(ChildUpdateInput.safeParse({ id: 'chd-1', version: 1 }))).toEqual([
      { path: '', message: '没有要修改的内容' },
    ])
  })

  it('given an edit without the version read, then it is refused asking to refresh', () => {
    expect(
      issuesOf(ChildUpdateInput.safeParse({ id: 'chd-1', school: '清水小学' })),
    ).toContainEqual({
      path: 'version',
      message: '缺少档案版本，请刷新后再改',
    })
  })

  it('given one changed field, then only it is present (the rest stays as stored)', () => {
    expect(ChildUpdateInput.parse({ id: 'chd-1', version: 3, school: ' 清水小学 ' })).toEqual({
      id: 'chd-1',
      version: 3,
      school: '清水小学',
      confirmNotDuplicate: false,
    })
  })

  it('given archive reason "other" without a note, then the note is asked for', () => {
    expect(issuesOf(ChildArchiveInput.safeParse({ id: 'c', version: 1, reason: 'other' }))).toEqual(
      [{ path: 'note', message: '选择“其他”时请说明归档原因' }],
    )
    expect(ChildArchiveInput.safeParse({ id: 'c', version: 1, reason: 'aged_out' }).success).toBe(
      true,
    )
    expect(
      issuesOf(ChildArchiveInput.safeParse({ id: 'c', version: 1, reason: 'deleted' })),
    ).toEqual([{ path: 'reason', message: '请选择归档原因' }])
  })

  it('given a consent without scopes, then at least one scope is asked for', () => {
    const base = {
      id: 'c',
      version: 1,
      decision: 'granted',
      guardianName: '周桂兰',
      relation: 'grandparent',
      method: 'paper_signed',
    }
    expect(issuesOf(ChildConsentInput.safeParse({ ...base, scopes: [] }))).toEqual([
      { path: 'scopes', message: '请至少选择一项同意范围' },
    ])
    expect(
      issuesOf(ChildConsentInput.safeParse({ ...base, scopes: ['archive'], method: 'email' })),
    ).toEqual([{ path: 'method', message: '请选择确认方式' }])
  })

  it('given a page of 101, then it is refused; no limit gives 20 active children from the start', () => {
    expect(issuesOf(ChildListInput.safeParse({ limit: 101 }))).toEqual([
      { path: 'limit', message: '每页最多100条' },
    ])
    expect(ChildListInput.parse({})).toEqual({ status: 'active', limit: 20, offset: 0 })
  })
})

describe('childRecordIssues with the clock', () => {
  const facts = { idNumber: null, sex: 'male' as const, categories: [], academicSubtype: null }

  it.each<[string, string, boolean, FieldIssue[]]>([
    ['born today', '2026-03-20', true, []],
    ['born tomorrow', '2026-03-21', true, [{ path: 'birthDate', message: '出生日期不能晚于今天' }]],
    ['17 years old', '2008-03-21', true, []],
    [
      'turned 18 today',
      '2008-03-20',
      true,
      [{ path: 'birthDate', message: '已年满18周岁，请核对出生日期' }],
    ],
    ['18, birth date not changed (an old record)', '2008-03-20', false, []],
  ])('given a child %s, then issues are %j', (_name, birthDate, checkAge, issues) => {
    expect(childRecordIssues({ ...facts, birthDate }, { today: TODAY, checkAge })).toEqual(issues)
  })

  it('given an ID number of a child born after today, then the ID number is refused', () => {
    const future = idFor('2026-03-21', 'female')
    expect(
      childRecordIssues({ ...facts, sex: undefined, idNumber: future }, { today: TODAY }),
    ).toEqual([{ path: 'idNumber', message: '出生日期不能晚于今天' }])
  })
})

describe('ageOn', () => {
  it.each<[string, string, number]>([
    ['2015-06-15', '2026-06-14T23:59', 10],
    ['2015-06-15', '2026-06-15T00:00', 11],
    ['2012-02-29', '2026-02-28T12:00', 13],
    ['2012-02-29', '2026-03-01T00:00', 14],
    ['2026-03-20', '2026-03-20T00:00', 0],
  ])('given born %s, at %s China time, then %i years old', (birthDate, at, age) => {
    expect(ageOn(birthDate, cn(at))).toBe(age)
  })
})

const FIELDS: ChildFields = {
  villageId: 'vil-1',
  name: '张小明',
  sex: 'male',
  birthDate: '2015-06-15',
  idNumber: BOY_ID,
  school: '清水小学',
  grade: '三年级',
  address: '清水村3组',
  parents: {
    father: { status: 'working_away', workplace: '广东东莞', homeFrequency: 'yearly' },
    mother: { status: 'working_away', workplace: '浙江宁波', homeFrequency: 'twice_yearly' },
  },
  guardians: [{ id: 'gdn-1', name: '周桂兰', relation: 'grandparent', phone: '13812345678' }],
  categories: ['poverty'],
  academicSubtype: null,
  riskLevel: 'medium',
  needs: ['hardship_relief'],
  notes: '',
}

describe('diffChild — what a history entry records', () => {
  it('given a new record, then every filled field is listed from null, the ID number masked', () => {
    const changes = diffChild(null, FIELDS)
    expect(changes.map((c) => c.field)).toEqual([
      'villageId',
      'name',
      'sex',
      'birthDate',
      'idNumber',
      'school',
      'grade',
      'address',
      'parents.father.status',
      'parents.father.workplace',
      'parents.father.homeFrequency',
      'parents.mother.status',
      'parents.mother.workplace',
      'parents.mother.homeFrequency',
      'guardians',
      'categories',
      'riskLevel',
      'needs',
    ])
    expect(changes.find((c) => c.field === 'idNumber')).toEqual({
      field: 'idNumber',
      from: null,
      to: '5101**********' + BOY_ID.slice(-4),
    })
    expect(JSON.stringify(changes)).not.toContain(BOY_ID)
  })

  it('given the school and the father’s workplace changed, then exactly those two are listed old → new', () => {
    const after: ChildFields = {
      ...FIELDS,
      school: '石桥中学',
      parents: { ...FIELDS.parents, father: { ...FIELDS.parents.father, workplace: '江苏苏州' } },
    }
    expect(diffChild(FIELDS, after)).toEqual([
      { field: 'school', from: '清水小学', to: '石桥中学' },
      { field: 'parents.father.workplace', from: '广东东莞', to: '江苏苏州' },
    ])
  })

  it('given a corrected ID number, then both old and new appear masked, never in full', () => {
    const other = idFor('2015-06-15', 'male', '510107', '45')
    const changes = diffChild(FIELDS, { ...FIELDS, idNumber: other })
    expect(changes).toEqual([
      {
        field: 'idNumber',
        from: `5101**********${BOY_ID.slice(-4)}`,
        to: `5101**********${other.slice(-4)}`,
      },
    ])
    expect(JSON.stringify(changes)).not.toContain(BOY_ID)
    expect(JSON.stringify(changes)).not.toContain(other)
  })

  it('given the same facts, then nothing is listed', () => {
    expect(diffChild(FIELDS, structuredClone(FIELDS))).toEqual([])
  })

  it('given a guardian’s new phone, then the guardians list is recorded old → new', () => {
    const after = { ...FIELDS, guardians: [{ ...FIELDS.guardians[0]!, phone: '13900001111' }] }
    expect(diffChild(FIELDS, after)).toEqual([
      { field: 'guardians', from: FIELDS.guardians, to: after.guardians },
    ])
  })
})

describe('applyEdit — an officer’s edit on the stored record', () => {
  let n = 0
  const ids = () => `gdn-new-${++n}`

  it('given the guardians list with one kept and one new, then the kept one keeps its id and the new one gets one', () => {
    n = 0
    const { fields, issues } = applyEdit(
      FIELDS,
      {
        guardians: [
          { id: 'gdn-1', name: '周桂兰', relation: 'grandparent', phone: '13812345678' },
          { name: '张建国', relation: 'parent', phone: '13912345678' },
        ],
      },
      ids,
    )
    expect(issues).toEqual([])
    expect(fields.guardians.map((g) => g.id)).toEqual(['gdn-1', 'gdn-new-1'])
  })

  it('given a guardian id the record does not have (removed meanwhile), then it is an issue', () => {
    const { issues } = applyEdit(
      FIELDS,
      { guardians: [{ id: 'gdn-gone', name: 'x', relation: 'other', phone: '13812345678' }] },
      ids,
    )
    expect(issues).toEqual([
      { path: 'guardians.0.id', message: '该监护人记录已不存在，请刷新后再改' },
    ])
  })

  it('given a new ID number alone, then sex and birth date follow the number', () => {
    const girl = idFor('2014-01-02', 'female')
    const { fields } = applyEdit(FIELDS, { idNumber: girl }, ids)
    expect(fields).toMatchObject({ idNumber: girl, sex: 'female', birthDate: '2014-01-02' })
  })

  it('given a removed ID number, then sex and birth date stay', () => {
    const { fields } = applyEdit(FIELDS, { idNumber: null }, ids)
    expect(fields).toMatchObject({ idNumber: null, sex: 'male', birthDate: '2015-06-15' })
  })
})

describe('findDuplicate — the township must not hold one child twice', () => {
  const existing: DuplicateCandidate[] = [
    { id: 'chd-a', name: '张小明', birthDate: '2015-06-15', idNumber: BOY_ID },
    { id: 'chd-b', name: '李华', birthDate: '2014-01-01', idNumber: null },
  ]
  const other = idFor('2015-06-15', 'male', '510107', '45')

  it.each<
    [
      string,
      { name: string; birthDate: string; idNumber: string | null },
      { self?: string; confirmNotDuplicate?: boolean },
      string | null,
    ]
  >([
    [
      'the same ID number, another name',
      { name: '张晓明', birthDate: '2015-06-15', idNumber: BOY_ID },
      {},
      'id_number:chd-a',
    ],
    [
      'the same ID number, even when confirmed different',
      { name: '张晓明', birthDate: '2015-06-15', idNumber: BOY_ID },
      { confirmNotDuplicate: true },
      'id_number:chd-a',
    ],
    [
      'the same name and birth date, no ID number',
      { name: '李华', birthDate: '2014-01-01', idNumber: null },
      {},
      'name_birth:chd-b',
    ],
    [
      'the same name and birth date, one ID number given',
      { name: '李华', birthDate: '2014-01-01', idNumber: other },
      {},
      'name_birth:chd-b',
    ],
    [
      'the same name and birth date, confirmed different',
      { name: '李华', birthDate: '2014-01-01', idNumber: null },
      { confirmNotDuplicate: true },
      null,
    ],
    [
      'the same name and birth date but different ID numbers (two people)',
      { name: '张小明', birthDate: '2015-06-15', idNumber: other },
      {},
      null,
    ],
    [
      'the same name, another birth date',
      { name: '李华', birthDate: '2014-01-02', idNumber: null },
      {},
      null,
    ],
    [
      'the record itself, when editing',
      { name: '张小明', birthDate: '2015-06-15', idNumber: BOY_ID },
      { self: 'chd-a' },
      null,
    ],
  ])('given %s, then %s', (_name, record, opts, expected) => {
    const dup = findDuplicate(record, existing, opts)
    expect(dup ? `${dup.kind}:${dup.existing.id}` : null).toBe(expected)
  })

  it('given a duplicate, then the message names the village, masked ID, status and record id — never the full ID', () => {
    const dup = findDuplicate({ name: 'x', birthDate: '2015-06-15', idNumber: BOY_ID }, existing)!
    const message = duplicateMessage(dup, { villageName: '石桥村', status: 'archived' })
    expect(message).toBe(
      `本镇已有相同身份证号码的儿童档案（石桥村，身份证号 5101**********${BOY_ID.slice(-4)}，已归档，档案编号 chd-a），不能重复登记`,
    )
    expect(message).not.toContain(BOY_ID)
  })
})

describe('childInScope — deny by default', () => {
  const child: ScopedChild = {
    id: 'chd-1',
    townshipId: 'twp-1',
    villageId: 'vil-1',
    status: 'active',
    guardians: [{ id: 'gdn-1' }],
  }
  const actor = (over: Partial<ScopeActor> = {}): ScopeActor => ({
    id: 'usr-x',
    townshipId: 'twp-1',
    villageId: 'vil-1',
    guardianOf: [],
    ...over,
  })

  it.each<[string, Scope, ScopeActor, ScopedChild, string | null, boolean]>([
    ['a township officer, own township', 'township', actor({ villageId: null }), child, null, true],
    [
      'a township officer, another township',
      'township',
      actor({ townshipId: 'twp-2' }),
      child,
      null,
      false,
    ],
    [
      'a township officer, archived child',
      'township',
      actor(),
      { ...child, status: 'archived' },
      null,
      true,
    ],
    ['a village officer, own village', 'village', actor(), child, null, true],
    [
      'a village officer, another village',
      'village',
      actor({ villageId: 'vil-2' }),
      child,
      null,
      false,
    ],
    [
      'a village officer without a village',
      'village',
      actor({ villageId: null }),
      child,
      null,
      false,
    ],
    ['a helper paired now', 'paired', actor(), child, 'usr-x', true],
    ['a helper, the child paired with someone else', 'paired', actor(), child, 'usr-y', false],
    ['a helper, the child unpaired', 'paired', actor(), child, null, false],
    [
      'a helper paired with an archived child',
      'paired',
      actor(),
      { ...child, status: 'archived' },
      'usr-x',
      false,
    ],
    [
      'a linked guardian',
      'guardian',
      actor({ guardianOf: [{ childId: 'chd-1', guardianId: 'gdn-1' }] }),
      child,
      null,
      true,
    ],
    [
      'a guardian linked to another child',
      'guardian',
      actor({ guardianOf: [{ childId: 'chd-2', guardianId: 'gdn-1' }] }),
      child,
      null,
      false,
    ],
    [
      'a guardian whose entry was removed from the record',
      'guardian',
      actor({ guardianOf: [{ childId: 'chd-1', guardianId: 'gdn-9' }] }),
      child,
      null,
      false,
    ],
    ['any other scope', 'author', actor(), child, null, false],
  ])('given %s, then in scope is %s', (_name, scope, who, c, paired, expected) => {
    expect(childInScope(scope, who, c, paired)).toBe(expected)
  })

  it('maps scopes to views: officers the whole record, helpers theirs, guardians theirs, others none', () => {
    expect([
      viewForScope('township'),
      viewForScope('village'),
      viewForScope('paired'),
      viewForScope('guardian'),
      viewForScope('self'),
    ]).toEqual(['officer', 'officer', 'helper', 'guardian', null])
  })
})

describe('consentStatus — PIPL art. 31 consent as the records say', () => {
  const rec = (
    decision: 'granted' | 'withdrawn',
    scopes: Array<'archive' | 'photos' | 'share_with_departments'>,
  ) => ({ decision, scopes })
  it.each([
    ['no records', [], { state: 'none', scopes: [] }],
    [
      'granted archive and photos',
      [rec('granted', ['photos', 'archive'])],
      { state: 'granted', scopes: ['archive', 'photos'] },
    ],
    [
      'then photos withdrawn',
      [rec('granted', ['archive', 'photos']), rec('withdrawn', ['photos'])],
      { state: 'granted', scopes: ['archive'] },
    ],
    [
      'then everything withdrawn',
      [rec('granted', ['archive', 'photos']), rec('withdrawn', ['archive', 'photos'])],
      { state: 'withdrawn', scopes: [] },
    ],
    [
      'withdrawn, then granted again',
      [rec('granted', ['archive']), rec('withdrawn', ['archive']), rec('granted', ['archive'])],
      { state: 'granted', scopes: ['archive'] },
    ],
  ] as const)('given %s, then %j', (_name, records, expected) => {
    expect(consentStatus(records)).toEqual(expected)
  })
})

describe('views — exactly what each role sees of a child', () => {
  const at = cn('2026-01-05T10:00')
  const doc: ChildDoc = {
    _id: 'chd-1',
    townshipId: 'twp-1',
    ...FIELDS,
    status: 'active',
    archive: null,
    consent: {
      state: 'granted',
      records: [
        {
          decision: 'granted',
          guardianName: '周桂兰',
          relation: 'grandparent',
          scopes: ['archive'],
          method: 'paper_signed',
          note: '',
          at,
          by: 'usr-o',
        },
      ],
    },
    version: 4,
    createdAt: at,
    updatedAt: at,
    createdBy: 'usr-o',
  }
  const ctx = { villageNames: new Map([['vil-1', '清水村']]), now: TODAY }
  const masked = `5101**********${BOY_ID.slice(-4)}`

  it('given an officer, then every field, the ID number masked and the guardian phone in full', () => {
    const view = officerView(doc, ctx)
    expect(Object.keys(view).sort()).toEqual(
      [
        'view',
        'id',
        'townshipId',
        'villageId',
        'villageName',
        'name',
        'sex',
        'birthDate',
        'age',
        'idNumberMasked',
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
        'status',
        'archive',
        'consent',
        'version',
        'createdAt',
        'updatedAt',
        'createdBy',
      ].sort(),
    )
    expect(view).toMatchObject({ idNumberMasked: masked, villageName: '清水村', age: 10 })
    expect(view.guardians[0]?.phone).toBe('13812345678')
    expect(view.consent).toMatchObject({ state: 'granted', scopes: ['archive'] })
    expect(JSON.stringify(view)).not.toContain(BOY_ID)
    expect(ChildOfficerView.safeParse(view).success).toBe(true)
  })

  it('given a paired helper, then the facts for helping and full guardian phones; no notes, no full ID, no audit fields', () => {
    const view = helperView(doc, ctx)
    expect(Object.keys(view).sort()).toEqual(
      [
        'view',
        'id',
        'villageId',
        'villageName',
        'name',
        'sex',
        'birthDate',
        'age',
        'idNumberMasked',
        'school',
        'grade',
        'address',
        'parents',
        'guardians',
        'categories',
        'academicSubtype',
        'riskLevel',
        'needs',
        'consent',
      ].sort(),
    )
    expect(view.guardians).toEqual([
      { id: 'gdn-1', name: '周桂兰', relation: 'grandparent', phone: '13812345678' },
    ])
    expect(view.consent).toEqual({ state: 'granted', scopes: ['archive'] })
    expect(JSON.stringify(view)).not.toContain(BOY_ID)
    expect(ChildHelperView.safeParse(view).success).toBe(true)
  })

  it('given a guardian, then only id, given name, village and age', () => {
    const view = guardianView(doc, ctx)
    expect(view).toEqual({
      view: 'guardian',
      id: 'chd-1',
      givenName: '小明',
      villageName: '清水村',
      age: 10,
    })
    expect(ChildGuardianView.safeParse(view).success).toBe(true)
  })

  it('given list rows, then no address, guardians or notes for officers and only the basics for helpers', () => {
    const officerRow = officerListItem(doc, ctx)
    expect(Object.keys(officerRow).sort()).toEqual(
      [
        'view',
        'id',
        'villageId',
        'villageName',
        'name',
        'sex',
        'birthDate',
        'age',
        'idNumberMasked',
        'school',
        'grade',
        'categories',
        'academicSubtype',
        'riskLevel',
        'needs',
        'status',
        'consentState',
        'version',
        'updatedAt',
      ].sort(),
    )
    expect(ChildOfficerListItem.safeParse(officerRow).success).toBe(true)
    expect(Object.keys(helperListItem(doc, ctx)).sort()).toEqual(
      [
        'view',
        'id',
        'villageId',
        'villageName',
        'name',
        'sex',
        'age',
        'categories',
        'riskLevel',
        'needs',
      ].sort(),
    )
  })

  it('given a view with a field too many, then the output contract refuses it (a leak fails closed)', () => {
    expect(
      ChildGuardianView.safeParse({ ...guardianView(doc, ctx), riskLevel: 'high' }).success,
    ).toBe(false)
    expect(ChildHelperView.safeParse({ ...helperView(doc, ctx), idNumber: BOY_ID }).success).toBe(
      false,
    )
  })
})
