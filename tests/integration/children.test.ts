// The children archive through the emulator: register, read, list, edit, archive, history and consent, for every role.
//
// One emulator for the file; each test registers children with names of its own, so tests do not see
// each other's records. ID numbers are constructed (valid check digits), not real people's numbers.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { ActionName, ActionOutput } from '../../src/core/actions'
import { STALE_VERSION_MESSAGE, type ChildOfficerView } from '../../src/core/children'
import type { FieldIssue } from '../../src/core/envelope'
import { idCheckChar } from '../../src/core/idcard'
import { startStack, type Stack } from '../support/stack'

let stack: Stack

/** The emulator's clock for the whole file (China time 2026-03-20 09:00), so ages and "today" are fixed. */
const NOW = '2026-03-20T01:00:00.000Z'

const TOWNSHIP = 'demo-township'
const VILLAGE_1 = 'demo-village-1'
const VILLAGE_2 = 'demo-village-2'
const HELPER_1 = 'demo-helper-1'
const HELPER_2 = 'demo-helper-2'
const GUARDIAN_UNLINKED = 'demo-guardian-1'

beforeAll(async () => {
  stack = await startStack({ seed: true })
  await post('/__emulator/clock', { now: NOW })
})

afterAll(async () => {
  await stack.close()
})

// ---------------------------------------------------------------------------------------------
// helpers
// ---------------------------------------------------------------------------------------------

type Failure = { ok: false; code: string; message: string; issues?: FieldIssue[] }
type Answer<T> = { ok: true; data: T } | Failure
type Doc = Record<string, unknown>

async function post(path: string, body: unknown): Promise<void> {
  const res = await fetch(stack.url + path, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  })
  if (!res.ok) throw new Error(`${path}: ${res.status} ${await res.text()}`)
}

async function call<A extends ActionName>(
  openid: string,
  action: A,
  data: unknown,
): Promise<Answer<ActionOutput<A>>> {
  return (await stack.api(openid, { action, data })) as Answer<ActionOutput<A>>
}

async function ok<A extends ActionName>(
  openid: string,
  action: A,
  data: unknown,
): Promise<ActionOutput<A>> {
  const res = await call(openid, action, data)
  if (!res.ok)
    throw new Error(
      `${action} failed: ${res.code} ${res.message} ${JSON.stringify(res.issues ?? [])}`,
    )
  return res.data
}

async function fails(openid: string, action: ActionName, data: unknown): Promise<Failure> {
  const res = await call(openid, action, data)
  if (res.ok) throw new Error(`${action} unexpectedly succeeded: ${JSON.stringify(res.data)}`)
  return res
}

/** An instant the server stamped: the emulator clock runs on from NOW, so within a few minutes after it. */
function expectNow(at: unknown): void {
  const t = Date.parse(String(at))
  expect(t).toBeGreaterThanOrEqual(Date.parse(NOW))
  expect(t).toBeLessThan(Date.parse(NOW) + 5 * 60_000)
}

const auditOf = (childId: string) => stack.docs('audit_log', { 'target.id': childId })
const historyOf = (childId: string) => stack.docs('child_history', { childId })

let serial = 10
/** A valid ID number for a birth date and sex; each call gives a new one. */
function idFor(birthDate: string, sex: 'male' | 'female'): string {
  serial += 1
  const first17 = `510107${birthDate.replace(/-/g, '')}${String(serial % 100).padStart(2, '0')}${sex === 'male' ? 1 : 2}`
  return first17 + idCheckChar(first17)
}

let phoneSerial = 1000
function phone(): string {
  phoneSerial += 1
  return `1380000${phoneSerial}`
}

function child(name: string, over: Doc = {}): Doc {
  return {
    name,
    sex: 'male',
    birthDate: '2015-06-15',
    riskLevel: 'medium',
    school: '清水小学',
    grade: '四年级',
    address: '清水村3组12号',
    parents: {
      father: { status: 'working_away', workplace: '广东东莞', homeFrequency: 'yearly' },
      mother: { status: 'working_away', workplace: '浙江宁波', homeFrequency: 'twice_yearly' },
    },
    guardians: [{ name: '周桂兰', relation: 'grandparent', phone: phone() }],
    categories: ['poverty'],
    needs: ['hardship_relief'],
    ...over,
  }
}

async function register(openid: string, name: string, over: Doc = {}): Promise<ChildOfficerView> {
  return ok(openid, 'children.create', child(name, over))
}

/** Pairs a demo helper with a child, as the pairings feature will (seeded directly until it exists). */
async function pair(
  childId: string,
  helperOpenid: string,
  villageId = 'vil-demo-1',
): Promise<void> {
  const start = { $date: '2026-03-01T00:00:00.000Z' }
  await post('/__emulator/seed', {
    collections: {
      pairings: [
        {
          _id: `pair-${childId}`,
          childId,
          helperId: `usr-${helperOpenid}`,
          townshipId: 'twp-demo',
          villageId,
          start,
          end: null,
          active: true,
          activeKey: childId,
          endReason: null,
          createdBy: 'usr-demo-village-1',
          createdAt: start,
        },
      ],
    },
  })
}

let guardianSerial = 0
/** A new guardian user linked to a guardian entry of a child's record; returns the openid. */
async function linkGuardian(childId: string, guardianId: string): Promise<string> {
  guardianSerial += 1
  const openid = `test-guardian-${guardianSerial}`
  await post('/__emulator/seed', {
    collections: {
      users: [
        {
          _id: `usr-${openid}`,
          openid,
          role: 'guardian',
          displayName: '监护人',
          townshipId: 'twp-demo',
          villageId: 'vil-demo-1',
          phone: null,
          helperOrgType: null,
          guardianOf: [{ childId, guardianId }],
        },
      ],
    },
  })
  return openid
}

// ---------------------------------------------------------------------------------------------
// children.create
// ---------------------------------------------------------------------------------------------

