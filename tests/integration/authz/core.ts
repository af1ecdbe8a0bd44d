// Authorization cases of the programme core: session, organisation, children, pairing, contacts, duties, audit.
import type { Role } from '../../../src/core/roles'
import type { AuthzCases } from './types'

let registered = 0

/** A valid new child for the officer's scope (each call a different name, so no duplicate warning). */
function newChild(role: Role): Record<string, unknown> {
  registered += 1
  return {
    ...(role === 'township_officer' ? { villageId: 'vil-demo-2' } : {}),
    name: `权限测试${'甲乙丙丁戊己庚辛'[registered % 8]}${registered}`,
    sex: 'female',
    birthDate: '2016-04-0' + ((registered % 9) + 1),
    riskLevel: 'low',
    school: '青山镇中心小学',
    grade: '三年级',
    address: '测试地址',
    parents: {
      father: { status: 'working_away', workplace: '广东东莞', homeFrequency: 'yearly' },
      mother: { status: 'at_home', workplace: '', homeFrequency: null },
    },
    guardians: [
      { name: '测试监护人', relation: 'grandparent', phone: `1370000${String(1000 + registered)}` },
    ],
    categories: ['poverty'],
    needs: ['hardship_relief'],
  }
}

const STALE = 9999

export const cases: AuthzCases = {
  'session.me': { inScope: () => ({}) },
  'org.villages': { inScope: () => ({}) },
  'helpers.list': { inScope: () => ({}) },

  'children.create': { inScope: (role) => newChild(role) },
  'children.get': {
    inScope: (_r, f) => ({ id: f.inChild }),
    outOfScope: (_r, f) => ({ id: f.outChild }),
  },
  'children.list': { inScope: () => ({}) },
  'children.update': {
    inScope: (_r, f) => ({ id: f.inChild, version: STALE, notes: '权限测试' }),
    outOfScope: (_r, f) => ({ id: f.outChild, version: STALE, notes: '权限测试' }),
    expectInScope: 'CONFLICT',
  },
  'children.archive': {
    inScope: (_r, f) => ({ id: f.inChild, version: STALE, reason: 'moved' }),
    outOfScope: (_r, f) => ({ id: f.outChild, version: STALE, reason: 'moved' }),
    expectInScope: 'CONFLICT',
  },
  'children.history': {
    inScope: (_r, f) => ({ id: f.inChild }),
    outOfScope: (_r, f) => ({ id: f.outChild }),
  },
  'children.consent': {
    inScope: (_r, f) => consent(f.inChild),
    outOfScope: (_r, f) => consent(f.outChild),
    expectInScope: 'CONFLICT',
  },

  'pairings.assign': {
    // The child's own helper again: allowed and in scope, refused as nothing would change.
    inScope: (_r, f) => ({ childId: f.inChild, helperId: f.pairedHelperId }),
    outOfScope: (_r, f) => ({ childId: f.outChild, helperId: f.pairedHelperId }),
    expectInScope: 'CONFLICT',
  },
  'pairings.end': {
    inScope: (_r, f) => ({ childId: f.unpairedChild, reason: 'other' }),
    outOfScope: (_r, f) => ({ childId: f.outChild, reason: 'other' }),
    expectInScope: 'CONFLICT',
  },
  'pairings.history': {
    inScope: (_r, f) => ({ childId: f.inChild }),
    outOfScope: (_r, f) => ({ childId: f.outChild }),
  },

  'contacts.log': {
    inScope: (_r, f) => logOf(f.inChild),
    outOfScope: (_r, f) => logOf(f.outChild),
    requestId: true,
  },
  'contacts.correct': {
    inScope: (_r, f) => ({ logId: f.recentLogId, changes: { actions: '权限测试：补充说明' } }),
    outOfScope: (_r, f) => ({ logId: f.otherLogId, changes: { actions: '权限测试：补充说明' } }),
  },
  'contacts.list': {
    inScope: (_r, f) => ({ childId: f.inChild }),
    outOfScope: (_r, f) => ({ childId: f.outChild }),
  },
  'duties.list': { inScope: () => ({}) },
  'audit.list': { inScope: () => ({}) },
}

function consent(id: string): Record<string, unknown> {
  return {
    id,
    version: STALE,
    decision: 'granted',
    guardianName: '测试监护人',
    relation: 'grandparent',
    scopes: ['archive'],
    method: 'paper_signed',
  }
}

function logOf(childId: string): Record<string, unknown> {
  // An hour ago in China time: never in the future, always after the demo pairings began.
  const at = new Date(Date.now() - 3600_000 + 8 * 3600_000).toISOString().replace('Z', '+08:00')
  return {
    childId,
    duty: 'guardian_contact',
    occurredAt: at,
    mode: 'phone',
    learned: { mood: '情绪稳定' },
  }
}
