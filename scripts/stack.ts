// Starts the whole local system: the emulator with Shouhu's functions, schema and (optionally) the h5 build.
import fs from 'node:fs'
import path from 'node:path'
import {
  startEmulator,
  type DatabaseSchema,
  type Emulator,
  type StorageRules,
} from '../emulator/src'
import { emulatorTemplates } from '../src/core/subscriptions-config'
import type { LogSink } from '../emulator/src/functions/pool'
import { FUNCTIONS_DIR } from './build-functions'

export const ROOT = path.resolve(__dirname, '..')
export const H5_DIR = path.join(ROOT, 'dist-h5')

export function loadSchema(): DatabaseSchema {
  const raw = JSON.parse(
    fs.readFileSync(path.join(ROOT, 'database', 'collections.json'), 'utf8'),
  ) as {
    collections: DatabaseSchema['collections']
  }
  return { collections: raw.collections }
}

/** The storage rules a deployer sets in the console: which client uploads are allowed. */
export function loadStorageRules(): StorageRules {
  const raw = JSON.parse(
    fs.readFileSync(path.join(ROOT, 'database', 'storage-rules.json'), 'utf8'),
  ) as StorageRules
  return { clientWrite: raw.clientWrite }
}

export async function startShouhu(opts: {
  dataDir: string
  port?: number
  staticDir?: string
  timers?: boolean
  log?: LogSink
}): Promise<Emulator> {
  return startEmulator({
    dataDir: opts.dataDir,
    port: opts.port,
    env: 'shouhu-local',
    functionsDir: FUNCTIONS_DIR,
    staticDir: opts.staticDir,
    schema: loadSchema(),
    storageRules: loadStorageRules(),
    // The same subscription templates as config/subscriptions.json: sends are checked against them.
    templates: emulatorTemplates(),
    timers: opts.timers,
    log: opts.log,
  })
}