describe('children.create', () => {
  it('given a village officer with an ID number, when registering, then the child is in their village, sex and birth date read from the number, the number masked', async () => {
    const id = idFor('2016-09-01', 'female')
    const guardianPhone = phone()
    const out = await ok(VILLAGE_1, 'children.create', {
      name: '王小花',
      idNumber: id,
      riskLevel: 'high',
      categories: ['academic', 'guardianship_gap'],
      academicSubtype: 'motivation',
      guardians: [{ name: '王爷爷', relation: 'grandparent', phone: guardianPhone }],
    })
    expect(out).toMatchObject({
      view: 'officer',
      villageId: 'vil-demo-1',
      villageName: '清水村',
      name: '王小花',
      sex: 'female',
      birthDate: '2016-09-01',
      age: 9,
      idNumberMasked: `5101**********${id.slice(-4)}`,
      categories: ['guardianship_gap', 'academic'],
      academicSubtype: 'motivation',
      status: 'active',
      archive: null,
      consent: { state: 'none', scopes: [], records: [] },
      version: 1,
      createdBy: 'usr-demo-village-1',
    })
    expect(out.guardians).toEqual([
      {
        id: expect.stringMatching(/^gdn-/),
        name: '王爷爷',
        relation: 'grandparent',
        phone: guardianPhone,
      },
    ])
    expect(JSON.stringify(out)).not.toContain(id)

    // the full number is kept on the server only
    const [doc] = await stack.docs('children', { _id: out.id })
    expect(doc?.idNumber).toBe(id)
  })

  it('given a new record, then its history holds one "create" entry by the officer, the ID number masked', async () => {
    const id = idFor('2014-02-03', 'male')
    const out = await register(VILLAGE_1, '刘建', {
      idNumber: id,
      sex: undefined,
      birthDate: undefined,
    })
    const entries = await historyOf(out.id)
    expect(entries).toHaveLength(1)
    expect(entries[0]).toMatchObject({ action: 'create', by: 'usr-demo-village-1' })
    expect(entries[0]?.changes).toContainEqual({
      field: 'idNumber',
      from: null,
      to: `5101**********${id.slice(-4)}`,
    })
    expect(JSON.stringify(entries)).not.toContain(id)
  })

  it('given a registration, then the audit entry names the child id and field names only, no name, ID or phone', async () => {
    const id = idFor('2013-05-06', 'male')
    const guardianPhone = phone()
    const out = await register(VILLAGE_1, '赵审计', {
      idNumber: id,
      guardians: [{ name: '赵奶奶', relation: 'grandparent', phone: guardianPhone }],
      sex: undefined,
      birthDate: undefined,
    })
    const audit = await auditOf(out.id)
    expect(audit).toHaveLength(1)
    expect(audit[0]).toMatchObject({
      action: 'children.create',
      actorId: 'usr-demo-village-1',
      target: { type: 'child', id: out.id },
      detail: {
        villageId: 'vil-demo-1',
        fields: expect.arrayContaining(['name', 'idNumber', 'guardians']),
      },
    })
    const text = JSON.stringify(audit)
    for (const secret of ['赵审计', '赵奶奶', id, guardianPhone]) expect(text).not.toContain(secret)
  })

  it('given a township officer, when registering into another village of the township, then the child is there', async () => {
    const out = await register(TOWNSHIP, '石头', { villageId: 'vil-demo-2' })
    expect(out).toMatchObject({
      villageId: 'vil-demo-2',
      villageName: '石桥村',
      createdBy: 'usr-demo-township',
    })
  })

  it('given a township officer without a village, then VALIDATION asks for one', async () => {
    const res = await fails(TOWNSHIP, 'children.create', child('无村'))
    expect(res).toMatchObject({
      code: 'VALIDATION',
      issues: [{ path: 'villageId', message: '请选择村' }],
    })
  })

  it('given a village that is not in the township, then VALIDATION says it does not exist', async () => {
    const res = await fails(
      TOWNSHIP,
      'children.create',
      child('外村', { villageId: 'vil-elsewhere' }),
    )
    expect(res).toMatchObject({
      code: 'VALIDATION',
      issues: [{ path: 'villageId', message: '所选村不存在' }],
    })
  })

  it('given a village officer registering into another village, then FORBIDDEN and nothing is stored', async () => {
    const res = await fails(
      VILLAGE_1,
      'children.create',
      child('越界', { villageId: 'vil-demo-2' }),
    )
    expect(res.code).toBe('FORBIDDEN')
    expect(await stack.docs('children', { name: '越界' })).toEqual([])
  })

  it.each([HELPER_1, GUARDIAN_UNLINKED])(
    'given %s (not an officer), then FORBIDDEN',
    async (openid) => {
      expect((await fails(openid, 'children.create', child('无权'))).code).toBe('FORBIDDEN')
    },
  )

  it.each<[string, Doc, FieldIssue]>([
    [
      'a wrong ID check digit',
      { idNumber: '510107201506153210' },
      { path: 'idNumber', message: '校验位不正确' },
    ],
    [
      'an ID number born after today',
      { idNumber: '__future__', sex: undefined, birthDate: undefined },
      { path: 'idNumber', message: '出生日期不能晚于今天' },
    ],
    [
      'a birth date after today',
      { birthDate: '2026-03-21' },
      { path: 'birthDate', message: '出生日期不能晚于今天' },
    ],
    [
      'a birth date making the child 18',
      { birthDate: '2008-03-20' },
      { path: 'birthDate', message: '已年满18周岁，请核对出生日期' },
    ],
    [
      'a birth date other than the ID number’s',
      { idNumber: '__boy2015__', birthDate: '2015-06-16' },
      { path: 'birthDate', message: '出生日期与身份证号码不一致' },
    ],
    [
      'a sex other than the ID number’s',
      { idNumber: '__boy2015__', sex: 'female' },
      { path: 'sex', message: '性别与身份证号码不一致' },
    ],
    ['no sex and no ID number', { sex: undefined }, { path: 'sex', message: '请选择性别' }],
    [
      'a guardian phone of 10 digits',
      { guardians: [{ name: '周桂兰', relation: 'grandparent', phone: '1380000100' }] },
      { path: 'guardians.0.phone', message: '请输入正确的11位手机号码' },
    ],
    [
      'a guardian id on a new record',
      {
        guardians: [{ id: 'gdn-x', name: '周桂兰', relation: 'grandparent', phone: '13800001000' }],
      },
      { path: 'guardians.0.id', message: '新登记的监护人不能带编号' },
    ],
    [
      'academic difficulty without its type',
      { categories: ['academic'] },
      { path: 'academicSubtype', message: '选择了学业困难，请选择学业困难类型' },
    ],
    ['no risk level', { riskLevel: undefined }, { path: 'riskLevel', message: '请选择风险等级' }],
  ])(
    'given %s, then VALIDATION names the field in Chinese and nothing is stored',
    async (_name, over, issue) => {
      const patched = { ...over }
      if (patched.idNumber === '__future__') patched.idNumber = idFor('2026-03-21', 'male')
      if (patched.idNumber === '__boy2015__') patched.idNumber = idFor('2015-06-15', 'male')
      const name = `校验${serial}`
      const res = await fails(VILLAGE_1, 'children.create', child(name, patched))
      expect(res.code).toBe('VALIDATION')
      expect(res.message).toMatch(/[\u4e00-\u9fa5]/)
      expect(res.issues).toContainEqual(issue)
      expect(await stack.docs('children', { name })).toEqual([])
    },
  )
})

