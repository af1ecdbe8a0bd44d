// The `api` function through the emulator: envelope, routing, validation and session.me for every role.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DEMO_USERS } from '../../src/local/demo-users'
import { startStack, type Stack } from '../support/stack'

let stack: Stack

beforeAll(async () => {
  stack = await startStack({ seed: true })
})

afterAll(async () => {
  await stack.close()
})

describe('session.me', () => {
  it('returns the demo helper with role, township and village', async () => {
    const out = await stack.api('demo-helper-1', { action: 'session.me', data: {} })
    expect(out).toEqual({
      ok: true,
      data: {
        id: 'usr-demo-helper-1',
        role: 'helper',
        displayName: '张丽华',
        townshipId: 'twp-demo',
        townshipName: '青山镇',
        villageId: 'vil-demo-1',
        villageName: '清水村',
        openid: 'demo-helper-1',
      },
    })
  })

  it.each(DEMO_USERS.map((u) => [u.openid, u.role] as const))(
    'knows %s as %s',
    async (openid, role) => {
      const out = (await stack.api(openid, { action: 'session.me', data: {} })) as {
        ok: boolean
        data: { role: string }
      }
      expect(out.ok).toBe(true)
      expect(out.data.role).toBe(role)
    },
  )

  it('returns null for a WeChat user who has not joined', async () => {
    expect(await stack.api('local-0123456789abcdef', { action: 'session.me', data: {} })).toEqual({
      ok: true,
      data: null,
    })
  })

  it('is UNAUTHENTICATED without a platform identity', async () => {
    const out = (await stack.api(null, { action: 'session.me', data: {} })) as {
      ok: boolean
      code: string
      message: string
    }
    expect(out.ok).toBe(false)
    expect(out.code).toBe('UNAUTHENTICATED')
    expect(out.message).toMatch(/[\u4e00-\u9fa5]/)
  })

  it('ignores identity claimed in the request body', async () => {
    const out = (await stack.api('local-stranger', {
      action: 'session.me',
      data: {},
      userInfo: { openId: 'demo-township' },
    })) as { data: unknown }
    expect(out.data).toBeNull()
  })
})

describe('the envelope', () => {
  it('answers an unknown action with NOT_FOUND', async () => {
    const out = (await stack.api('demo-helper-1', { action: 'children.steal', data: {} })) as {
      ok: boolean
      code: string
    }
    expect(out).toMatchObject({ ok: false, code: 'NOT_FOUND' })
  })

  it('answers malformed JSON with VALIDATION', async () => {
    const out = (await stack.api('demo-helper-1', '{"action":"session.me",')) as {
      ok: boolean
      code: string
    }
    expect(out).toMatchObject({ ok: false, code: 'VALIDATION' })
  })

  it('answers "data": 5 with VALIDATION naming the field', async () => {
    const out = (await stack.api('demo-helper-1', { action: 'session.me', data: 5 })) as {
      code: string
      issues: Array<{ path: string }>
    }
    expect(out.code).toBe('VALIDATION')
    expect(out.issues.map((i) => i.path)).toContain('data')
  })

  it('answers unexpected input fields with VALIDATION', async () => {
    const out = (await stack.api('demo-helper-1', {
      action: 'session.me',
      data: { openid: 'demo-township' },
    })) as {
      code: string
    }
    expect(out.code).toBe('VALIDATION')
  })

  it('answers a missing action with VALIDATION', async () => {
    const out = (await stack.api('demo-helper-1', { data: {} })) as {
      code: string
      issues: Array<{ path: string }>
    }
    expect(out.code).toBe('VALIDATION')
    expect(out.issues.map((i) => i.path)).toContain('action')
  })
})

describe('the reminders function', () => {
  it('refuses a call from a user', async () => {
    const res = await fetch(`${stack.url}/cloud/reminders`, {
      method: 'POST',
      headers: { 'X-Local-Openid': 'demo-helper-1' },
      body: JSON.stringify({
        Type: 'Timer',
        TriggerName: 'morning-sweep',
        Time: new Date().toISOString(),
      }),
    })
    expect(((await res.json()) as { result: unknown }).result).toEqual({
      ok: false,
      code: 'FORBIDDEN',
    })
  })

  it('runs from its timer', async () => {
    // No children in the organisation-only demo: the run completes with nothing to send.
    const out = await stack.emulator.trigger('reminders')
    expect(out.ok && out.result).toMatchObject({ ok: true, phase: 'done', sent: 0 })
  })
})
