// Demo data for local use: the township, its two villages and a user for every role (openids in README).
import {
  DEMO_TOWNSHIP,
  DEMO_USERS,
  DEMO_VILLAGES,
  type DemoVillageKey,
} from '../src/local/demo-users'
import type { TownshipDoc, UserDoc, VillageDoc } from '../src/server/records'

export const DEMO_IDS = {
  township: 'twp-demo',
  villages: { 'village-1': 'vil-demo-1', 'village-2': 'vil-demo-2' } satisfies Record<
    DemoVillageKey,
    string
  >,
}

export type SeedBody = {
  collections: Record<string, Array<Record<string, unknown>>>
  grants?: unknown[]
}

export function demoSeed(): SeedBody {
  const townships: TownshipDoc[] = [{ _id: DEMO_IDS.township, name: DEMO_TOWNSHIP.name }]
  const villages: VillageDoc[] = (Object.keys(DEMO_VILLAGES) as DemoVillageKey[]).map((key) => ({
    _id: DEMO_IDS.villages[key],
    townshipId: DEMO_IDS.township,
    name: DEMO_VILLAGES[key].name,
  }))
  const users: UserDoc[] = DEMO_USERS.map((u) => ({
    _id: `usr-${u.openid}`,
    openid: u.openid,
    role: u.role,
    displayName: u.displayName,
    townshipId: DEMO_IDS.township,
    villageId: u.villageKey ? DEMO_IDS.villages[u.villageKey] : null,
    phone: null,
    helperOrgType: u.role === 'helper' ? 'teacher' : null,
    guardianOf: [],
  }))
  return { collections: { townships, villages, users } }
}

/** Loads the demo data into a running emulator through its seed endpoint. */
export async function seedDemoData(emulatorUrl: string): Promise<void> {
  const res = await fetch(`${emulatorUrl}/__emulator/seed`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(demoSeed()),
  })
  if (!res.ok) throw new Error(`seeding demo data failed: ${res.status} ${await res.text()}`)
}
