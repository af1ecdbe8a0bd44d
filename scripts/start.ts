// `npm start`: builds the functions and the h5 app, starts the local cloud with demo data, prints where to open it.
import { spawnSync } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import * as z from 'zod'
import type { Emulator } from '../emulator/src'
import { buildFunctions } from './build-functions'
import { seedDemoData } from './demo-data'
import { H5_DIR, ROOT, startShouhu } from './stack'

async function main(): Promise<void> {
  const dataDir = path.resolve(process.env.SHOUHU_DATA_DIR ?? path.join(ROOT, '.data'))
  const port = Number(process.env.PORT ?? 8787)
  const fresh = !fs.existsSync(dataDir) || fs.readdirSync(dataDir).length === 0

  console.log('Building cloud functions…')
  await buildFunctions()
  if (process.env.SKIP_H5_BUILD !== '1') {
    console.log('Building the h5 app (about 20 s)…')
    const h5 = spawnSync('npx', ['taro', 'build', '--type', 'h5'], { cwd: ROOT, stdio: 'inherit' })
    if (h5.status !== 0) throw new Error('h5 build failed')
  }

  const emulator = await startShouhu({ dataDir, port, staticDir: H5_DIR })
  if (fresh) {
    await seedDemoData(emulator.url)
    console.log(`Loaded demo data into ${dataDir}`)
  } else {
    console.log(`Using existing data in ${dataDir} (delete the folder for fresh demo data)`)
    if (
      (await countOf(emulator, 'children')) > 0 &&
      (await countOf(emulator, 'stats_rollups')) === 0
    )
      console.warn(
        'This data folder predates the dashboard rollups (stats_rollups): the dashboard will show ' +
          'zeros. Delete the folder for fresh demo data.',
      )
  }
  console.log(`\nShouhu is running: open ${emulator.url}/ in a browser and pick a demo user.\n`)

  const stop = () => {
    void emulator.close().then(() => process.exit(0))
  }
  process.on('SIGINT', stop)
  process.on('SIGTERM', stop)
}

main().catch((err: unknown) => {
  console.error(err)
  process.exit(1)
})

/** Documents in a collection of the emulator's database. */
async function countOf(emulator: Emulator, collectionName: string): Promise<number> {
  const res = await emulator.database.handle(
    'database.calculateDocument',
    { action: 'database.calculateDocument', collectionName, query: '{}' },
    { env: emulator.env, requestId: 'start' },
  )
  return z.object({ data: z.object({ total: z.number() }) }).parse(res).data.total
}
