// Authorization cases of contact-log photos: a log with a photo by demo-helper-1 in scope, others' logs out of scope.
import type { Role } from '../../../src/core/roles'
import type { Stack } from '../../support/stack'
import { uploadPhoto } from '../../support/photos'
import type { AuthzCases } from './types'

let inLog = ''
const outLog: Partial<Record<Role, string>> = {}

type Answer = { ok: boolean; data?: { log?: { id: string }; logs?: Array<{ id: string }> } }

export async function prepare(api: Stack['api'], stack?: Stack): Promise<void> {
  if (!stack) throw new Error('the photos cases need the stack')
  const photo = await uploadPhoto(stack.url, 'demo-helper-1')
  const at = new Date(Date.now() - 3600_000 + 8 * 3600_000).toISOString().replace('Z', '+08:00')
  const logged = (await api('demo-helper-1', {
    action: 'contacts.log',
    requestId: 'authz-photos-log',
    data: {
      childId: 'chd-demo-01',
      duty: 'home_visit',
      occurredAt: at,
      mode: 'in_person',
      learned: { mood: '情绪稳定' },
      photos: [photo],
    },
  })) as Answer
  if (!logged.ok || !logged.data?.log)
    throw new Error(`photos log failed: ${JSON.stringify(logged)}`)
  inLog = logged.data.log.id
  const firstLog = async (openid: string, childId: string) => {
    const list = (await api(openid, { action: 'contacts.list', data: { childId } })) as Answer
    const id = list.data?.logs?.[0]?.id
    if (!id) throw new Error(`no log of ${childId}`)
    return id
  }
  // A log of the other township's child (chd-other, seeded by the authorization test).
  const day = { $date: new Date(Date.now() - 86_400_000).toISOString() }
  await stack.seed({
    contact_logs: [
      {
        _id: 'log-other-township',
        childId: 'chd-other',
        pairingId: 'pr-other',
        helperId: 'usr-other-helper',
        helperName: '别镇帮扶人',
        villageId: 'vil-other',
        townshipId: 'twp-other',
        duty: 'home_visit',
        occurredAt: day,
        mode: 'in_person',
        learned: { dailyLife: '', study: '', health: '', mood: '情绪稳定' },
        problems: '',
        actions: '',
        createdAt: day,
        requestKey: 'usr-other-helper:seed-1',
        corrections: [],
        confirmation: null,
        photos: [],
      },
    ],
  })
  // helper: another helper's child; village officer: the other village; township: the other township
  outLog.helper = await firstLog('demo-village-1', 'chd-demo-11')
  outLog.village_officer = await firstLog('demo-village-2', 'chd-demo-23')
  outLog.township_officer = 'log-other-township'
}

export const cases: AuthzCases = {
  'contacts.photos': {
    inScope: () => ({ logId: inLog }),
    outOfScope: (role: Role) => ({ logId: outLog[role] ?? 'log-none' }),
  },
}
