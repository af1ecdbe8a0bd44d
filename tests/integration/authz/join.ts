// Authorization cases of the issue-5 actions: invites and joining, guardian confirmations, household check-in.
//
// Most of these actions take a scene token that only exists after another call: the runner must call
// `prepare(stack.api)` once after seeding (`startStack({ seed: 'full' })`) and before the cases, which
// read its `fixtures`. No case lets an unregistered caller join or bind (the runner's stranger must stay
// a stranger): the join case uses a revoked invite, the bind case wrong digits.
import type { AuthzCases } from './types'

type Api = (openid: string | null, body: unknown) => Promise<unknown>

/** Records the cases point at, made by `prepare` (empty until then). */
export const fixtures = {
  /** a helper invite of 清水村, 50 uses */
  inviteScene: '',
  /** a revoked invite: registered callers get CONFLICT (already joined), strangers CONFLICT (revoked) */
  revokedInviteScene: 'I.authzPlaceholder0000',
  /** an invite of 清水村 to revoke (revoking twice is allowed) */
  inviteIdVillage1: '',
  /** a token of demo-helper-1's log on chd-demo-01 (demo-guardian-1 is bound to that child) */
  confirmIn: '',
  /** a token on chd-demo-02 (demo-guardian-1 is not its guardian) */
  confirmOut: '',
  /** household codes of chd-demo-01 (demo-helper-1's) and chd-demo-11 (demo-helper-2's) */
  householdIn: '',
  householdOut: '',
}

async function ok<T>(api: Api, openid: string, action: string, data: unknown, requestId?: string) {
  const res = (await api(openid, { action, data, ...(requestId ? { requestId } : {}) })) as {
    ok: boolean
    data?: unknown
    code?: string
  }
  if (!res.ok) throw new Error(`authz prepare: ${action} failed with ${String(res.code)}`)
  return res.data as T
}

export async function prepare(api: Api): Promise<void> {
  const stamp = Date.now().toString(36)
  const invite = (openid: string) =>
    ok<{ invite: { id: string; scene: string } }>(api, openid, 'invites.create', {
      role: 'helper',
      maxUses: 50,
    })
  fixtures.inviteScene = (await invite('demo-village-1')).invite.scene
  fixtures.inviteIdVillage1 = (await invite('demo-village-1')).invite.id
  const revoked = (await invite('demo-village-1')).invite
  await ok(api, 'demo-village-1', 'invites.revoke', { id: revoked.id })
  fixtures.revokedInviteScene = revoked.scene
  const log = async (openid: string, childId: string, n: number) =>
    (
      await ok<{ log: { id: string } }>(
        api,
        openid,
        'contacts.log',
        {
          childId,
          duty: 'guardian_contact',
          occurredAt: new Date(Date.now() - 3_600_000).toISOString(),
          mode: 'phone',
          learned: { dailyLife: '正常' },
        },
        `authz-join-${stamp}-${n}`,
      )
    ).log.id
  const token = async (logId: string) =>
    (
      await ok<{ confirmation: { scene: string } }>(api, 'demo-helper-1', 'confirmations.create', {
        logId,
      })
    ).confirmation.scene
  fixtures.confirmIn = await token(await log('demo-helper-1', 'chd-demo-01', 1))
  fixtures.confirmOut = await token(await log('demo-helper-1', 'chd-demo-02', 3))
  const household = async (childId: string) =>
    (await ok<{ code: { scene: string } }>(api, 'demo-township', 'checkins.household', { childId }))
      .code.scene
  fixtures.householdIn = await household('chd-demo-01')
  fixtures.householdOut = await household('chd-demo-11')
}

export const cases: AuthzCases = {
  'invites.create': {
    inScope: () => ({ role: 'helper', villageId: 'vil-demo-1' }),
  },
  'invites.list': { inScope: () => ({}) },
  'invites.revoke': { inScope: () => ({ id: fixtures.inviteIdVillage1 }) },
  'invites.peek': { inScope: () => ({ scene: fixtures.inviteScene }) },
  // every demo user is registered already: the handler answers CONFLICT (the access check let it through)
  'invites.join': {
    inScope: () => ({
      scene: fixtures.revokedInviteScene,
      displayName: '测试',
      phone: '13800000000',
    }),
    expectInScope: 'CONFLICT',
  },
  'confirmations.create': {
    inScope: (_role, f) => ({ logId: f.recentLogId }),
    outOfScope: (_role, f) => ({ logId: f.otherLogId }),
  },
  'confirmations.view': { inScope: () => ({ scene: fixtures.confirmIn }) },
  // demo-guardian-1 is bound to chd-demo-01 already: bind answers the open view without a check
  // (the digits are wrong on purpose: a stranger gets VALIDATION and is not bound)
  'confirmations.bind': { inScope: () => ({ scene: fixtures.confirmIn, phoneLast4: '0000' }) },
  'confirmations.answer': {
    inScope: () => ({ scene: fixtures.confirmIn, answer: 'confirmed' }),
    outOfScope: () => ({ scene: fixtures.confirmOut, answer: 'confirmed' }),
    expectOutOfScope: 'FORBIDDEN',
  },
  'checkins.household': {
    inScope: (_role, f) => ({ childId: f.inChild }),
    outOfScope: (_role, f) => ({ childId: f.outChild }),
  },
  'checkins.scan': {
    inScope: () => ({ scene: fixtures.householdIn }),
    outOfScope: () => ({ scene: fixtures.householdOut }),
    expectOutOfScope: 'FORBIDDEN',
  },
}