describe('children.create — duplicates', () => {
  it('given the same ID number registered in another village, then CONFLICT names that record (village, masked ID, id), even when "not a duplicate" is confirmed', async () => {
    const id = idFor('2012-12-12', 'male')
    const first = await register(VILLAGE_2, '陈重', { idNumber: id, birthDate: '2012-12-12' })
    for (const confirmNotDuplicate of [false, true]) {
      const res = await fails(
        VILLAGE_1,
        'children.create',
        child('陈崇', { idNumber: id, birthDate: '2012-12-12', confirmNotDuplicate }),
      )
      expect(res.code).toBe('CONFLICT')
      expect(res.message).toContain('石桥村')
      expect(res.message).toContain(`5101**********${id.slice(-4)}`)
      expect(res.message).toContain(first.id)
      expect(res.message).not.toContain(id)
      expect(res.issues?.[0]?.path).toBe('idNumber')
    }
    expect(await stack.docs('children', { name: '陈崇' })).toEqual([])
  })

  it('given the same name and birth date, then CONFLICT; when the officer confirms it is another child, then it is registered', async () => {
    const first = await register(VILLAGE_1, '孙同名', { birthDate: '2013-03-03' })
    const res = await fails(
      VILLAGE_1,
      'children.create',
      child('孙同名', { birthDate: '2013-03-03' }),
    )
    expect(res.code).toBe('CONFLICT')
    expect(res.message).toContain(first.id)
    expect(res.message).toContain('确认不是同一儿童')
    expect(res.issues?.[0]?.path).toBe('name')

    const second = await register(VILLAGE_1, '孙同名', {
      birthDate: '2013-03-03',
      confirmNotDuplicate: true,
    })
    expect(second.id).not.toBe(first.id)
  })

  it('given an archived child with the ID number, then a new registration is still a CONFLICT saying it is archived', async () => {
    const id = idFor('2011-01-11', 'female')
    const first = await register(VILLAGE_1, '归档重', {
      idNumber: id,
      sex: 'female',
      birthDate: '2011-01-11',
    })
    await ok(VILLAGE_1, 'children.archive', { id: first.id, version: 1, reason: 'moved' })
    const res = await fails(
      VILLAGE_1,
      'children.create',
      child('归档重', { idNumber: id, sex: 'female', birthDate: '2011-01-11' }),
    )
    expect(res.code).toBe('CONFLICT')
    expect(res.message).toContain('已归档')
  })
})

// ---------------------------------------------------------------------------------------------
// children.get — views by role
// ---------------------------------------------------------------------------------------------

