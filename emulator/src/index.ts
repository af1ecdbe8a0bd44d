// The local WeChat Cloud: starts the database, storage, openapi, function runtime, timers and the HTTP gateway.
import fs from 'node:fs'
import type { AddressInfo } from 'node:net'
import path from 'node:path'
import { createDatabaseService, type DatabaseSchema, type DatabaseService } from './admin/database'
import { EmulatorClock } from './clock'
import { FunctionPool, type LogSink } from './functions/pool'
import { TimerScheduler } from './functions/timers'
import { createGateway, timerEvent } from './gateway'
import { createOpenApiService, type OpenApiService } from './openapi'
import { createStorageService, type StorageRules, type StorageService } from './storage'

export { EmulatorClock } from './clock'
export type { DatabaseSchema } from './admin/database'
export type { StorageRules } from './storage'
export { timerEvent } from './gateway'

export type EmulatorOptions = {
  /** Where databases, files and message records live; survives restarts. */
  dataDir: string
  /** 0 picks a free port. Default 8787. */
  port?: number
  /** Environment id used when the SDK names none. Default `local`. */
  env?: string
  /** Folder of functions as WeChat deploys them: `<name>/index.js` + `config.json`. */
  functionsDir?: string
  /** Folder served at `/` (e.g. an h5 build). */
  staticDir?: string
  /** Collections and indexes that deployment creates (the same file a deployer follows in the console). */
  schema?: DatabaseSchema
  /** Storage security rules for client uploads; without them every client upload is refused. */
  storageRules?: StorageRules
  /** Subscription-message templates: id → field keys; when given, sends are checked against them. */
  templates?: Record<string, { title?: string; fields: Record<string, string> }>
  /** Fire timer triggers on the emulator clock. Default true. */
  timers?: boolean
  log?: LogSink
  maxInstancesPerFunction?: number
}

export type Emulator = {
  url: string
  adminUrl: string
  env: string
  clock: EmulatorClock
  database: DatabaseService
  storage: StorageService
  openapi: OpenApiService
  functions: FunctionPool
  /** Environment variables that point any CloudBase server SDK in another process at this emulator. */
  sdkEnv(): Record<string, string>
  /** Fires a function's timer trigger now, as the platform would. */
  trigger(functionName: string, triggerName?: string): ReturnType<FunctionPool['invoke']>
  close(): Promise<void>
}

export async function startEmulator(opts: EmulatorOptions): Promise<Emulator> {
  const dataDir = path.resolve(opts.dataDir)
  fs.mkdirSync(dataDir, { recursive: true })
  const env = opts.env ?? 'local'
  const clock = new EmulatorClock()
  let url = ''
  const publicUrl = () => url
  const adminUrl = () => `${url}/admin`

  const database = createDatabaseService({ dataDir, clock, schema: opts.schema })
  const storage = createStorageService({
    dataDir,
    clock,
    publicUrl,
    rules: opts.storageRules,
  })
  const openapi = createOpenApiService({ dataDir, clock, publicUrl, templates: opts.templates })
  const functionsDir = path.resolve(opts.functionsDir ?? path.join(dataDir, 'functions'))
  const functions = new FunctionPool({
    functionsDir,
    adminUrl,
    env,
    clock,
    log: opts.log,
    maxInstancesPerFunction: opts.maxInstancesPerFunction,
  })

  const trigger = async (functionName: string, triggerName?: string) => {
    const def = functions.definition(functionName)
    const t = def?.config.triggers.find((x) => !triggerName || x.name === triggerName)
    return functions.invoke(functionName, {
      event: timerEvent(t?.name ?? triggerName ?? 'timer', clock.now()),
      source: 'timer',
    })
  }

  const timers = new TimerScheduler(functionsDir, clock, async (fire) => {
    const out = await functions.invoke(fire.functionName, {
      event: timerEvent(fire.trigger.name, fire.at),
      source: 'timer',
    })
    if (!out.ok)
      console.error(
        `[emulator] timer ${fire.functionName}/${fire.trigger.name} failed: ${out.errMsg}`,
      )
  })

  const server = createGateway({
    defaultEnv: env,
    database,
    storage,
    openapi,
    functions,
    clock,
    staticDir: opts.staticDir,
    reset: async () => {
      database.reset()
      storage.reset()
      openapi.reset()
      clock.reset()
    },
  })
  // Slow clients must not hold sockets forever, but a long function call may take a minute.
  server.requestTimeout = 120_000
  // Clients drop idle keep-alive sockets after ~4 s (undici); the server must not close them first, or a
  // client that was busy (e.g. seeding in the same process) reuses a closed socket and gets ECONNRESET.
  server.keepAliveTimeout = 60_000
  server.headersTimeout = 65_000

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(opts.port ?? 8787, '127.0.0.1', () => resolve())
  })
  const { port } = server.address() as AddressInfo
  url = `http://127.0.0.1:${port}`
  if (opts.timers !== false) timers.start()

  return {
    url,
    adminUrl: adminUrl(),
    env,
    clock,
    database,
    storage,
    openapi,
    functions,
    sdkEnv: () => ({
      TCB_CONTEXT_CNFG: JSON.stringify({ URL: adminUrl() }),
      TENCENTCLOUD: 'true',
      TENCENTCLOUD_SECRETID: 'emulator',
      TENCENTCLOUD_SECRETKEY: 'emulator',
      TCB_ENV: env,
    }),
    trigger,
    close: async () => {
      timers.stop()
      await functions.close()
      await new Promise<void>((resolve) => {
        server.close(() => resolve())
        server.closeAllConnections()
      })
      database.close()
      openapi.close()
    },
  }
}
