// Authorization cases of the officer features (issue 7): urgent reports, measures, statistics, ledger.
import type { Role } from '../../../src/core/roles'
import type { AuthzCases } from './types'

type Api = (openid: string | null, body: unknown) => Promise<unknown>

const REPORT = {
  kind: 'injury',
  seen: '孩子手臂受伤，无人照料',
  occurredAt: '2026-01-01T08:00:00+08:00',
}
/** A report/measure id that exists nowhere (a township officer has no other township's records to try). */
const NONE = 'authz-none'

/** Records the cases point at, made by `prepare`: one report and one measure in each village. */
const made = { reportV1: NONE, reportV2: NONE, measureV1: NONE, measureV2: NONE }

/** In scope for the role: 清水村's record for its helper and officer, 石桥村's for the township. */
const inOf = (role: Role, v1: string, v2: string) => (role === 'township_officer' ? v2 : v1)
/** Out of scope: 石桥村's record for 清水村's people; nothing the township office could not see. */
const outOf = (role: Role, v2: string) => (role === 'township_officer' ? NONE : v2)

async function must(api: Api, openid: string, action: string, data: unknown, requestId?: string) {
  const out = (await api(openid, { action, data, ...(requestId ? { requestId } : {}) })) as {
    ok: boolean
    data?: Record<string, { id: string }>
    code?: string
  }
  if (!out.ok || !out.data)
    throw new Error(`authz prepare: ${action} failed with ${String(out.code)}`)
  return out.data
}

export async function prepare(api: Api): Promise<void> {
  const needOf = async (openid: string, id: string) =>
    ((await must(api, openid, 'children.get', { id })) as unknown as { needs: string[] }).needs[0]
  const measure = async (openid: string, childId: string) =>
    (
      await must(api, openid, 'measures.create', {
        childId,
        kind: await needOf(openid, childId),
        what: '权限测试措施',
        provider: { type: 'department', name: '镇民政办' },
      })
    ).measure?.id ?? NONE
  made.reportV1 =
    (
      await must(
        api,
        'demo-helper-1',
        'reports.create',
        { childId: 'chd-demo-01', ...REPORT },
        'authz-prep-report-1',
      )
    ).report?.id ?? NONE
  made.reportV2 =
    (
      await must(
        api,
        'demo-helper-3',
        'reports.create',
        { childId: 'chd-demo-23', ...REPORT },
        'authz-prep-report-2',
      )
    ).report?.id ?? NONE
  made.measureV1 = await measure('demo-village-1', 'chd-demo-01')
  made.measureV2 = await measure('demo-township', 'chd-demo-23')
}

export const cases: AuthzCases = {
  'reports.create': {
    inScope: (_role, f) => ({ childId: f.inChild, ...REPORT }),
    outOfScope: (_role, f) => ({ childId: f.outChild, ...REPORT }),
    requestId: true,
  },
  'reports.list': { inScope: () => ({}) },
  'reports.get': {
    inScope: (role) => ({ id: inOf(role, made.reportV1, made.reportV2) }),
    outOfScope: (role) => ({ id: outOf(role, made.reportV2) }),
  },
  'reports.transition': {
    // A stale version: allowed and in scope, refused without a change.
    inScope: (role) => ({
      id: inOf(role, made.reportV1, made.reportV2),
      version: 99,
      event: 'receive',
    }),
    outOfScope: (role) => ({ id: outOf(role, made.reportV2), version: 99, event: 'receive' }),
    expectInScope: 'CONFLICT',
  },
  'measures.list': {
    inScope: (_role, f) => ({ childId: f.inChild }),
    outOfScope: (_role, f) => ({ childId: f.outChild }),
  },
  'measures.create': {
    // legal_aid is in no demo child's needs: passes access and scope, then VALIDATION, nothing written.
    inScope: (_role, f) => ({
      childId: f.inChild,
      kind: 'legal_aid',
      what: '法律咨询',
      provider: { type: 'department', name: '司法所' },
    }),
    outOfScope: (_role, f) => ({
      childId: f.outChild,
      kind: 'legal_aid',
      what: '法律咨询',
      provider: { type: 'department', name: '司法所' },
    }),
    expectInScope: 'VALIDATION',
  },
  'measures.update': {
    inScope: (role) => ({
      id: inOf(role, made.measureV1, made.measureV2),
      version: 99,
      event: 'start',
    }),
    outOfScope: (role) => ({ id: outOf(role, made.measureV2), version: 99, event: 'start' }),
    expectInScope: 'CONFLICT',
  },
  'stats.compliance': {
    inScope: () => ({ period: '2026-02' }),
    // a village officer naming another village is refused; a township officer's villages are all in scope
    outOfScope: (role) =>
      role === 'village_officer' ? { villageId: 'vil-demo-2' } : { villageId: 'vil-none' },
    expectOutOfScope: 'FORBIDDEN',
  },
  'stats.home': { inScope: () => ({}) },
  'ledger.export': {
    inScope: () => ({ period: '2026-02' }),
    outOfScope: (role) =>
      role === 'village_officer'
        ? { period: '2026-02', villageId: 'vil-demo-2' }
        : { period: '2026-02', villageId: 'vil-none' },
    expectOutOfScope: 'FORBIDDEN',
  },
}
