// Invite rules: status at a moment, refusals, scene tokens, and who may call the joining actions unregistered.
import { describe, expect, it } from 'vitest'
import { scopeFor } from '../../src/core/access'
import {
  InvitesCreateInput,
  InvitesJoinInput,
  inviteRefusal,
  inviteStatus,
  SceneSchema,
  scenePath,
} from '../../src/core/invites'

const NOW = new Date('2026-03-10T02:00:00Z')
const LATER = new Date('2026-03-17T02:00:00Z')

describe('inviteStatus', () => {
  it.each([
    ['usable', { revokedAt: null, uses: 0, maxUses: 1, expiresAt: LATER }, 'active'],
    ['last use left', { revokedAt: null, uses: 4, maxUses: 5, expiresAt: LATER }, 'active'],
    ['every use spent', { revokedAt: null, uses: 5, maxUses: 5, expiresAt: LATER }, 'used_up'],
    ['expiring this instant', { revokedAt: null, uses: 0, maxUses: 1, expiresAt: NOW }, 'expired'],
    ['revoked and spent', { revokedAt: NOW, uses: 1, maxUses: 1, expiresAt: LATER }, 'revoked'],
    ['spent and expired', { revokedAt: null, uses: 1, maxUses: 1, expiresAt: NOW }, 'used_up'],
  ] as const)('given an invite %s, it is %s', (_name, invite, expected) => {
    expect(inviteStatus(invite, NOW)).toBe(expected)
  })

  it('gives a Chinese refusal for every status but active', () => {
    expect(inviteRefusal('active')).toBeNull()
    expect(inviteRefusal('expired')).toContain('过期')
    expect(inviteRefusal('revoked')).toContain('作废')
    expect(inviteRefusal('used_up')).toContain('次数已满')
  })
})

describe('scene tokens', () => {
  it.each([
    ['I.abcdefghijklmnopqrst', true],
    ['C.ABCDEFGH_-ijklmnop12', true],
    ['H.abcdefghijklmnop', true],
    ['X.abcdefghijklmnopqrst', false],
    ['I.short', false],
    ['I.abcdefghijklmnopqrst%', false],
    ['I.abcdefghijklmnopqrstuvwxyz', false],
  ])('%s valid: %s', (scene, valid) => {
    expect(SceneSchema.safeParse(scene).success).toBe(valid)
  })

  it('fit in a mini-program code (≤ 32 characters) and make a page path', () => {
    expect('I.abcdefghijklmnopqrstuvwx'.length).toBeLessThanOrEqual(32)
    expect(scenePath('pages/join/index', 'I.ab-c_d')).toBe('pages/join/index?scene=I.ab-c_d')
  })
})

describe('input contracts', () => {
  it('defaults an invite to one use for 7 days, and caps both', () => {
    expect(InvitesCreateInput.parse({ role: 'helper' })).toEqual({
      role: 'helper',
      maxUses: 1,
      expiresInDays: 7,
    })
    expect(InvitesCreateInput.safeParse({ role: 'helper', maxUses: 51 }).success).toBe(false)
    expect(InvitesCreateInput.safeParse({ role: 'guardian' }).success).toBe(false)
    expect(InvitesCreateInput.safeParse({ role: 'township_officer' }).success).toBe(false)
  })

  it('normalises the phone of someone joining', () => {
    const v = InvitesJoinInput.parse({
      scene: 'I.abcdefghijklmnopqrst',
      displayName: ' 李老师 ',
      phone: '+86 138-1234-5678',
    })
    expect(v).toMatchObject({ displayName: '李老师', phone: '13812345678' })
    expect(
      InvitesJoinInput.safeParse({
        scene: 'I.abcdefghijklmnopqrst',
        displayName: '李',
        phone: '123',
      }).success,
    ).toBe(false)
  })
})

describe('access for unregistered WeChat users', () => {
  it.each([
    ['invites.peek', 'anyone'],
    ['invites.join', 'anyone'],
    ['confirmations.view', 'anyone'],
    ['confirmations.bind', 'anyone'],
    ['session.me', 'anyone'],
    ['invites.create', null],
    ['invites.list', null],
    ['confirmations.answer', null],
    ['checkins.scan', null],
    ['children.list', null],
    ['no.such.action', null],
  ])('%s → %s', (action, scope) => {
    expect(scopeFor(action, null)).toBe(scope)
  })

  it('keeps each role to its listed scope', () => {
    expect(scopeFor('invites.create', 'village_officer')).toBe('village')
    expect(scopeFor('invites.create', 'helper')).toBeNull()
    expect(scopeFor('confirmations.bind', 'guardian')).toBe('anyone')
    expect(scopeFor('confirmations.bind', 'helper')).toBeNull()
    expect(scopeFor('confirmations.answer', 'guardian')).toBe('guardian')
    expect(scopeFor('checkins.scan', 'helper')).toBe('paired')
    expect(scopeFor('checkins.scan', 'village_officer')).toBeNull()
  })
})
