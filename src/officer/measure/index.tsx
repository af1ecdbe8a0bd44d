// Add a measure for one of a child's needs, or move one along (planned → in progress → done / stopped) with its outcome.
import { Text, View } from '@tarojs/components'
import Taro from '@tarojs/taro'
import { useState } from 'react'
import { MEASURE_KIND_LABELS, type MeasureKind } from '../../core/domain'
import {
  MEASURE_EVENT_LABELS,
  MEASURE_STATUS_LABELS,
  MEASURE_TRANSITIONS,
  PROVIDER_TYPES,
  PROVIDER_TYPE_LABELS,
  type MeasureEvent,
  type MeasureView,
  type ProviderType,
} from '../../core/measures'
import { ActionButton, ErrorState, LoadingState } from '../../components'
import { useApiQuery } from '../../services'
import {
  Card,
  Chips,
  Notice,
  OfficerGate,
  optionsOf,
  Row,
  Screen,
  Tag,
  TextField,
} from '../components'
import { formatDateTime } from '../format'
import { useMutation } from '../hooks'

export default function MeasurePage() {
  const params = Taro.getCurrentInstance().router?.params ?? {}
  const childId = decodeURIComponent(params.childId ?? '')
  const id = params.id ? decodeURIComponent(params.id) : null
  const kind = params.kind as MeasureKind | undefined
  return (
    <Screen title={id ? '帮扶措施' : '添加帮扶措施'}>
      <OfficerGate>{() => <MeasureLoader childId={childId} id={id} kind={kind} />}</OfficerGate>
    </Screen>
  )
}

function MeasureLoader({
  childId,
  id,
  kind,
}: {
  childId: string
  id: string | null
  kind?: MeasureKind
}) {
  const plan = useApiQuery('measures.list', { childId })
  if (plan.status === 'loading') return <LoadingState />
  if (plan.status === 'error') return <ErrorState error={plan.error} onRetry={plan.reload} />
  if (id) {
    const measure = plan.data.plan.measures.find((m) => m.id === id)
    return measure ? <MeasureEdit measure={measure} /> : <Notice tone="error">找不到该措施</Notice>
  }
  const needs = plan.data.plan.needs
  return (
    <MeasureCreate
      childId={childId}
      needs={needs}
      unmet={plan.data.plan.unmetNeeds}
      initialKind={kind}
    />
  )
}

function MeasureCreate({
  childId,
  needs,
  unmet,
  initialKind,
}: {
  childId: string
  needs: MeasureKind[]
  unmet: MeasureKind[]
  initialKind?: MeasureKind
}) {
  const [kind, setKind] = useState<MeasureKind | null>(
    initialKind && needs.includes(initialKind) ? initialKind : (unmet[0] ?? null),
  )
  const [what, setWhat] = useState('')
  const [providerType, setProviderType] = useState<ProviderType | null>(null)
  const [providerName, setProviderName] = useState('')
  const create = useMutation('measures.create')
  if (needs.length === 0) {
    return <Notice>该儿童档案中还没有登记帮扶需求，请先在档案“类别和需求”中选择需求。</Notice>
  }
  const submit = async () => {
    if (!kind || !providerType) return
    const out = await create.run({
      childId,
      kind,
      what,
      provider: { type: providerType, name: providerName },
    })
    if (out) {
      Taro.showToast({ title: '已添加', icon: 'success' })
      void Taro.navigateBack()
    }
  }
  return (
    <Card>
      <Chips
        label="针对的需求"
        options={needs.map((n) => ({
          value: n,
          label: `${MEASURE_KIND_LABELS[n]}${unmet.includes(n) ? '（缺措施）' : ''}`,
        }))}
        selected={kind ? [kind] : []}
        onToggle={setKind}
        error={create.fieldErrors.kind}
        testId="measure-kind"
      />
      <TextField
        label="帮扶内容"
        value={what}
        onChange={setWhat}
        multiline
        maxLength={200}
        error={create.fieldErrors.what}
      />
      <Chips
        label="提供方"
        options={optionsOf(PROVIDER_TYPES, PROVIDER_TYPE_LABELS)}
        selected={providerType ? [providerType] : []}
        onToggle={setProviderType}
        error={create.fieldErrors['provider.type']}
        testId="measure-provider"
      />
      <TextField
        label="提供方名称"
        value={providerName}
        onChange={setProviderName}
        maxLength={50}
        placeholder="如 镇民政办、某爱心企业"
        error={create.fieldErrors['provider.name']}
      />
      {create.error && !create.error.issues.length ? (
        <Notice tone="error">{create.error.message}</Notice>
      ) : null}
      <ActionButton
        onClick={() => void submit()}
        disabled={!kind || !providerType || create.busy}
        testId="save-measure"
      >
        保存措施
      </ActionButton>
    </Card>
  )
}

function MeasureEdit({ measure: initial }: { measure: MeasureView }) {
  const [m, setM] = useState(initial)
  const events = Object.keys(MEASURE_TRANSITIONS[m.status]) as MeasureEvent[]
  const [event, setEvent] = useState<MeasureEvent | null>(null)
  const [outcome, setOutcome] = useState(m.outcome)
  const update = useMutation('measures.update')
  const needsOutcome = event === 'complete' || event === 'stop'
  const submit = async () => {
    const out = await update.run({
      id: m.id,
      version: m.version,
      ...(event ? { event } : {}),
      ...(outcome.trim() !== m.outcome ? { outcome } : {}),
    })
    if (out) {
      setM(out.measure)
      setEvent(null)
      Taro.showToast({ title: '已更新', icon: 'success' })
    }
  }
  return (
    <View data-testid="measure-edit">
      <Card title={`${MEASURE_KIND_LABELS[m.kind]}`}>
        <Row label="帮扶内容">{m.what}</Row>
        <Row label="提供方">
          {PROVIDER_TYPE_LABELS[m.provider.type]} {m.provider.name}
        </Row>
        <Row label="状态">
          <Tag tone={m.status === 'stopped' ? 'warn' : m.status === 'done' ? 'ok' : 'plain'}>
            {MEASURE_STATUS_LABELS[m.status]}
          </Tag>
        </Row>
        {m.outcome ? <Row label="成效">{m.outcome}</Row> : null}
        {m.history.map((h, i) => (
          <Text key={i} className="o-muted">
            {formatDateTime(h.at)} · {MEASURE_STATUS_LABELS[h.to]}
          </Text>
        ))}
      </Card>
      {events.length > 0 ? (
        <Card title="更新状态和成效">
          <Chips
            label="状态变化"
            options={events.map((e) => ({ value: e, label: MEASURE_EVENT_LABELS[e] }))}
            selected={event ? [event] : []}
            onToggle={(e) => setEvent(event === e ? null : e)}
            testId="measure-event"
          />
          <TextField
            label={event === 'stop' ? '终止原因' : '帮扶成效'}
            value={outcome}
            onChange={setOutcome}
            multiline
            maxLength={500}
            error={update.fieldErrors.outcome}
            hint={needsOutcome ? '完成或终止时必须填写' : undefined}
          />
          {update.error && !update.error.issues.length ? (
            <Notice tone="error">{update.error.message}</Notice>
          ) : null}
          <ActionButton
            onClick={() => void submit()}
            disabled={update.busy}
            testId="update-measure"
          >
            保存
          </ActionButton>
        </Card>
      ) : null}
    </View>
  )
}
