// Urgent report (强制报告), in three taps from a child's page: what kind of harm, what was seen, when (default: now).
// Open to a child's helper and to officers; the report reaches the township and village officers at once.
import { Text, View } from '@tarojs/components'
import Taro from '@tarojs/taro'
import { useState } from 'react'
import {
  REPORT_KINDS,
  REPORT_KIND_LABELS,
  type ReportKind,
  type UrgentReportView,
} from '../../core/reports'
import { chinaDate } from '../../core/time'
import { ActionButton, ErrorState, LoadingState } from '../../components'
import { Chips } from '../../officer/components/Chips'
import { TextField } from '../../officer/components/TextField'
import { newRequestId } from '../../officer/hooks'
import { callApi, toApiError, useApiQuery, useSession, type ApiError } from '../../services'
import './index.scss'

const CHINA_OFFSET_MS = 8 * 3600_000

/** 'YYYY-MM-DD HH:mm' in China time. */
function chinaMinute(at: Date): string {
  const shifted = new Date(at.getTime() + CHINA_OFFSET_MS)
  const hh = String(shifted.getUTCHours()).padStart(2, '0')
  const mm = String(shifted.getUTCMinutes()).padStart(2, '0')
  return `${chinaDate(at)} ${hh}:${mm}`
}

/** What the officer typed as China time, as an ISO instant with its offset; null if it is not a time. */
function parseChinaMinute(text: string): string | null {
  const m = /^(\d{4}-\d{2}-\d{2})[ T](\d{1,2}):(\d{2})$/.exec(text.trim())
  if (!m) return null
  const iso = `${m[1]}T${m[2]!.padStart(2, '0')}:${m[3]}:00+08:00`
  return Number.isNaN(new Date(iso).getTime()) ? null : iso
}

export default function ReportPage() {
  const childId = decodeURIComponent(Taro.getCurrentInstance().router?.params.childId ?? '')
  const session = useSession()
  if (!session.signedIn || session.status === 'loading') return <LoadingState />
  if (session.status === 'error')
    return <ErrorState error={session.error} onRetry={session.reload} />
  return <ReportForm childId={childId} />
}

function ReportForm({ childId }: { childId: string }) {
  const child = useApiQuery('children.get', { id: childId })
  const [kind, setKind] = useState<ReportKind | null>(null)
  const [seen, setSeen] = useState('')
  // "When" defaults to the moment the form opened; the person corrects it only if it was earlier.
  const [when, setWhen] = useState(() => chinaMinute(new Date()))
  const [requestId] = useState(newRequestId)
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<ApiError | null>(null)
  const [fieldErrors, setFieldErrors] = useState<Record<string, string>>({})
  const [done, setDone] = useState<UrgentReportView | null>(null)

  if (child.status === 'loading') return <LoadingState />
  if (child.status === 'error') return <ErrorState error={child.error} onRetry={child.reload} />
  const name = child.data.view === 'guardian' ? child.data.givenName : child.data.name

  const submit = async () => {
    const errors: Record<string, string> = {}
    if (!kind) errors.kind = '请选择情况类别'
    if (!seen.trim()) errors.seen = '请简要描述看到的情况'
    const occurredAt = parseChinaMinute(when)
    if (!occurredAt) errors.occurredAt = '时间格式应为 2026-03-10 15:30'
    else if (new Date(occurredAt).getTime() > Date.now() + 60_000)
      errors.occurredAt = '时间不能晚于现在'
    setFieldErrors(errors)
    if (!kind || !occurredAt || Object.keys(errors).length) return
    setBusy(true)
    setError(null)
    try {
      const out = await callApi(
        'reports.create',
        { childId, kind, seen, occurredAt },
        { requestId },
      )
      setDone(out.report)
    } catch (e) {
      const apiError = toApiError(e)
      setError(apiError)
      const byPath: Record<string, string> = {}
      for (const i of apiError.issues) byPath[i.path] ??= i.message
      setFieldErrors(byPath)
    } finally {
      setBusy(false)
    }
  }

  if (done) {
    const reachedAll = done.push.pushed && done.push.undeliverable.length === 0
    return (
      <View className="report" data-testid="report-sent">
        <Text className="report__title">报告已提交</Text>
        <Text className="report__child">{name}</Text>
        <View className="report__ok" role="status">
          <Text>镇未保办和村儿童主任已收到这份报告，会尽快处理。请保持电话畅通。</Text>
        </View>
        {!reachedAll ? (
          <View className="report__notice" role="status">
            <Text>
              部分人员未能收到微信通知，报告已在他们的首页标红提醒。情况紧急时请直接拨打电话，必要时报警（110）。
            </Text>
          </View>
        ) : null}
        <ActionButton onClick={() => void Taro.navigateBack()} testId="report-back">
          返回
        </ActionButton>
      </View>
    )
  }

  return (
    <View className="report" data-testid="report-form">
      <View role="heading" aria-level={1} className="report__title">
        强制报告
      </View>
      <Text className="report__child">儿童：{name}</Text>
      <Text className="report__explain">
        发现儿童遭受侵害、无人照料、失学辍学等情况，请立即报告。情况危急时请先报警（110）。
      </Text>
      <View className="report__card">
        <Chips
          label="发生了什么"
          options={REPORT_KINDS.map((value) => ({ value, label: REPORT_KIND_LABELS[value] }))}
          selected={kind ? [kind] : []}
          onToggle={setKind}
          error={fieldErrors.kind}
          testId="report-kind"
        />
        <TextField
          label="看到的情况"
          value={seen}
          onChange={setSeen}
          multiline
          maxLength={500}
          placeholder="简要写下看到、听到的情况"
          error={fieldErrors.seen}
        />
        <TextField
          label="发生时间（默认现在）"
          value={when}
          onChange={setWhen}
          maxLength={16}
          error={fieldErrors.occurredAt}
        />
      </View>
      {error && !error.issues.length ? (
        <View className="report__notice" role="alert">
          <Text>{error.message}</Text>
        </View>
      ) : null}
      <View className="report__actions">
        <ActionButton onClick={() => void submit()} disabled={busy} testId="submit-report">
          {busy ? '正在提交…' : '立即报告'}
        </ActionButton>
      </View>
    </View>
  )
}
