// Contract of the organisation lookups the officer pairing screen needs: villages in scope, helpers and their load.
import * as z from 'zod'
import type { ActionSpecs } from './action-spec'
import { HELPER_ORG_TYPES } from './domain'

/** A record id as the client sends it (ids are generated strings; never a name). */
export const IdSchema = z.string().trim().min(1, '请选择').max(64)

export const VillageSummarySchema = z.object({ id: z.string(), name: z.string() })
export type VillageSummary = z.infer<typeof VillageSummarySchema>

export const OrgVillagesInput = z.object({}).strict()
export const OrgVillagesOutput = z.object({ villages: z.array(VillageSummarySchema) })

export const HELPERS_LIST_MAX = 100

export const HelpersListInput = z
  .object({
    /** narrows to one village (a village officer only ever sees their own village's helpers) */
    villageId: IdSchema.optional(),
    /** part of the display name, case-insensitive */
    q: z.string().trim().min(1).max(20).optional(),
    limit: z.number().int().min(1).max(HELPERS_LIST_MAX).default(50),
  })
  .strict()

export const HelperSummarySchema = z.object({
  id: z.string(),
  displayName: z.string(),
  helperOrgType: z.enum(HELPER_ORG_TYPES).nullable(),
  /** null: a township-wide helper (e.g. a volunteer or social organisation) */
  villageId: z.string().nullable(),
  /** children paired with the helper now */
  load: z.number().int().min(0),
})
export type HelperSummary = z.infer<typeof HelperSummarySchema>

export const HelpersListOutput = z.object({
  helpers: z.array(HelperSummarySchema),
  /** true when more helpers match than `limit`: narrow with `q` or `villageId` */
  more: z.boolean(),
})

export const ORG_ACTIONS = {
  'org.villages': { input: OrgVillagesInput, output: OrgVillagesOutput },
  'helpers.list': { input: HelpersListInput, output: HelpersListOutput },
} as const satisfies ActionSpecs
