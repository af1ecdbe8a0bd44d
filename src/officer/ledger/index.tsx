// Ledger export (台账): pick a month or quarter (and, for the township, a village), export, open the Excel file.
import { Text, View } from '@tarojs/components'
import { useState } from 'react'
import { LEDGER_SHEETS } from '../../core/ledger'
import type { ActionOutput } from '../../core/actions'
import { ActionButton } from '../../components'
import { Card, Notice, OfficerGate, Row, Screen, type Officer } from '../components'
import { usePeriodAndScope } from '../components/PeriodPicker'
import { periodLabel } from '../dashboard/periods'
import { openRemoteDocument } from '../download'
import { formatDateTime } from '../format'
import { useMutation } from '../hooks'

export default function LedgerPage() {
  return (
    <Screen title="导出台账">
      <OfficerGate>{(officer) => <Ledger officer={officer} />}</OfficerGate>
    </Screen>
  )
}

function Ledger({ officer }: { officer: Officer }) {
  const { period, villageId, controls } = usePeriodAndScope(officer)
  const exporter = useMutation('ledger.export')
  const [file, setFile] = useState<ActionOutput<'ledger.export'> | null>(null)
  const [openError, setOpenError] = useState<string | null>(null)

  const run = async () => {
    setFile(null)
    setOpenError(null)
    const out = await exporter.run({ period, ...(villageId ? { villageId } : {}) })
    if (!out) return
    setFile(out)
    const opened = await openRemoteDocument(out.tempFileURL, out.fileName)
    if (!opened.ok) setOpenError(opened.message)
  }

  return (
    <View>
      <Card>
        {controls}
        <Text className="o-muted">
          台账为Excel文件，含“{Object.values(LEDGER_SHEETS).join('”“')}
          ”四张表；身份证号、电话按规定脱敏。导出操作会记入审计日志。
        </Text>
      </Card>
      {exporter.error ? <Notice tone="error">{exporter.error.message}</Notice> : null}
      {openError ? <Notice tone="error">{openError}</Notice> : null}
      <ActionButton onClick={() => void run()} disabled={exporter.busy} testId="export-ledger">
        {exporter.busy ? '正在生成…' : `导出${periodLabel(period)}台账`}
      </ActionButton>
      {file ? (
        <Card title="已生成" testId="ledger-result">
          <Row label="文件">{file.fileName}</Row>
          <Row label="生成时间">{formatDateTime(file.createdAt)}</Row>
          <Row label={LEDGER_SHEETS.children}>{file.rows.children} 行</Row>
          <Row label={LEDGER_SHEETS.contacts}>{file.rows.contacts} 行</Row>
          <Row label={LEDGER_SHEETS.measures}>{file.rows.measures} 行</Row>
          <Row label={LEDGER_SHEETS.reports}>{file.rows.reports} 行</Row>
          <ActionButton
            variant="secondary"
            onClick={() => void openRemoteDocument(file.tempFileURL, file.fileName)}
            testId="open-ledger"
          >
            再次打开
          </ActionButton>
          <Text className="o-muted">下载链接有时效，过期后请重新导出。</Text>
        </Card>
      ) : null}
    </View>
  )
}
