// The shape of an action's contract: a zod schema for its input and one for its output.
import type * as z from 'zod'

export type ActionSpec = { input: z.ZodType; output: z.ZodType }
export type ActionSpecs = Record<string, ActionSpec>