describe('children.get', () => {
  const OFFICER_KEYS = [
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
  ].sort()
  const HELPER_KEYS = [
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
  ].sort()

  let reg: ChildOfficerView
  let idNumber: string
  beforeAll(async () => {
    idNumber = idFor('2015-06-15', 'male')
    reg = await register(VILLAGE_1, '周小宝', { idNumber, notes: '奶奶身体不好' })
  })

  it.each([VILLAGE_1, TOWNSHIP])(
    'given %s, then the whole record with the ID masked and the guardian phone in full',
    async (openid) => {
      const view = await ok(openid, 'children.get', { id: reg.id })
      expect(Object.keys(view).sort()).toEqual(OFFICER_KEYS)
      expect(view).toMatchObject({
        view: 'officer',
        notes: '奶奶身体不好',
        idNumberMasked: `5101**********${idNumber.slice(-4)}`,
      })
      expect(JSON.stringify(view)).not.toContain(idNumber)
      expect(JSON.stringify(view)).toContain(reg.guardians[0]!.phone)
    },
  )

  it('given the other village’s officer, or an id that does not exist, then the same NOT_FOUND (existence not revealed)', async () => {
    const other = await fails(VILLAGE_2, 'children.get', { id: reg.id })
    const missing = await fails(VILLAGE_1, 'children.get', { id: 'chd-missing' })
    expect(other).toEqual(missing)
    expect(other.code).toBe('NOT_FOUND')
  })

  it('given a helper not paired with the child, then NOT_FOUND; once paired, the helper view with the guardian phone to call', async () => {
    const fresh = await register(VILLAGE_1, '周结对', {
      idNumber: idFor('2015-07-07', 'male'),
      birthDate: '2015-07-07',
    })
    expect((await fails(HELPER_1, 'children.get', { id: fresh.id })).code).toBe('NOT_FOUND')
    await pair(fresh.id, HELPER_1)
    const view = await ok(HELPER_1, 'children.get', { id: fresh.id })
    expect(Object.keys(view).sort()).toEqual(HELPER_KEYS)
    expect(view).toMatchObject({
      view: 'helper',
      guardians: fresh.guardians,
      idNumberMasked: fresh.idNumberMasked,
    })
    // another helper of the same village is not paired with this child
    expect((await fails(HELPER_2, 'children.get', { id: fresh.id })).code).toBe('NOT_FOUND')
  })

  it('given a guardian linked to the child, then only id, given name, village and age; an unlinked guardian gets NOT_FOUND', async () => {
    const openid = await linkGuardian(reg.id, reg.guardians[0]!.id)
    expect(await ok(openid, 'children.get', { id: reg.id })).toEqual({
      view: 'guardian',
      id: reg.id,
      givenName: '小宝',
      villageName: '清水村',
      age: 10,
    })
    expect((await fails(GUARDIAN_UNLINKED, 'children.get', { id: reg.id })).code).toBe('NOT_FOUND')
  })

  it('given three reads, then three audit entries of the read, each with the view and no personal data', async () => {
    const before = (await auditOf(reg.id)).filter((a) => a.action === 'children.get').length
    await ok(VILLAGE_1, 'children.get', { id: reg.id })
    await ok(TOWNSHIP, 'children.get', { id: reg.id })
    await ok(TOWNSHIP, 'children.get', { id: reg.id })
    const reads = (await auditOf(reg.id)).filter((a) => a.action === 'children.get')
    expect(reads).toHaveLength(before + 3)
    expect(reads.at(-1)).toMatchObject({
      actorId: 'usr-demo-township',
      detail: { view: 'officer' },
    })
    expect(JSON.stringify(reads)).not.toContain('周小宝')
  })

  it('given a missing id field, then VALIDATION', async () => {
    expect(await fails(VILLAGE_1, 'children.get', {})).toMatchObject({
      code: 'VALIDATION',
      issues: [{ path: 'id' }],
    })
  })
})

// ---------------------------------------------------------------------------------------------
// children.list
// ---------------------------------------------------------------------------------------------

