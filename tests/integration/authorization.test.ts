/// <reference types="vite/client" />
// Every action × every role, in scope and out of scope: allowed or FORBIDDEN as the access table says,
// NOT_FOUND outside the scope, the exact fields each role receives, and no full ID number ever reaching
// a helper or a guardian.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { scopeFor } from '../../src/core/access'
import { ACTIONS, type ActionName } from '../../src/core/actions'
import { ROLES, type Role } from '../../src/core/roles'
import { demoSeed } from '../../scripts/demo-data'
import { startStack, type Stack } from '../support/stack'
import type { AuthzCase, AuthzCases, ScopeFixture } from './authz/types'

/** Each feature's cases; `prepare` makes records its cases point at (e.g. a confirmation token). */
type CaseModule = {
  cases?: AuthzCases
  prepare?: (api: Stack['api'], stack: Stack) => Promise<void>
}
const caseModules = import.meta.glob<CaseModule>('./authz/*.ts', { eager: true })
const CASES: AuthzCases = Object.assign({}, ...Object.values(caseModules).map((m) => m.cases ?? {}))

const OPENID: Record<Role, string> = {
  helper: 'demo-helper-1',
  guardian: 'demo-guardian-1',
  village_officer: 'demo-village-1',
  township_officer: 'demo-township',
}
const STRANGER = 'local-0000000000000000'

type Envelope = { ok: true; data: unknown } | { ok: false; code: string; message: string }

let stack: Stack
const fixtures = {} as Record<Role, ScopeFixture>
/** Every answer a helper or guardian received, for the ID-number scan. */
const toHelpersAndGuardians: string[] = []
/** The shape (field names, recursively) of every successful answer, by action and role. */
const shapes: Record<string, unknown> = {}
let requestSerial = 0

async function call(
  openid: string,
  action: string,
  data: unknown,
  withRequestId = false,
): Promise<Envelope> {
  requestSerial += 1
  const body = {
    action,
    data,
    ...(withRequestId ? { requestId: `authz-request-${requestSerial}` } : {}),
  }
  const out = (await stack.api(openid, body)) as Envelope
  if (openid === OPENID.helper || openid === OPENID.guardian)
    toHelpersAndGuardians.push(JSON.stringify(out))
  return out
}

/** Field names all the way down; an array is described by its first element. */
function shapeOf(value: unknown): unknown {
  if (Array.isArray(value)) return value.length ? [shapeOf(value[0])] : []
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((k) => [k, shapeOf((value as Record<string, unknown>)[k])]),
    )
  }
  return value === null ? 'null' : typeof value
}

beforeAll(async () => {
  stack = await startStack({ seed: 'full' })
  // Another township, so that a township officer has something out of scope.
  const seed = demoSeed(new Date())
  const anyChild = (seed.collections.children ?? [])[1] as Record<string, unknown>
  const anyState = (seed.collections.duty_states ?? [])[1] as Record<string, unknown>
  const res = await fetch(`${stack.url}/__emulator/seed`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      collections: {
        townships: [{ _id: 'twp-other', name: '别的镇' }],
        villages: [{ _id: 'vil-other', townshipId: 'twp-other', name: '别的村' }],
        children: [
          {
            ...anyChild,
            _id: 'chd-other',
            townshipId: 'twp-other',
            villageId: 'vil-other',
            idNumber: null,
          },
        ],
        duty_states: [
          { ...anyState, _id: 'chd-other', townshipId: 'twp-other', villageId: 'vil-other' },
        ],
      },
    }),
  })
  expect(res.ok).toBe(true)

  const logs = (await call(OPENID.helper, 'contacts.list', { childId: 'chd-demo-01' })) as {
    ok: true
    data: { logs: Array<{ id: string; createdAt: string }> }
  }
  const weekAgo = Date.now() - 6 * 86_400_000
  const recent = logs.data.logs.find((l) => Date.parse(l.createdAt) > weekAgo)
  const other = (await call(OPENID.village_officer, 'contacts.list', {
    childId: 'chd-demo-11',
  })) as {
    ok: true
    data: { logs: Array<{ id: string }> }
  }
  if (!recent || !other.data.logs[0])
    throw new Error('demo data has no recent log for demo-helper-1')
  const common = { recentLogId: recent.id, otherLogId: other.data.logs[0].id }
  fixtures.helper = {
    inChild: 'chd-demo-01',
    outChild: 'chd-demo-11',
    unpairedChild: 'chd-demo-19',
    pairedHelperId: 'usr-demo-helper-1',
    ...common,
  }
  fixtures.guardian = {
    inChild: 'chd-demo-01',
    outChild: 'chd-demo-02',
    unpairedChild: 'chd-demo-19',
    pairedHelperId: 'usr-demo-helper-1',
    ...common,
  }
  fixtures.village_officer = {
    inChild: 'chd-demo-01',
    outChild: 'chd-demo-23',
    unpairedChild: 'chd-demo-19',
    pairedHelperId: 'usr-demo-helper-1',
    ...common,
  }
  fixtures.township_officer = {
    inChild: 'chd-demo-23',
    outChild: 'chd-other',
    unpairedChild: 'chd-demo-37',
    pairedHelperId: 'usr-demo-helper-3',
    ...common,
  }
  for (const m of Object.values(caseModules)) await m.prepare?.(stack.api, stack)
})

