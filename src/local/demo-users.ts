// The fixed demo identities of local mode: shown by the h5 sign-in page and loaded by the seed script.
// Data only (no Taro, no I/O) so Node scripts can import it.
import type { Role } from '../core/roles'

export type DemoVillageKey = 'village-1' | 'village-2'

export interface DemoUser {
  /** Stands in for the WeChat OPENID; sent as X-Local-Openid to the local gateway. */
  openid: string
  role: Role
  displayName: string
  /** The village the user belongs to; null for township-wide users. */
  villageKey: DemoVillageKey | null
}

export const DEMO_TOWNSHIP = { key: 'township-1', name: '青山镇' } as const

export const DEMO_VILLAGES: Readonly<Record<DemoVillageKey, { name: string }>> = {
  'village-1': { name: '清水村' },
  'village-2': { name: '石桥村' },
}

export const DEMO_USERS: readonly DemoUser[] = [
  { openid: 'demo-township', role: 'township_officer', displayName: '王主任', villageKey: null },
  {
    openid: 'demo-village-1',
    role: 'village_officer',
    displayName: '李秀英',
    villageKey: 'village-1',
  },
  {
    openid: 'demo-village-2',
    role: 'village_officer',
    displayName: '赵德明',
    villageKey: 'village-2',
  },
  { openid: 'demo-helper-1', role: 'helper', displayName: '张丽华', villageKey: 'village-1' },
  { openid: 'demo-helper-2', role: 'helper', displayName: '陈志强', villageKey: 'village-1' },
  { openid: 'demo-helper-3', role: 'helper', displayName: '刘芳', villageKey: 'village-2' },
  { openid: 'demo-guardian-1', role: 'guardian', displayName: '周桂兰', villageKey: 'village-1' },
]

export function findDemoUser(openid: string): DemoUser | undefined {
  return DEMO_USERS.find((user) => user.openid === openid)
}