describe('children.list', () => {
  // Everyone here has the surname 林, so `q: '林'` lists exactly these.
  const ids: Record<string, string> = {}
  beforeAll(async () => {
    ids.a = (await register(VILLAGE_1, '林一', { categories: ['poverty'], riskLevel: 'low' })).id
    ids.b = (
      await register(VILLAGE_1, '林二', {
        categories: ['psych_behaviour', 'poverty'],
        riskLevel: 'high',
      })
    ).id
    ids.c = (
      await register(VILLAGE_1, '林三', { categories: ['disability'], riskLevel: 'high' })
    ).id
    ids.d = (
      await register(TOWNSHIP, '林四', {
        villageId: 'vil-demo-2',
        categories: ['guardianship_gap'],
        riskLevel: 'high',
      })
    ).id
    ids.e = (await register(VILLAGE_1, '林五', { riskLevel: 'low' })).id
    await ok(VILLAGE_1, 'children.archive', { id: ids.e, version: 1, reason: 'parents_returned' })
  })

  const names = (out: ActionOutput<'children.list'>) =>
    out.items.map((i) => ('name' in i ? i.name : i.givenName))

  it('given a village officer, then only their village’s active children, ordered by name, with the total', async () => {
    const out = await ok(VILLAGE_1, 'children.list', { q: '林' })
    expect(names(out)).toEqual(['林一', '林三', '林二'])
    expect(out.total).toBe(3)
    expect(out.nextOffset).toBeNull()
    expect(out.items.every((i) => i.view === 'officer')).toBe(true)
  })

  it('given a township officer, then every village; filtered by village, only that one', async () => {
    expect((await ok(TOWNSHIP, 'children.list', { q: '林' })).total).toBe(4)
    expect(
      names(await ok(TOWNSHIP, 'children.list', { q: '林', villageId: 'vil-demo-2' })),
    ).toEqual(['林四'])
  })

  it('given a village officer asking for another village, then FORBIDDEN', async () => {
    expect((await fails(VILLAGE_1, 'children.list', { villageId: 'vil-demo-2' })).code).toBe(
      'FORBIDDEN',
    )
  })

  it('given a category or a risk level, then only children with it', async () => {
    expect(
      names(await ok(TOWNSHIP, 'children.list', { q: '林', category: 'poverty' })).sort(),
    ).toEqual(['林一', '林二'].sort())
    expect(
      names(await ok(TOWNSHIP, 'children.list', { q: '林', riskLevel: 'high' })).sort(),
    ).toEqual(['林三', '林二', '林四'].sort())
  })

  it('given status archived, then only archived children; the default is active', async () => {
    expect(names(await ok(VILLAGE_1, 'children.list', { q: '林', status: 'archived' }))).toEqual([
      '林五',
    ])
    expect(names(await ok(VILLAGE_1, 'children.list', { q: '林' }))).not.toContain('林五')
  })

  it('given pages of two, then the pages cover the list once, with the next offset and the total', async () => {
    const first = await ok(TOWNSHIP, 'children.list', { q: '林', limit: 2 })
    expect(first).toMatchObject({ total: 4, nextOffset: 2 })
    const second = await ok(TOWNSHIP, 'children.list', { q: '林', limit: 2, offset: 2 })
    expect(second).toMatchObject({ total: 4, nextOffset: null })
    expect([...names(first), ...names(second)].sort()).toEqual(
      ['林一', '林三', '林二', '林四'].sort(),
    )
  })

  it('given a name prefix that is not at the start, then nothing (a prefix search)', async () => {
    expect((await ok(TOWNSHIP, 'children.list', { q: '一' })).total).toBe(0)
    expect((await ok(TOWNSHIP, 'children.list', { q: '林.' })).total).toBe(0)
  })

  it('given officer rows, then no address, guardian phone, notes or full ID number', async () => {
    const out = await ok(VILLAGE_1, 'children.list', { q: '林' })
    expect(Object.keys(out.items[0]!)).not.toEqual(expect.arrayContaining(['address']))
    const text = JSON.stringify(out)
    expect(text).not.toContain('清水村3组')
    expect(text).not.toMatch(/1380000\d{4}/)
  })

  it('given a helper, then only the children paired with them now, as helper rows; none archived', async () => {
    await pair(ids.a!, HELPER_2)
    await pair(ids.d!, HELPER_2, 'vil-demo-2')
    const out = await ok(HELPER_2, 'children.list', { q: '林' })
    expect(names(out).sort()).toEqual(['林一', '林四'].sort())
    expect(Object.keys(out.items[0]!).sort()).toEqual(
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
    expect(await ok(HELPER_2, 'children.list', { status: 'archived' })).toEqual({
      items: [],
      total: 0,
      nextOffset: null,
    })
    expect((await ok('demo-helper-3', 'children.list', {})).total).toBe(0)
  })

  it('given a linked guardian, then only their child as a guardian row; filtering by category or risk is FORBIDDEN', async () => {
    const reg = await ok(VILLAGE_1, 'children.get', { id: ids.b! })
    if (reg.view !== 'officer') throw new Error('expected the officer view')
    const openid = await linkGuardian(ids.b!, reg.guardians[0]!.id)
    expect(await ok(openid, 'children.list', {})).toEqual({
      items: [{ view: 'guardian', id: ids.b, givenName: '二', villageName: '清水村', age: 10 }],
      total: 1,
      nextOffset: null,
    })
    expect((await fails(openid, 'children.list', { category: 'psych_behaviour' })).code).toBe(
      'FORBIDDEN',
    )
    expect((await fails(openid, 'children.list', { riskLevel: 'high' })).code).toBe('FORBIDDEN')
    expect(await ok(GUARDIAN_UNLINKED, 'children.list', {})).toEqual({
      items: [],
      total: 0,
      nextOffset: null,
    })
  })

  it('given a page of 101, then VALIDATION', async () => {
    expect(await fails(TOWNSHIP, 'children.list', { limit: 101 })).toMatchObject({
      code: 'VALIDATION',
      issues: [{ path: 'limit', message: '每页最多100条' }],
    })
  })

  it('given a page of 1 or of 4 children, then the same number of database calls (no call per child)', async () => {
    const calls = async (limit: number) => {
      const before = stack.emulator.database.stats().calls
      await ok(TOWNSHIP, 'children.list', { q: '林', limit })
      return stack.emulator.database.stats().calls - before
    }
    expect(await calls(4)).toBe(await calls(1))
  })
})

// ---------------------------------------------------------------------------------------------
// children.update
// ---------------------------------------------------------------------------------------------

describe('children.update', () => {
  it('given a change of school and the father’s work, then a new version, a history entry old → new, an audit entry with field names', async () => {
    const reg = await register(VILLAGE_1, '吴改', { birthDate: '2014-04-04' })
    const out = await ok(VILLAGE_1, 'children.update', {
      id: reg.id,
      version: 1,
      school: '石桥中学',
      parents: {
        ...(child('x').parents as Doc),
        father: { status: 'working_away', workplace: '江苏苏州', homeFrequency: 'yearly' },
      },
    })
    expect(out).toMatchObject({
      version: 2,
      school: '石桥中学',
      parents: { father: { workplace: '江苏苏州' } },
    })

    const entries = await historyOf(reg.id)
    const update = entries.find((e) => e.action === 'update')
    expect(update).toMatchObject({
      by: 'usr-demo-village-1',
      changes: [
        { field: 'school', from: '清水小学', to: '石桥中学' },
        { field: 'parents.father.workplace', from: '广东东莞', to: '江苏苏州' },
      ],
    })
    const audit = (await auditOf(reg.id)).find((a) => a.action === 'children.update')
    expect(audit?.detail).toEqual({ fields: ['school', 'parents'] })
    expect(JSON.stringify(audit)).not.toContain('石桥中学')
  })

  it('given a stale version, then CONFLICT asking to refresh, and the other officer’s change is kept', async () => {
    const reg = await register(VILLAGE_1, '郑旧', { birthDate: '2014-05-05' })
    await ok(TOWNSHIP, 'children.update', { id: reg.id, version: 1, grade: '五年级' })
    const res = await fails(VILLAGE_1, 'children.update', {
      id: reg.id,
      version: 1,
      grade: '六年级',
    })
    expect(res).toMatchObject({ code: 'CONFLICT', message: STALE_VERSION_MESSAGE })
    const now = await ok(VILLAGE_1, 'children.get', { id: reg.id })
    expect(now).toMatchObject({ grade: '五年级', version: 2 })
  })

  it('given two officers saving the same version at once, then one wins, the other gets CONFLICT, one history entry', async () => {
    const reg = await register(VILLAGE_1, '钱并发', { birthDate: '2014-06-06' })
    const results = await Promise.all([
      call(VILLAGE_1, 'children.update', { id: reg.id, version: 1, notes: '甲' }),
      call(TOWNSHIP, 'children.update', { id: reg.id, version: 1, notes: '乙' }),
    ])
    expect(results.filter((r) => r.ok)).toHaveLength(1)
    expect(results.filter((r) => !r.ok)).toMatchObject([
      { code: 'CONFLICT', message: STALE_VERSION_MESSAGE },
    ])
    const winner = results.find((r) => r.ok) as { data: { notes: string } }
    expect(await ok(VILLAGE_1, 'children.get', { id: reg.id })).toMatchObject({
      version: 2,
      notes: winner.data.notes,
    })
    expect((await historyOf(reg.id)).filter((e) => e.action === 'update')).toHaveLength(1)
  })

  it('given a new ID number alone, then sex and birth date follow it and history shows them, the numbers masked', async () => {
    const reg = await register(VILLAGE_1, '冯补号', { birthDate: '2014-07-07' })
    const id = idFor('2014-07-08', 'female')
    const out = await ok(VILLAGE_1, 'children.update', { id: reg.id, version: 1, idNumber: id })
    expect(out).toMatchObject({
      sex: 'female',
      birthDate: '2014-07-08',
      idNumberMasked: `5101**********${id.slice(-4)}`,
    })
    const update = (await historyOf(reg.id)).find((e) => e.action === 'update')
    expect(update?.changes).toEqual([
      { field: 'sex', from: 'male', to: 'female' },
      { field: 'birthDate', from: '2014-07-07', to: '2014-07-08' },
      { field: 'idNumber', from: null, to: `5101**********${id.slice(-4)}` },
    ])
  })

  it('given the ID number of another child, then CONFLICT naming that record', async () => {
    const id = idFor('2013-08-08', 'male')
    const other = await register(VILLAGE_2, '褚已有', { idNumber: id, birthDate: '2013-08-08' })
    const reg = await register(VILLAGE_1, '卫改号', { birthDate: '2013-08-09' })
    const res = await fails(VILLAGE_1, 'children.update', {
      id: reg.id,
      version: 1,
      idNumber: id,
      birthDate: '2013-08-08',
    })
    expect(res.code).toBe('CONFLICT')
    expect(res.message).toContain(other.id)
  })

  it('given academic difficulty added without its type, then VALIDATION on academicSubtype', async () => {
    const reg = await register(VILLAGE_1, '蒋学业', { birthDate: '2014-09-09' })
    const res = await fails(VILLAGE_1, 'children.update', {
      id: reg.id,
      version: 1,
      categories: ['academic'],
    })
    expect(res).toMatchObject({
      code: 'VALIDATION',
      issues: [{ path: 'academicSubtype', message: '选择了学业困难，请选择学业困难类型' }],
    })
  })

  it('given a guardian kept and one added, then the kept guardian’s id (and a linked guardian user’s access) stays', async () => {
    const reg = await register(VILLAGE_1, '沈监护', { birthDate: '2014-10-10' })
    const kept = reg.guardians[0]!
    const openid = await linkGuardian(reg.id, kept.id)
    const out = await ok(VILLAGE_1, 'children.update', {
      id: reg.id,
      version: 1,
      guardians: [
        { id: kept.id, name: kept.name, relation: kept.relation, phone: kept.phone },
        { name: '沈爸爸', relation: 'parent', phone: phone() },
      ],
    })
    expect(out.guardians.map((g) => g.id)).toEqual([kept.id, expect.stringMatching(/^gdn-/)])
    expect((await ok(openid, 'children.get', { id: reg.id })).view).toBe('guardian')

    // removing the entry ends that guardian user's access
    await ok(VILLAGE_1, 'children.update', {
      id: reg.id,
      version: 2,
      guardians: [out.guardians[1]],
    })
    expect((await fails(openid, 'children.get', { id: reg.id })).code).toBe('NOT_FOUND')
  })

  it('given the name and risk changed, then the duty state is refreshed and the change saved', async () => {
    const reg = await register(VILLAGE_1, '韩改名', { birthDate: '2014-11-11' })
    const out = await ok(VILLAGE_1, 'children.update', {
      id: reg.id,
      version: 1,
      name: '韩改名二',
      riskLevel: 'high',
    })
    expect(out).toMatchObject({ name: '韩改名二', riskLevel: 'high', version: 2 })
    // what duty boards read follows the child
    expect(await stack.docs('duty_states', { _id: reg.id })).toMatchObject([
      { childName: '韩改名二', riskLevel: 'high' },
    ])
  })

  it('given a village officer moving a child to another village, then FORBIDDEN; a township officer may', async () => {
    const reg = await register(VILLAGE_1, '杨搬家', { birthDate: '2014-12-12' })
    expect(
      (
        await fails(VILLAGE_1, 'children.update', {
          id: reg.id,
          version: 1,
          villageId: 'vil-demo-2',
        })
      ).code,
    ).toBe('FORBIDDEN')
    const out = await ok(TOWNSHIP, 'children.update', {
      id: reg.id,
      version: 1,
      villageId: 'vil-demo-2',
    })
    expect(out).toMatchObject({ villageId: 'vil-demo-2', villageName: '石桥村' })
    // now outside the first village officer's scope
    expect((await fails(VILLAGE_1, 'children.get', { id: reg.id })).code).toBe('NOT_FOUND')
  })

  it('given the same values again, then nothing is written: same version, no new history', async () => {
    const reg = await register(VILLAGE_1, '朱不变', { birthDate: '2015-01-01' })
    const out = await ok(VILLAGE_1, 'children.update', {
      id: reg.id,
      version: 1,
      school: reg.school,
    })
    expect(out.version).toBe(1)
    expect(await historyOf(reg.id)).toHaveLength(1)
  })

  it('given the other village’s officer, then NOT_FOUND; a helper, FORBIDDEN', async () => {
    const reg = await register(VILLAGE_1, '秦越权', { birthDate: '2015-02-02' })
    expect(
      (await fails(VILLAGE_2, 'children.update', { id: reg.id, version: 1, grade: '一年级' })).code,
    ).toBe('NOT_FOUND')
    await pair(reg.id, HELPER_1)
    expect(
      (await fails(HELPER_1, 'children.update', { id: reg.id, version: 1, grade: '一年级' })).code,
    ).toBe('FORBIDDEN')
  })

  it('given no version, then VALIDATION asking to refresh', async () => {
    expect(
      await fails(VILLAGE_1, 'children.update', { id: 'chd-x', grade: '一年级' }),
    ).toMatchObject({
      code: 'VALIDATION',
      issues: [{ path: 'version', message: '缺少档案版本，请刷新后再改' }],
    })
  })
})

// ---------------------------------------------------------------------------------------------
// children.archive
// ---------------------------------------------------------------------------------------------

describe('children.archive', () => {
  it('given a reason and a note, then the child is archived (not deleted), read-only, still readable and listed as archived', async () => {
    const reg = await register(VILLAGE_1, '许归档', { birthDate: '2010-03-03' })
    await pair(reg.id, HELPER_1)
    const out = await ok(VILLAGE_1, 'children.archive', {
      id: reg.id,
      version: 1,
      reason: 'aged_out',
      note: '已满16周岁',
    })
    expect(out).toMatchObject({
      status: 'archived',
      version: 2,
      archive: { reason: 'aged_out', note: '已满16周岁', by: 'usr-demo-village-1' },
    })
    expectNow(out.archive?.at)
    expect(await stack.docs('children', { _id: reg.id })).toHaveLength(1)
    expect(await stack.docs('duty_states', { _id: reg.id })).toMatchObject([{ status: 'archived' }])
    expect(await ok(VILLAGE_1, 'children.get', { id: reg.id })).toMatchObject({
      status: 'archived',
    })

    const history = await historyOf(reg.id)
    expect(history.find((e) => e.action === 'archive')?.changes).toEqual([
      { field: 'status', from: 'active', to: 'archived' },
      { field: 'archive.reason', from: null, to: 'aged_out' },
      { field: 'archive.note', from: null, to: '已满16周岁' },
    ])
    expect((await auditOf(reg.id)).find((a) => a.action === 'children.archive')?.detail).toEqual({
      reason: 'aged_out',
      endedPairingId: expect.any(String),
    })
    // The pairing ends with the archive: the helper's care ends when the child leaves the programme.
    expect(await stack.docs('pairings', { childId: reg.id })).toMatchObject([
      { active: false, endReason: 'child_left', endedBy: 'usr-demo-village-1' },
    ])
    expect(await ok(VILLAGE_1, 'pairings.history', { childId: reg.id })).toMatchObject({
      current: null,
    })

    // read-only: no edit, no second archive, no consent
    const edit = await fails(VILLAGE_1, 'children.update', {
      id: reg.id,
      version: 2,
      grade: '初一',
    })
    expect(edit).toMatchObject({ code: 'CONFLICT', message: '该儿童已归档，档案只读，不能修改' })
    expect(
      (await fails(VILLAGE_1, 'children.archive', { id: reg.id, version: 2, reason: 'moved' }))
        .code,
    ).toBe('CONFLICT')
    expect(
      (
        await fails(VILLAGE_1, 'children.consent', {
          id: reg.id,
          version: 2,
          decision: 'granted',
          guardianName: '许奶奶',
          relation: 'grandparent',
          scopes: ['archive'],
          method: 'paper_signed',
        })
      ).code,
    ).toBe('CONFLICT')
    // a helper no longer sees an archived child
    expect((await fails(HELPER_1, 'children.get', { id: reg.id })).code).toBe('NOT_FOUND')
  })

  it('given reason "other" without a note, then VALIDATION asks for the note', async () => {
    expect(
      await fails(VILLAGE_1, 'children.archive', { id: 'chd-x', version: 1, reason: 'other' }),
    ).toMatchObject({
      code: 'VALIDATION',
      issues: [{ path: 'note', message: '选择“其他”时请说明归档原因' }],
    })
  })

  it('given a stale version, then CONFLICT and the child stays active', async () => {
    const reg = await register(VILLAGE_1, '何过期', { birthDate: '2010-04-04' })
    await ok(VILLAGE_1, 'children.update', { id: reg.id, version: 1, grade: '初二' })
    expect(
      await fails(VILLAGE_1, 'children.archive', { id: reg.id, version: 1, reason: 'moved' }),
    ).toMatchObject({
      code: 'CONFLICT',
      message: STALE_VERSION_MESSAGE,
    })
    expect(await ok(VILLAGE_1, 'children.get', { id: reg.id })).toMatchObject({ status: 'active' })
  })

  it('given the other village’s officer, then NOT_FOUND; a guardian, FORBIDDEN', async () => {
    const reg = await register(VILLAGE_1, '吕他村', { birthDate: '2010-05-05' })
    expect(
      (await fails(VILLAGE_2, 'children.archive', { id: reg.id, version: 1, reason: 'moved' }))
        .code,
    ).toBe('NOT_FOUND')
    expect(
      (
        await fails(GUARDIAN_UNLINKED, 'children.archive', {
          id: reg.id,
          version: 1,
          reason: 'moved',
        })
      ).code,
    ).toBe('FORBIDDEN')
  })
})

// ---------------------------------------------------------------------------------------------
// children.history
// ---------------------------------------------------------------------------------------------

describe('children.history', () => {
  it('given a record created, edited and archived, then the officer sees who did what when, newest first, with names of the officers', async () => {
    const reg = await register(VILLAGE_1, '施历史', { birthDate: '2012-06-06' })
    await ok(TOWNSHIP, 'children.update', { id: reg.id, version: 1, grade: '五年级' })
    await ok(VILLAGE_1, 'children.archive', { id: reg.id, version: 2, reason: 'moved' })
    const out = await ok(VILLAGE_1, 'children.history', { id: reg.id })
    expect(out.total).toBe(3)
    expect(out.items.map((e) => [e.action, e.by, e.byName])).toEqual([
      ['archive', 'usr-demo-village-1', '李秀英'],
      ['update', 'usr-demo-township', '王主任'],
      ['create', 'usr-demo-village-1', '李秀英'],
    ])
    expect(out.items[1]?.changes).toEqual([{ field: 'grade', from: '四年级', to: '五年级' }])
    expectNow(out.items[0]?.at)

    const page = await ok(VILLAGE_1, 'children.history', { id: reg.id, limit: 2 })
    expect(page).toMatchObject({ total: 3, nextOffset: 2 })
    expect(page.items.map((e) => e.action)).toEqual(['archive', 'update'])
  })

  it('given a corrected ID number, then neither number is stored in full in history', async () => {
    const first = idFor('2012-07-07', 'male')
    const second = idFor('2012-07-07', 'male')
    const reg = await register(VILLAGE_1, '孔改正', { idNumber: first, birthDate: '2012-07-07' })
    await ok(VILLAGE_1, 'children.update', { id: reg.id, version: 1, idNumber: second })
    const text = JSON.stringify(await historyOf(reg.id))
    expect(text).not.toContain(first)
    expect(text).not.toContain(second)
    expect(text).toContain(`5101**********${second.slice(-4)}`)
  })

  it('given the other village’s officer, then NOT_FOUND; a paired helper, FORBIDDEN', async () => {
    const reg = await register(VILLAGE_1, '曹隐私', { birthDate: '2012-08-08' })
    await pair(reg.id, HELPER_1)
    expect((await fails(VILLAGE_2, 'children.history', { id: reg.id })).code).toBe('NOT_FOUND')
    expect((await fails(HELPER_1, 'children.history', { id: reg.id })).code).toBe('FORBIDDEN')
  })
})

// ---------------------------------------------------------------------------------------------
// children.consent
// ---------------------------------------------------------------------------------------------

describe('children.consent', () => {
  const consent = (
    id: string,
    version: number,
    decision: 'granted' | 'withdrawn',
    scopes: string[],
  ) => ({
    id,
    version,
    decision,
    guardianName: '严奶奶',
    relation: 'grandparent',
    scopes,
    method: 'paper_signed',
    note: '在村委会签字',
  })

  it('given a grant and then withdrawals, then the record shows the current state, the scopes that stand and every record', async () => {
    const reg = await register(VILLAGE_1, '严同意', { birthDate: '2013-09-09' })
    const granted = await ok(
      VILLAGE_1,
      'children.consent',
      consent(reg.id, 1, 'granted', ['archive', 'photos']),
    )
    expect(granted.consent).toEqual({
      state: 'granted',
      scopes: ['archive', 'photos'],
      records: [
        {
          decision: 'granted',
          guardianName: '严奶奶',
          relation: 'grandparent',
          scopes: ['archive', 'photos'],
          method: 'paper_signed',
          note: '在村委会签字',
          at: expect.any(String),
          by: 'usr-demo-village-1',
        },
      ],
    })
    expectNow(granted.consent.records[0]?.at)
    expect(granted.version).toBe(2)

    const photosOff = await ok(
      VILLAGE_1,
      'children.consent',
      consent(reg.id, 2, 'withdrawn', ['photos']),
    )
    expect(photosOff.consent).toMatchObject({ state: 'granted', scopes: ['archive'] })
    const allOff = await ok(
      VILLAGE_1,
      'children.consent',
      consent(reg.id, 3, 'withdrawn', ['archive']),
    )
    expect(allOff.consent).toMatchObject({ state: 'withdrawn', scopes: [] })
    expect(allOff.consent.records).toHaveLength(3)

    const entries = (await historyOf(reg.id)).filter((e) => e.action === 'consent')
    expect(entries).toHaveLength(3)
    expect(
      (await auditOf(reg.id)).filter((a) => a.action === 'children.consent').map((a) => a.detail),
    ).toEqual([
      { decision: 'granted', scopes: ['archive', 'photos'] },
      { decision: 'withdrawn', scopes: ['photos'] },
      { decision: 'withdrawn', scopes: ['archive'] },
    ])
  })

  it('given a paired helper, then the child view shows the consent state and scopes (e.g. whether photos may be kept), not the records', async () => {
    const reg = await register(VILLAGE_1, '严照片', { birthDate: '2013-10-10' })
    await ok(VILLAGE_1, 'children.consent', consent(reg.id, 1, 'granted', ['archive']))
    await pair(reg.id, HELPER_1)
    expect((await ok(HELPER_1, 'children.get', { id: reg.id })) as Doc).toMatchObject({
      consent: { state: 'granted', scopes: ['archive'] },
    })
  })

  it('given no scope, then VALIDATION; a stale version, CONFLICT; a helper, FORBIDDEN', async () => {
    const reg = await register(VILLAGE_1, '严校验', { birthDate: '2013-11-11' })
    expect(
      await fails(VILLAGE_1, 'children.consent', consent(reg.id, 1, 'granted', [])),
    ).toMatchObject({
      code: 'VALIDATION',
      issues: [{ path: 'scopes', message: '请至少选择一项同意范围' }],
    })
    expect(
      await fails(VILLAGE_1, 'children.consent', consent(reg.id, 7, 'granted', ['archive'])),
    ).toMatchObject({
      code: 'CONFLICT',
      message: STALE_VERSION_MESSAGE,
    })
    expect(
      (await fails(HELPER_1, 'children.consent', consent(reg.id, 1, 'granted', ['archive']))).code,
    ).toBe('FORBIDDEN')
  })
})

describe('the audit trail as a whole', () => {
  it('given everything above, then no audit entry carries a child’s name, an ID number or a phone number', async () => {
    const text = JSON.stringify(await stack.docs('audit_log', {}))
    expect(text).not.toMatch(/\d{17}[\dX]/)
    expect(text).not.toMatch(/1380000\d{4}/)
    for (const name of ['王小花', '周小宝', '林一', '吴改', '严同意'])
      expect(text).not.toContain(name)
  })
})
