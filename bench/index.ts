// `npm run bench`: runs every benchmark and prints its figures (targets are stated beside each).
import { benchDashboard } from './dashboard'
import { benchDuties } from './duties'
import { benchDatabase } from './emulator-db'
import { benchReminders } from './reminders'

async function main(): Promise<void> {
  const log = (line: string) => console.log(line)
  log(
    '# Emulator database (100,000 documents, through the real SDK over HTTP; target indexed p50 < 5 ms)',
  )
  await benchDatabase(log)
  log('')
  log('# duties.list (20,000 children, 240,000 contact logs; target ≤ 5 database calls, constant)')
  await benchDuties(log)
  log('')
  log('# stats.compliance, the supervision dashboard (target ≤ 10 database calls)')
  await benchDashboard(log)
  log('')
  log(
    '# The reminders sweep (100,000 pairings, 5% due; target ≤ 1.2 calls per message + ceil(due/1000))',
  )
  await benchReminders(log)
}

main().catch((err: unknown) => {
  console.error(err)
  process.exit(1)
})
