// Runs functions the way SCF does: warm child-process instances, one invocation at a time each, fresh context per call.
import { fork, type ChildProcess } from 'node:child_process'
import { randomBytes, randomUUID } from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import type { EmulatorClock } from '../clock'
import { loadFunction, type FunctionDefinition } from './config'
import { WorkerMessageSchema, type WorkerMessage } from './messages'

export type Invocation = {
  event: unknown
  /** WeChat identity of the caller; absent for timer triggers and server-side calls. */
  openid?: string
  appid?: string
  /** `timer` for a timer trigger; otherwise a call from the mini-program or another function. */
  source?: 'wx_client' | 'timer' | 'function'
}

export type InvocationResult =
  | { ok: true; result: unknown; requestId: string; durationMs: number }
  | { ok: false; errCode: number; errMsg: string; requestId: string; durationMs: number }

export type LogSink = (functionName: string, stream: 'stdout' | 'stderr', line: string) => void

export type FunctionPoolOptions = {
  functionsDir: string
  adminUrl: () => string
  env: string
  clock: EmulatorClock
  /** Most instances kept per function; further calls wait for a free one. */
  maxInstancesPerFunction?: number
  log?: LogSink
}

/** Error codes as the WeChat client reports them for callFunction failures. */
export const FUNCTION_ERRORS = {
  notFound: -501000,
  executeFail: -504002,
  timeout: -504003,
} as const

const here =
  typeof __dirname === 'string' ? __dirname : path.dirname(fileURLToPath(import.meta.url))
const WORKER = path.join(here, 'worker.ts')

type Pending = { resolve: (m: WorkerMessage) => void }

class Instance {
  readonly child: ChildProcess
  readonly loadedMtimeMs: number
  busy = false
  dead = false
  private readyPromise: Promise<void>
  private pending = new Map<number, Pending>()

  constructor(
    readonly def: FunctionDefinition,
    baseEnv: Record<string, string>,
    log: LogSink | undefined,
  ) {
    this.loadedMtimeMs = fs.statSync(def.entry).mtimeMs
    this.child = fork(WORKER, [def.entry], {
      cwd: def.dir,
      execArgv: ['--import', 'tsx'],
      env: baseEnv,
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
      serialization: 'json',
    })
    for (const stream of ['stdout', 'stderr'] as const) {
      let buffered = ''
      this.child[stream]?.on('data', (chunk: Buffer) => {
        buffered += chunk.toString('utf8')
        let nl: number
        while ((nl = buffered.indexOf('\n')) >= 0) {
          const line = buffered.slice(0, nl)
          buffered = buffered.slice(nl + 1)
          if (log) log(def.name, stream, line)
          else process[stream].write(`[fn:${def.name}] ${line}\n`)
        }
      })
    }
    this.readyPromise = new Promise((resolve, reject) => {
      this.child.on('message', (raw: unknown) => {
        const parsed = WorkerMessageSchema.safeParse(raw)
        if (!parsed.success) return
        const msg = parsed.data
        if (msg.type === 'ready') resolve()
        else if (msg.type === 'load-error') reject(new Error(msg.message))
        else {
          this.pending.get(msg.id)?.resolve(msg)
          this.pending.delete(msg.id)
        }
      })
      this.child.on('exit', (code) => {
        this.dead = true
        reject(new Error(`function instance exited with code ${code}`))
        for (const [id, p] of this.pending) {
          p.resolve({
            type: 'result',
            id,
            ok: false,
            error: { message: `instance exited with code ${code}` },
          })
        }
        this.pending.clear()
      })
    })
    // An instance that fails to load reports through ready(); avoid an unhandled rejection meanwhile.
    this.readyPromise.catch(() => undefined)
  }

  ready(): Promise<void> {
    return this.readyPromise
  }

  call(id: number, message: object): Promise<WorkerMessage> {
    return new Promise((resolve) => {
      this.pending.set(id, { resolve })
      this.child.send(message)
    })
  }

  kill(): void {
    this.dead = true
    this.child.kill('SIGKILL')
  }
}

