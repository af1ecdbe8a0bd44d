// Test stack: functions built, a fresh emulator in a temporary data folder, demo data loaded on request.
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import type { Emulator } from '../../emulator/src'
import { buildFunctions } from '../../scripts/build-functions'
import { seedDemoData, type DemoScope } from '../../scripts/demo-data'
import { H5_DIR, startShouhu } from '../../scripts/stack'

let built: Promise<string[]> | null = null

export type Stack = {
  url: string
  emulator: Emulator
  dataDir: string
  /** Calls the `api` function as the given openid, as the h5 app does; returns the function's result. */
  api(openid: string | null, body: unknown): Promise<unknown>
  close(): Promise<void>
}

/** `seed: true` loads the organisation and demo users; `'full'` also the demo children, pairings and logs. */
export async function startStack(
  opts: { seed?: boolean | DemoScope; staticDir?: string; dataDir?: string } = {},
): Promise<Stack> {
  built ??= buildFunctions()
  await built
  const dataDir = opts.dataDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'shouhu-test-'))
  const logs: string[] = []
  const emulator = await startShouhu({
    dataDir,
    port: 0,
    staticDir: opts.staticDir ?? H5_DIR,
    timers: false,
    log: (fn, stream, line) => {
      logs.push(`[${fn}:${stream}] ${line}`)
    },
  })
  if (opts.seed) await seedDemoData(emulator.url, opts.seed === true ? 'org' : opts.seed)
  return {
    url: emulator.url,
    emulator,
    dataDir,
    async api(openid, body) {
      const res = await fetch(`${emulator.url}/cloud/api`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          ...(openid ? { 'X-Local-Openid': openid } : {}),
        },
        body: typeof body === 'string' ? body : JSON.stringify(body),
      })
      const answer = (await res.json()) as { result?: unknown; errMsg?: string }
      if (!res.ok)
        throw new Error(
          `callFunction failed: ${res.status} ${answer.errMsg ?? ''}\n${logs.join('\n')}`,
        )
      return answer.result
    },
    async close() {
      await emulator.close()
      if (!opts.dataDir) fs.rmSync(dataDir, { recursive: true, force: true })
    },
  }
}
