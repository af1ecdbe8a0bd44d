// The ledger (台账) workbook: the period's children, contacts, measures and urgent reports as four sheets (exceljs).
import ExcelJS from 'exceljs'
import * as z from 'zod'
import { DUTY_LABELS } from '../core/cadence'
import {
  CATEGORY_LABELS,
  CONTACT_MODE_LABELS,
  MEASURE_KIND_LABELS,
  RISK_LEVEL_LABELS,
} from '../core/domain'
import { LEDGER_SHEETS } from '../core/ledger'
import { MEASURE_STATUS_LABELS, PROVIDER_TYPE_LABELS } from '../core/measures'
import { HANDLING_ACTION_LABELS, REPORT_KIND_LABELS, REPORT_STATUS_LABELS } from '../core/reports'
import { chinaDate, type Period } from '../core/time'
import { ChildDoc, officerListItem } from './children-store'
import { getDb } from './cloud'
import { findMany } from './db'
import { ContactLogDoc } from './contacts-store'
import { MeasureDoc } from './measures-store'
import { COLLECTIONS } from './records'
import { ReportDoc } from './reports-store'
import type { ScopeMatch } from './stats-queries'

const PAGE = 1000

type Query = { skip(n: number): Query; limit(n: number): Query; get(): unknown }

/** Every document a query matches, a page of 1000 at a time (the platform's cap per get()). */
async function all<S extends z.ZodType>(schema: S, query: unknown): Promise<Array<z.output<S>>> {
  const q = query as Query
  const out: Array<z.output<S>> = []
  for (let skip = 0; ; skip += PAGE) {
    const page = await findMany(schema, q.skip(skip).limit(PAGE))
    out.push(...page)
    if (page.length < PAGE) return out
  }
}

function chinaTime(d: Date | null): string {
  if (!d) return ''
  const t = new Date(d.getTime() + 8 * 3_600_000).toISOString()
  return `${t.slice(0, 10)} ${t.slice(11, 16)}`
}

export type LedgerData = {
  children: ChildDoc[]
  logs: ContactLogDoc[]
  measures: MeasureDoc[]
  reports: ReportDoc[]
}

/**
 * The period's records in scope: children active now or archived during or after the period; logs
 * that occurred in it; measures of those children; reports raised before its end and not closed before its start.
 */
export async function loadLedger(scope: ScopeMatch, p: Period): Promise<LedgerData> {
  const db = getDb()
  const _ = db.command
  const [children, logs, measures, reports] = await Promise.all([
    all(ChildDoc, db.collection(COLLECTIONS.children).where(scope).orderBy('_id', 'asc')),
    all(
      ContactLogDoc,
      db
        .collection(COLLECTIONS.contactLogs)
        .where({ ...scope, occurredAt: _.gte(p.start).and(_.lt(p.end)) })
        .orderBy('occurredAt', 'asc')
        .orderBy('_id', 'asc'),
    ),
    all(MeasureDoc, db.collection(COLLECTIONS.measures).where(scope).orderBy('_id', 'asc')),
    all(
      ReportDoc,
      db
        .collection(COLLECTIONS.urgentReports)
        .where(
          _.and([
            scope,
            { createdAt: _.lt(p.end) },
            _.or([{ closedAt: null }, { closedAt: _.gte(p.start) }]),
          ]),
        )
        .orderBy('createdAt', 'asc')
        .orderBy('_id', 'asc'),
    ),
  ])
  const listed = children.filter(
    (c) => c.status === 'active' || (c.archive && c.archive.at.getTime() >= p.start.getTime()),
  )
  return { children: listed, logs, measures, reports }
}

const CONFIRMATION_LABELS = { confirmed: '已确认', disputed: '有异议' } as const

