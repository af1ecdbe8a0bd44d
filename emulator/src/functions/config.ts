// Reads a cloud function's folder as WeChat deploys it: index.js plus config.json (permissions, triggers, timeout).
import fs from 'node:fs'
import path from 'node:path'
import * as z from 'zod'

const TriggerSchema = z.object({
  name: z.string().min(1),
  type: z.literal('timer'),
  config: z.string().min(1),
})

const FunctionConfigSchema = z.object({
  permissions: z.object({ openapi: z.array(z.string()).default([]) }).default({ openapi: [] }),
  triggers: z.array(TriggerSchema).default([]),
  /** Seconds; WeChat's default is 3 and its console allows up to 60. */
  timeout: z.number().int().positive().max(900).default(3),
})

export type FunctionConfig = z.infer<typeof FunctionConfigSchema>
export type TimerTrigger = z.infer<typeof TriggerSchema>

export type FunctionDefinition = {
  name: string
  dir: string
  entry: string
  config: FunctionConfig
}

/** Each sub-folder of `functionsDir` with an index.js is a function; a missing config.json means defaults. */
export function discoverFunctions(functionsDir: string): Map<string, FunctionDefinition> {
  const found = new Map<string, FunctionDefinition>()
  if (!fs.existsSync(functionsDir)) return found
  for (const entry of fs.readdirSync(functionsDir, { withFileTypes: true })) {
    if (!entry.isDirectory()) continue
    const def = loadFunction(functionsDir, entry.name)
    if (def) found.set(def.name, def)
  }
  return found
}

export function loadFunction(functionsDir: string, name: string): FunctionDefinition | null {
  if (!/^[A-Za-z0-9_-]{1,60}$/.test(name)) return null
  const dir = path.join(functionsDir, name)
  const entry = path.join(dir, 'index.js')
  if (!fs.existsSync(entry)) return null
  const configFile = path.join(dir, 'config.json')
  let raw: unknown = {}
  if (fs.existsSync(configFile)) {
    try {
      raw = JSON.parse(fs.readFileSync(configFile, 'utf8'))
    } catch (err) {
      throw new Error(`${configFile} is not valid JSON: ${(err as Error).message}`, { cause: err })
    }
  }
  const parsed = FunctionConfigSchema.safeParse(raw)
  if (!parsed.success) throw new Error(`${configFile} is invalid: ${parsed.error.message}`)
  return { name, dir, entry, config: parsed.data }
}
