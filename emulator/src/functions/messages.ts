// Messages between the emulator and a function instance (a child process), over the IPC channel.
import * as z from 'zod'

export const InvokeMessageSchema = z.object({
  type: z.literal('invoke'),
  id: z.number(),
  event: z.unknown(),
  context: z.record(z.string(), z.unknown()),
  /** Environment variables of this invocation only (identity, trigger source, tokens). */
  env: z.record(z.string(), z.string()),
  /** Emulator clock minus real time, so `new Date()` inside the function reads the emulator's now. */
  clockOffsetMs: z.number(),
})
export type InvokeMessage = z.infer<typeof InvokeMessageSchema>

export const WorkerMessageSchema = z.union([
  z.object({ type: z.literal('ready') }),
  z.object({ type: z.literal('load-error'), message: z.string() }),
  z.object({ type: z.literal('result'), id: z.number(), ok: z.literal(true), result: z.unknown() }),
  z.object({
    type: z.literal('result'),
    id: z.number(),
    ok: z.literal(false),
    error: z.object({ message: z.string(), stack: z.string().optional() }),
  }),
])
export type WorkerMessage = z.infer<typeof WorkerMessageSchema>