afterAll(async () => {
  await stack?.close()
})

it('has a case for every action, and no case for an action that does not exist', () => {
  const actions = Object.keys(ACTIONS).sort()
  expect(Object.keys(CASES).sort()).toEqual(actions)
})

describe.each(Object.keys(ACTIONS) as ActionName[])('%s', (action) => {
  const spec = (): AuthzCase => {
    const c = CASES[action]
    if (!c) throw new Error(`no authorization case for ${action}`)
    return c
  }

  it.each(ROLES)('as %s: allowed in scope, refused out of scope, or FORBIDDEN', async (role) => {
    const c = spec()
    const f = fixtures[role]
    const scope = scopeFor(action, role)
    const answer = await call(OPENID[role], action, c.inScope(role, f), c.requestId)
    if (!scope) {
      expect(answer).toMatchObject({ ok: false, code: 'FORBIDDEN' })
      return
    }
    const expected = c.expectInScope ?? 'ok'
    if (expected === 'ok') {
      expect(answer, JSON.stringify(answer)).toMatchObject({ ok: true })
      if (answer.ok) shapes[`${action} as ${role}`] = shapeOf(answer.data)
    } else {
      expect(answer, JSON.stringify(answer)).toMatchObject({ ok: false, code: expected })
    }
    if (c.outOfScope) {
      const outside = await call(OPENID[role], action, c.outOfScope(role, f), c.requestId)
      expect(outside, JSON.stringify(outside)).toMatchObject({
        ok: false,
        code: c.expectOutOfScope ?? 'NOT_FOUND',
      })
    }
  })

  it('as a WeChat user who has not joined: FORBIDDEN unless the action is for anyone', async () => {
    const c = spec()
    const answer = await call(STRANGER, action, c.inScope('helper', fixtures.helper), c.requestId)
    if (scopeFor(action, null) === 'anyone')
      expect(answer.ok || answer.code !== 'FORBIDDEN').toBe(true)
    else expect(answer).toMatchObject({ ok: false, code: 'FORBIDDEN' })
  })
})

describe('what leaves the server', () => {
  it('gives each role exactly the recorded fields', () => {
    expect(shapes).toMatchSnapshot()
  })

  it('never gives a helper or a guardian a full ID number', () => {
    const ids = (demoSeed(new Date()).collections.children ?? [])
      .map((c) => (c as { idNumber: string | null }).idNumber)
      .filter((id): id is string => Boolean(id))
    expect(ids.length).toBeGreaterThan(30)
    expect(toHelpersAndGuardians.length).toBeGreaterThan(20)
    for (const answer of toHelpersAndGuardians) {
      for (const id of ids) expect(answer).not.toContain(id)
      expect(answer).not.toMatch(/\d{17}[\dX]/)
    }
  })
})