/** The workbook as bytes. Children appear as the officer list row (ID number masked; no address, phones or notes). */
export async function buildWorkbook(
  data: LedgerData,
  allChildNames: ReadonlyMap<string, string>,
  villageNames: ReadonlyMap<string, string>,
  meta: { title: string; now: Date },
): Promise<Buffer> {
  const wb = new ExcelJS.Workbook()
  wb.creator = '守护'
  wb.created = meta.now
  const sheet = (name: string, columns: Array<[string, number]>) => {
    const ws = wb.addWorksheet(name)
    ws.columns = columns.map(([header, width]) => ({ header, width }))
    ws.getRow(1).font = { bold: true }
    return ws
  }
  const childName = (id: string) => allChildNames.get(id) ?? ''
  const village = (id: string) => villageNames.get(id) ?? ''

  const children = sheet(LEDGER_SHEETS.children, [
    ['编号', 18],
    ['村', 10],
    ['姓名', 10],
    ['性别', 6],
    ['出生日期', 12],
    ['年龄', 6],
    ['身份证号', 22],
    ['学校', 16],
    ['年级', 8],
    ['困境类别', 24],
    ['风险等级', 8],
    ['需求', 24],
    ['状态', 8],
  ])
  for (const c of data.children) {
    const row = officerListItem(c, { villageNames, now: meta.now })
    children.addRow([
      row.id,
      row.villageName,
      row.name,
      row.sex === 'male' ? '男' : '女',
      row.birthDate,
      row.age,
      row.idNumberMasked ?? '',
      row.school,
      row.grade,
      row.categories.map((k) => CATEGORY_LABELS[k]).join('、'),
      RISK_LEVEL_LABELS[row.riskLevel],
      row.needs.map((k) => MEASURE_KIND_LABELS[k]).join('、'),
      row.status === 'active' ? '在册' : '已归档',
    ])
  }

  const contacts = sheet(LEDGER_SHEETS.contacts, [
    ['记录编号', 18],
    ['时间', 17],
    ['村', 10],
    ['儿童', 10],
    ['事项', 10],
    ['方式', 6],
    ['帮扶人', 10],
    ['监护人确认', 10],
    ['确认时间', 17],
    ['发现问题', 30],
    ['采取措施', 30],
  ])
  for (const l of data.logs) {
    contacts.addRow([
      l._id,
      chinaTime(l.occurredAt),
      village(l.villageId),
      childName(l.childId),
      DUTY_LABELS[l.duty],
      CONTACT_MODE_LABELS[l.mode],
      l.helperName,
      l.confirmation ? CONFIRMATION_LABELS[l.confirmation.answer] : '未确认',
      chinaTime(l.confirmation?.at ?? null),
      l.problems,
      l.actions,
    ])
  }

  const measures = sheet(LEDGER_SHEETS.measures, [
    ['措施编号', 18],
    ['村', 10],
    ['儿童', 10],
    ['类别', 10],
    ['内容', 30],
    ['提供方类型', 10],
    ['提供方', 16],
    ['状态', 8],
    ['成效', 30],
    ['登记日期', 12],
    ['更新日期', 12],
  ])
  for (const m of data.measures) {
    measures.addRow([
      m._id,
      village(m.villageId),
      childName(m.childId),
      MEASURE_KIND_LABELS[m.kind],
      m.what,
      PROVIDER_TYPE_LABELS[m.provider.type],
      m.provider.name,
      MEASURE_STATUS_LABELS[m.status],
      m.outcome,
      chinaDate(m.createdAt),
      chinaDate(m.updatedAt),
    ])
  }

  const reports = sheet(LEDGER_SHEETS.reports, [
    ['报告编号', 18],
    ['报告时间', 17],
    ['村', 10],
    ['儿童', 10],
    ['类型', 20],
    ['发现时间', 17],
    ['情况', 30],
    ['报告人', 10],
    ['状态', 8],
    ['接收时间', 17],
    ['处置措施', 20],
    ['办结时间', 17],
    ['办结情况', 30],
  ])
  for (const r of data.reports) {
    reports.addRow([
      r._id,
      chinaTime(r.createdAt),
      village(r.villageId),
      r.childName,
      REPORT_KIND_LABELS[r.kind],
      chinaTime(r.occurredAt),
      r.seen,
      r.reportedBy.name,
      REPORT_STATUS_LABELS[r.status],
      chinaTime(r.receivedAt),
      r.actions.map((a) => HANDLING_ACTION_LABELS[a]).join('、'),
      chinaTime(r.closedAt),
      r.outcome,
    ])
  }
  wb.title = meta.title
  return Buffer.from(await wb.xlsx.writeBuffer())
}
