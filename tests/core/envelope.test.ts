// The wire envelope and the action table shared by client and server.
import { describe, expect, it } from 'vitest'
import { ACTIONS, isActionName } from '../../src/core/actions'
import { ApiRequestSchema, DEFAULT_MESSAGES, ERROR_CODES } from '../../src/core/envelope'
import { ROLE_LABELS, ROLES } from '../../src/core/roles'

describe('ApiRequestSchema', () => {
  it.each([
    [{ action: 'session.me', data: {} }, true],
    [{ action: 'session.me' }, true],
    [{ action: 'session.me', data: {}, requestId: 'req-12345678' }, true],
    [{ action: '', data: {} }, false],
    [{ action: 'session.me', data: 5 }, false],
    [{ action: 'session.me', data: [] }, false],
    [{ action: 'session.me', data: {}, requestId: 'short' }, false],
    ['{"action":', false],
    [null, false],
  ])('parses %j → %s', (input, ok) => {
    expect(ApiRequestSchema.safeParse(input).success).toBe(ok)
  })

  it('defaults data to an empty object', () => {
    expect(ApiRequestSchema.parse({ action: 'session.me' }).data).toEqual({})
  })
})

describe('the action table', () => {
  it('recognises only declared actions, never inherited object keys', () => {
    expect(isActionName('session.me')).toBe(true)
    expect(isActionName('toString')).toBe(false)
    expect(isActionName('constructor')).toBe(false)
  })

  it('session.me takes no fields and rejects any', () => {
    expect(ACTIONS['session.me'].input.safeParse({}).success).toBe(true)
    expect(ACTIONS['session.me'].input.safeParse({ openid: 'x' }).success).toBe(false)
  })
})

describe('messages shown to people', () => {
  it('every error code and role has a Chinese label', () => {
    for (const code of ERROR_CODES) expect(DEFAULT_MESSAGES[code]).toMatch(/[\u4e00-\u9fa5]/)
    for (const role of ROLES) expect(ROLE_LABELS[role]).toMatch(/^[\u4e00-\u9fa5]+$/)
  })
})
