// Handler of the ledger export (台账): builds the period's workbook in the function, stores it privately, returns a temporary link.
import { randomBytes } from 'node:crypto'
import * as z from 'zod'
import type { LEDGER_ACTIONS } from '../../core/ledger'
import { parsePeriodKey } from '../../core/time'
import { villageNamesOf } from '../children-store'
import { getCloud } from '../cloud'
import { DomainError } from '../errors'
import { buildWorkbook, loadLedger } from '../ledger-export'
import { COLLECTIONS } from '../records'
import type { Handlers } from '../router'
import { scopeMatch } from './stats'

/** How long the download link lasts (seconds). */
export const LEDGER_LINK_SECONDS = 60 * 60

const UploadAnswer = z.object({ fileID: z.string() })
const TempUrlAnswer = z.object({
  fileList: z.array(z.object({ fileID: z.string(), tempFileURL: z.string(), status: z.number() })),
})

export const ledgerHandlers: Handlers<keyof typeof LEDGER_ACTIONS> = {
  'ledger.export': async (input, ctx) => {
    const { actor } = ctx
    const now = ctx.now()
    const p = parsePeriodKey(input.period)
    if (!p) {
      throw new DomainError('VALIDATION', undefined, [{ path: 'period', message: '没有这个期间' }])
    }
    const scope = scopeMatch(actor, ctx.scope, input.villageId)
    if (!scope) throw new DomainError('FORBIDDEN')
    const villageNames = await villageNamesOf(actor.townshipId)
    if (scope.villageId !== undefined && !villageNames.has(scope.villageId)) {
      throw new DomainError('FORBIDDEN', '只能查看本镇的村')
    }
    const data = await loadLedger(scope, p)
    // Names for the contacts, measures and reports sheets (of every child in scope, archived too).
    const names = new Map(data.children.map((c) => [c._id, c.name]))
    const scopeName = scope.villageId ? (villageNames.get(scope.villageId) ?? '') : '全镇'
    const fileName = `台账-${scopeName}-${p.key}.xlsx`
    const bytes = await buildWorkbook(data, names, villageNames, { title: fileName, now })
    const cloud = getCloud()
    const id = `ldg-${randomBytes(8).toString('hex')}`
    const cloudPath = `ledgers/${actor.townshipId}/${p.key}-${id}.xlsx`
    const { fileID } = UploadAnswer.parse(await cloud.uploadFile({ cloudPath, fileContent: bytes }))
    const urls = TempUrlAnswer.parse(
      await cloud.getTempFileURL({ fileList: [{ fileID, maxAge: LEDGER_LINK_SECONDS }] }),
    )
    const tempFileURL = urls.fileList.find(
      (f) => f.fileID === fileID && f.status === 0,
    )?.tempFileURL
    if (!tempFileURL) throw new Error('getTempFileURL gave no link for the ledger')
    const rows = {
      children: data.children.length,
      contacts: data.logs.length,
      measures: data.measures.length,
      reports: data.reports.length,
    }
    await getCloud()
      .database()
      .collection(COLLECTIONS.ledgerExports)
      .add({
        data: {
          _id: id,
          townshipId: actor.townshipId,
          villageId: scope.villageId ?? null,
          periodKey: p.key,
          fileID,
          rows,
          createdBy: actor._id,
          createdAt: now,
        },
      })
    await ctx.audit({
      action: 'ledger.export',
      target: { type: 'ledger_export', id },
      detail: { periodKey: p.key, villageId: scope.villageId ?? null, ...rows },
    })
    return { fileID, tempFileURL, fileName, periodKey: p.key, rows, createdAt: now }
  },
}