export class FunctionPool {
  private instances = new Map<string, Instance[]>()
  private waiters = new Map<string, Array<() => void>>()
  private nextId = 1
  /** Per-function tokens: the admin API recognises which function calls it (for openapi permissions). */
  private tokens = new Map<string, string>()
  private closed = false

  constructor(private readonly opts: FunctionPoolOptions) {}

  definition(name: string): FunctionDefinition | null {
    return loadFunction(this.opts.functionsDir, name)
  }

  /** The function a `WX_API_TOKEN` belongs to, or null. */
  functionForToken(token: string): string | null {
    for (const [name, t] of this.tokens) if (t === token) return name
    return null
  }

  async invoke(name: string, inv: Invocation): Promise<InvocationResult> {
    const requestId = randomUUID()
    const started = Date.now()
    const fail = (errCode: number, errMsg: string): InvocationResult => ({
      ok: false,
      errCode,
      errMsg,
      requestId,
      durationMs: Date.now() - started,
    })
    if (this.closed) return fail(FUNCTION_ERRORS.executeFail, 'emulator is shutting down')
    let def: FunctionDefinition | null
    try {
      def = this.definition(name)
    } catch (err) {
      return fail(FUNCTION_ERRORS.executeFail, (err as Error).message)
    }
    if (!def)
      return fail(FUNCTION_ERRORS.notFound, `FunctionName parameter could not be found: ${name}`)

    const instance = await this.acquire(def)
    try {
      await instance.ready()
    } catch (err) {
      this.discard(instance)
      return fail(FUNCTION_ERRORS.executeFail, `function failed to load: ${(err as Error).message}`)
    }

    const id = this.nextId++
    const timeoutMs = def.config.timeout * 1000
    let timer: NodeJS.Timeout | undefined
    const timedOut = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), timeoutMs)
    })
    const outcome = await Promise.race([
      instance.call(id, {
        type: 'invoke',
        id,
        event: inv.event,
        context: {
          callbackWaitsForEmptyEventLoop: false,
          memory_limit_in_mb: 256,
          time_limit_in_ms: timeoutMs,
          request_id: requestId,
          function_name: name,
          function_version: '$LATEST',
          namespace: this.opts.env,
        },
        env: this.invocationEnv(def, inv),
        clockOffsetMs: this.opts.clock.offset,
      }),
      timedOut,
    ])
    clearTimeout(timer)

    if (outcome === 'timeout') {
      // As in SCF, a timed-out instance is not reused: its event loop may still be busy.
      this.discard(instance)
      return fail(
        FUNCTION_ERRORS.timeout,
        `Invoking task timed out after ${def.config.timeout} seconds`,
      )
    }
    this.release(instance)
    if (outcome.type !== 'result')
      return fail(FUNCTION_ERRORS.executeFail, 'unexpected message from instance')
    if (!outcome.ok) {
      return fail(
        FUNCTION_ERRORS.executeFail,
        `errorCode: 1, errorMessage: ${outcome.error.message}`,
      )
    }
    return { ok: true, result: outcome.result, requestId, durationMs: Date.now() - started }
  }

  /** Stops all instances; running calls end with an error. */
  async close(): Promise<void> {
    this.closed = true
    const all = [...this.instances.values()].flat()
    this.instances.clear()
    await Promise.all(
      all.map(
        (i) =>
          new Promise<void>((resolve) => {
            if (i.dead || i.child.exitCode !== null) return resolve()
            i.child.once('exit', () => resolve())
            i.kill()
          }),
      ),
    )
  }

  /** Instances and their state, for diagnostics and tests. */
  status(): Record<string, { instances: number; busy: number }> {
    const out: Record<string, { instances: number; busy: number }> = {}
    for (const [name, list] of this.instances) {
      out[name] = { instances: list.length, busy: list.filter((i) => i.busy).length }
    }
    return out
  }

  private baseEnv(def: FunctionDefinition): Record<string, string> {
    let token = this.tokens.get(def.name)
    if (!token) {
      token = `emu-${def.name}-${randomBytes(12).toString('hex')}`
      this.tokens.set(def.name, token)
    }
    const inherited: Record<string, string> = {}
    for (const key of ['PATH', 'HOME', 'NODE_OPTIONS', 'TMPDIR', 'LANG']) {
      const v = process.env[key]
      if (v !== undefined) inherited[key] = v
    }
    return {
      ...inherited,
      // The SDK reaches the emulator's admin endpoint; credentials are dummies (the SDK requires some).
      TCB_CONTEXT_CNFG: JSON.stringify({ URL: this.opts.adminUrl() }),
      TENCENTCLOUD: 'true',
      TENCENTCLOUD_RUNENV: 'SCF',
      TENCENTCLOUD_REGION: 'ap-shanghai',
      TENCENTCLOUD_SECRETID: 'emulator',
      TENCENTCLOUD_SECRETKEY: 'emulator',
      SCF_NAMESPACE: this.opts.env,
      TCB_ENV: this.opts.env,
      SCF_FUNCTIONNAME: def.name,
      WX_API_TOKEN: token,
      TZ: 'UTC',
      SILENCE: 'true',
    }
  }

  private invocationEnv(def: FunctionDefinition, inv: Invocation): Record<string, string> {
    const env: Record<string, string> = {}
    const keys: string[] = []
    const set = (key: string, value: string | undefined) => {
      if (value === undefined) return
      env[key] = value
      keys.push(key)
    }
    set('WX_OPENID', inv.openid)
    set('WX_APPID', inv.appid ?? (inv.openid ? 'wx-emulator-app' : undefined))
    set('WX_UNIONID', inv.openid ? '' : undefined)
    set('WX_CLIENTIP', inv.source === 'wx_client' ? '127.0.0.1' : undefined)
    // The SDK forwards only listed context keys; production lists the API tokens too (getWXContext hides them).
    keys.push('WX_API_TOKEN')
    if (inv.source === 'timer') keys.push('WX_TRIGGER_API_TOKEN_V0')
    env.WX_CONTEXT_KEYS = keys.join(',')
    env.TCB_SOURCE =
      inv.source === 'timer' ? 'timer' : inv.source === 'function' ? 'scf' : 'wx_client'
    env.TRIGGER_SRC = inv.source === 'timer' ? 'timer' : ''
    if (inv.source === 'timer') env.WX_TRIGGER_API_TOKEN_V0 = this.tokens.get(def.name) ?? ''
    return env
  }

  private async acquire(def: FunctionDefinition): Promise<Instance> {
    const max = this.opts.maxInstancesPerFunction ?? 4
    for (;;) {
      const list = this.instances.get(def.name) ?? []
      // Code rebuilt since an idle instance loaded it: retire that instance, as a redeploy would.
      const mtime = fs.statSync(def.entry).mtimeMs
      for (const stale of list.filter((i) => !i.busy && i.loadedMtimeMs !== mtime))
        this.discard(stale)
      const live = this.instances.get(def.name) ?? []
      const idle = live.find((i) => !i.busy && !i.dead)
      if (idle) {
        idle.busy = true
        return idle
      }
      if (live.length < max) {
        const created = new Instance(def, this.baseEnv(def), this.opts.log)
        created.busy = true
        created.child.on('exit', () => this.discard(created))
        this.instances.set(def.name, [...live, created])
        return created
      }
      await new Promise<void>((resolve) => {
        const queue = this.waiters.get(def.name) ?? []
        queue.push(resolve)
        this.waiters.set(def.name, queue)
      })
    }
  }

  private release(instance: Instance): void {
    instance.busy = false
    if (instance.dead) this.discard(instance)
    this.wakeOne(instance.def.name)
  }

  private discard(instance: Instance): void {
    const list = this.instances.get(instance.def.name) ?? []
    if (list.includes(instance)) {
      this.instances.set(
        instance.def.name,
        list.filter((i) => i !== instance),
      )
    }
    if (!instance.dead) instance.kill()
    this.wakeOne(instance.def.name)
  }

  private wakeOne(name: string): void {
    const queue = this.waiters.get(name)
    const next = queue?.shift()
    if (next) next()
  }
}
