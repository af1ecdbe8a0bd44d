// A warm function instance, as Tencent SCF runs one: loads index.js once, serves one invocation at a time.
import * as path from 'node:path'
import { InvokeMessageSchema, type WorkerMessage } from './messages'

const entry = process.argv[2]
if (!entry || !process.send) {
  console.error('worker: usage: fork(worker, [entry]) with an IPC channel')
  process.exit(2)
}

const send = (message: WorkerMessage) => process.send?.(message)

/** Emulator clock minus real time, updated with every invocation. */
let clockOffsetMs = 0

installClock()

type Main = (event: unknown, context: unknown) => unknown
let main: Main
try {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- function code is CommonJS, loaded as SCF loads it
  const mod: unknown = require(path.resolve(entry))
  const candidate =
    typeof mod === 'object' && mod !== null ? (mod as { main?: unknown }).main : undefined
  if (typeof candidate !== 'function') throw new Error(`${entry} does not export main`)
  main = candidate as Main
  send({ type: 'ready' })
} catch (err) {
  send({
    type: 'load-error',
    message: err instanceof Error ? (err.stack ?? err.message) : String(err),
  })
  process.exit(1)
}

/** Variables set for the previous invocation, cleared before the next so identity never leaks across calls. */
let invocationKeys: string[] = []

process.on('message', (raw: unknown) => {
  const parsed = InvokeMessageSchema.safeParse(raw)
  if (!parsed.success) return
  const msg = parsed.data
  for (const key of invocationKeys) delete process.env[key]
  invocationKeys = Object.keys(msg.env)
  Object.assign(process.env, msg.env)
  clockOffsetMs = msg.clockOffsetMs
  Promise.resolve()
    .then(() => main(msg.event, msg.context))
    .then(
      (result) => send({ type: 'result', id: msg.id, ok: true, result: toJsonValue(result) }),
      (err: unknown) =>
        send({
          type: 'result',
          id: msg.id,
          ok: false,
          error:
            err instanceof Error
              ? { message: err.message, stack: err.stack }
              : { message: String(err) },
        }),
    )
})

/** The function's answer crosses the wire as JSON, as in the cloud (Dates become strings, undefined drops). */
function toJsonValue(value: unknown): unknown {
  return value === undefined ? null : (JSON.parse(JSON.stringify(value)) as unknown)
}

/**
 * Function code reads time with `new Date()` / `Date.now()` exactly as in production; here those read the
 * emulator clock, so tests and demos can move time without the code knowing about the emulator.
 */
function installClock(): void {
  const RealDate = Date
  class EmulatorDate extends RealDate {
    constructor(...args: unknown[]) {
      if (args.length === 0) super(RealDate.now() + clockOffsetMs)
      else super(...(args as [string | number | Date]))
    }
    static override now(): number {
      return RealDate.now() + clockOffsetMs
    }
  }
  globalThis.Date = EmulatorDate as DateConstructor
}
