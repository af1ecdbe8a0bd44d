// Ledger export (台账): the contract of `ledger.export` and the sheet layout shared by the export and its readers.
import * as z from 'zod'
import type { ActionSpecs } from './action-spec'
import { IdSchema } from './org'
import { StatsPeriodKeySchema } from './stats'
import { InstantSchema } from './time'

/** Sheet names, in workbook order. */
export const LEDGER_SHEETS = {
  children: '儿童档案',
  contacts: '联系走访记录',
  measures: '帮扶措施',
  reports: '强制报告',
} as const

export const LedgerExportInput = z
  .object({
    /** '2026-03' or '2026-Q1' */
    period: StatsPeriodKeySchema,
    /** a township officer may narrow to one village; a village officer always exports their own */
    villageId: IdSchema.optional(),
  })
  .strict()

export const LedgerExportOutput = z.object({
  fileID: z.string(),
  /** a temporary download link (open with downloadFile + openDocument) */
  tempFileURL: z.string(),
  fileName: z.string(),
  periodKey: z.string(),
  /** data rows per sheet (header row not counted) */
  rows: z.object({
    children: z.number().int(),
    contacts: z.number().int(),
    measures: z.number().int(),
    reports: z.number().int(),
  }),
  createdAt: InstantSchema,
})

export const LEDGER_ACTIONS = {
  'ledger.export': { input: LedgerExportInput, output: LedgerExportOutput },
} as const satisfies ActionSpecs
