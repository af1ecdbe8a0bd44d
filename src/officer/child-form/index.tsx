// Register or edit a child in four short steps (basic facts; family and guardians; categories and needs; consent).
// A duplicate answer shows the existing record and lets the officer confirm it is a different child.
import { Text, View } from '@tarojs/components'
import Taro from '@tarojs/taro'
import { useEffect, useRef, useState } from 'react'
import { CONSENT_STATE_LABELS, SEX_LABELS, SEXES, type ChildOfficerView } from '../../core/children'
import {
  ACADEMIC_SUBTYPES,
  ACADEMIC_SUBTYPE_LABELS,
  CONSENT_METHODS,
  CONSENT_METHOD_LABELS,
  CONSENT_SCOPES,
  CONSENT_SCOPE_LABELS,
  GUARDIAN_RELATIONS,
  GUARDIAN_RELATION_LABELS,
  HOME_VISIT_FREQUENCIES,
  HOME_VISIT_FREQUENCY_LABELS,
  PARENT_STATUSES,
  PARENT_STATUS_LABELS,
} from '../../core/domain'
import { ActionButton, ErrorState, LoadingState } from '../../components'
import { useApiQuery, type ApiError } from '../../services'
import {
  Card,
  Chips,
  Notice,
  OfficerGate,
  optionsOf,
  Row,
  Screen,
  TextField,
  type Officer,
} from '../components'
import { formatDay } from '../format'
import { useMutation } from '../hooks'
import { CATEGORY_OPTIONS, NEED_OPTIONS, PAGES, RISK_OPTIONS } from '../labels'
import {
  consentInput,
  createInput,
  draftOf,
  emptyDraft,
  stepIssues,
  stepOfPath,
  STEPS,
  updateInput,
  type Draft,
  type GuardianDraft,
  type ParentDraft,
} from './draft'

const LIMIT_GUARDIANS = 5

export default function ChildFormPage() {
  const id = Taro.getCurrentInstance().router?.params.id
  return (
    <Screen title={id ? '修改儿童档案' : '登记新儿童'}>
      <OfficerGate>
        {(officer) =>
          id ? (
            <EditLoader id={decodeURIComponent(id)} officer={officer} />
          ) : (
            <ChildForm officer={officer} />
          )
        }
      </OfficerGate>
    </Screen>
  )
}

function EditLoader({ id, officer }: { id: string; officer: Officer }) {
  const child = useApiQuery('children.get', { id })
  if (child.status === 'loading') return <LoadingState />
  if (child.status === 'error') return <ErrorState error={child.error} onRetry={child.reload} />
  if (child.data.view !== 'officer') return <Notice tone="error">无权修改该档案</Notice>
  return <ChildForm officer={officer} existing={child.data} />
}

function ChildForm({ officer, existing }: { officer: Officer; existing?: ChildOfficerView }) {
  const [draft, setDraft] = useState<Draft>(() =>
    existing ? draftOf(existing) : emptyDraft(officer.villageId ?? ''),
  )
  const [step, setStep] = useState(0)
  const [shown, setShown] = useState<Record<string, string>>({})
  const [duplicate, setDuplicate] = useState<ApiError | null>(null)
  const create = useMutation('children.create')
  const update = useMutation('children.update')
  const consent = useMutation('children.consent')
  const busy = create.busy || update.busy || consent.busy
  const current = STEPS[step] ?? STEPS[0]
  const last = step === STEPS.length - 1

  const patch = (p: Partial<Draft>) => setDraft((d) => ({ ...d, ...p }))
  const err = (path: string) => shown[path]

  const next = () => {
    const issues = stepIssues(draft, current.key, !!existing)
    setShown(issues)
    if (Object.keys(issues).length === 0) setStep((s) => s + 1)
  }

  const savedRef = useRef<ChildOfficerView | null>(null)
  const saveError = create.error ?? update.error
  useEffect(() => {
    const error = saveError
    if (!error) return
    if (error.code === 'CONFLICT' && /档案编号/.test(error.message)) {
      setDuplicate(error)
      return
    }
    const byPath: Record<string, string> = {}
    for (const i of error.issues) byPath[i.path] ??= i.message
    setShown(byPath)
    const first = error.issues[0]
    if (first) setStep(STEPS.findIndex((s) => s.key === stepOfPath(first.path)))
  }, [saveError])

  const submit = async (confirmNotDuplicate = false) => {
    const issues = stepIssues(draft, 'consent', !!existing)
    setShown(issues)
    if (Object.keys(issues).length) return
    setDuplicate(null)
    // A record saved before its consent failed is not saved twice when the officer retries.
    const saved =
      savedRef.current ??
      (existing
        ? await update.run(updateInput(draft, existing.id, existing.version, confirmNotDuplicate))
        : await create.run(createInput(draft, confirmNotDuplicate)))
    if (!saved) return
    savedRef.current = saved
    if (draft.consent.record) {
      const withConsent = await consent.run(consentInput(draft, saved.id, saved.version))
      if (!withConsent) return
    }
    Taro.showToast({ title: existing ? '已保存' : '已登记', icon: 'success' })
    if (existing) void Taro.navigateBack()
    else void Taro.redirectTo({ url: PAGES.child(saved.id) })
  }

  // Failures of the last call (create/update first, then consent).
  const lastError = create.error ?? update.error ?? consent.error
  const onSubmit = async (confirm = false) => {
    await submit(confirm)
  }

  return (
    <View data-testid="child-form">
      <View className="o-steps" aria-label={`第${step + 1}步，共${STEPS.length}步`}>
        {STEPS.map((s, i) => (
          <Text
            key={s.key}
            className={`o-step${i === step ? ' o-step--on' : ''}${i < step ? ' o-step--done' : ''}`}
          >
            {i + 1}. {s.title}
          </Text>
        ))}
      </View>
      <Card title={`第${step + 1}步：${current.title}`} testId={`step-${current.key}`}>
        {current.key === 'basic' ? (
          <BasicStep draft={draft} patch={patch} err={err} officer={officer} existing={existing} />
        ) : current.key === 'family' ? (
          <FamilyStep draft={draft} patch={patch} err={err} />
        ) : current.key === 'needs' ? (
          <NeedsStep draft={draft} patch={patch} err={err} />
        ) : (
          <ConsentStep draft={draft} patch={patch} err={err} existing={existing} />
        )}
      </Card>

      {duplicate ? (
        <DuplicateCard
          error={duplicate}
          busy={busy}
          onConfirm={() => void onSubmit(true)}
          onCancel={() => setDuplicate(null)}
        />
      ) : null}
      {lastError && !duplicate && !lastError.issues.length ? (
        <Notice tone="error">{lastError.message}</Notice>
      ) : null}
      {Object.keys(shown).length ? <Notice tone="error">请按提示修改标红的内容</Notice> : null}

      <View className="o-actions">
        {last ? (
          <ActionButton onClick={() => void onSubmit()} disabled={busy} testId="submit-child">
            {busy ? '正在保存…' : existing ? '保存修改' : '提交登记'}
          </ActionButton>
        ) : (
          <ActionButton onClick={next} testId="next-step">
            下一步
          </ActionButton>
        )}
        {step > 0 ? (
          <ActionButton
            variant="secondary"
            onClick={() => setStep((s) => s - 1)}
            testId="prev-step"
          >
            上一步
          </ActionButton>
        ) : null}
      </View>
    </View>
  )
}

type StepProps = {
  draft: Draft
  patch: (p: Partial<Draft>) => void
  err: (path: string) => string | undefined
}

function BasicStep({
  draft,
  patch,
  err,
  officer,
  existing,
}: StepProps & { officer: Officer; existing?: ChildOfficerView }) {
  const villages = useApiQuery('org.villages', {}, { enabled: officer.role === 'township_officer' })
  return (
    <>
      {officer.role === 'township_officer' ? (
        villages.status === 'ready' ? (
          <Chips
            label="所在村"
            options={villages.data.villages.map((v) => ({ value: v.id, label: v.name }))}
            selected={[draft.villageId]}
            onToggle={(villageId) => patch({ villageId })}
            error={err('villageId')}
          />
        ) : (
          <LoadingState />
        )
      ) : (
        <Row label="所在村">{officer.villageName}</Row>
      )}
      <TextField
        label="姓名"
        value={draft.name}
        onChange={(name) => patch({ name })}
        maxLength={30}
        error={err('name')}
      />
      <TextField
        label="身份证号码（选填）"
        value={draft.idNumber}
        type="idcard"
        maxLength={18}
        onChange={(idNumber) => patch({ idNumber })}
        error={err('idNumber')}
        hint={
          existing
            ? `已登记：${existing.idNumberMasked ?? '未登记'}；需要更正时重新输入完整号码`
            : '填写后可自动带出性别和出生日期'
        }
      />
      <Chips
        label="性别"
        options={SEXES.map((value) => ({ value, label: SEX_LABELS[value] }))}
        selected={draft.sex ? [draft.sex] : []}
        onToggle={(sex) => patch({ sex })}
        error={err('sex')}
      />
      <TextField
        label="出生日期"
        value={draft.birthDate}
        placeholder="例如 2016-05-20"
        maxLength={10}
        onChange={(birthDate) => patch({ birthDate })}
        error={err('birthDate')}
      />
      <TextField
        label="学校"
        value={draft.school}
        onChange={(school) => patch({ school })}
        maxLength={50}
        error={err('school')}
      />
      <TextField
        label="年级"
        value={draft.grade}
        onChange={(grade) => patch({ grade })}
        maxLength={20}
        error={err('grade')}
      />
      <TextField
        label="家庭住址"
        value={draft.address}
        onChange={(address) => patch({ address })}
        maxLength={100}
        error={err('address')}
      />
    </>
  )
}

function ParentFields({
  who,
  value,
  onChange,
  err,
}: {
  who: 'father' | 'mother'
  value: ParentDraft
  onChange: (p: ParentDraft) => void
  err: StepProps['err']
}) {
  const name = who === 'father' ? '父亲' : '母亲'
  return (
    <View>
      <Chips
        label={`${name}情况`}
        options={optionsOf(PARENT_STATUSES, PARENT_STATUS_LABELS)}
        selected={[value.status]}
        onToggle={(status) => onChange({ ...value, status })}
        error={err(`parents.${who}.status`)}
      />
      {value.status === 'working_away' ? (
        <>
          <TextField
            label={`${name}务工地点`}
            value={value.workplace}
            maxLength={50}
            onChange={(workplace) => onChange({ ...value, workplace })}
            error={err(`parents.${who}.workplace`)}
          />
          <Chips
            label={`${name}回家频次`}
            options={optionsOf(HOME_VISIT_FREQUENCIES, HOME_VISIT_FREQUENCY_LABELS)}
            selected={value.homeFrequency ? [value.homeFrequency] : []}
            onToggle={(homeFrequency) => onChange({ ...value, homeFrequency })}
            error={err(`parents.${who}.homeFrequency`)}
          />
        </>
      ) : null}
    </View>
  )
}

function FamilyStep({ draft, patch, err }: StepProps) {
  const setGuardian = (i: number, g: GuardianDraft) =>
    patch({ guardians: draft.guardians.map((x, j) => (j === i ? g : x)) })
  return (
    <>
      <ParentFields
        who="father"
        value={draft.father}
        onChange={(father) => patch({ father })}
        err={err}
      />
      <ParentFields
        who="mother"
        value={draft.mother}
        onChange={(mother) => patch({ mother })}
        err={err}
      />
      {draft.guardians.map((g, i) => (
        <View key={i} className="o-card" data-testid={`guardian-${i}`}>
          <Text className="o-strong">监护人{i + 1}</Text>
          <TextField
            label={`监护人${i + 1}姓名`}
            value={g.name}
            maxLength={30}
            onChange={(name) => setGuardian(i, { ...g, name })}
            error={err(`guardians.${i}.name`)}
          />
          <Chips
            label={`监护人${i + 1}与儿童的关系`}
            options={optionsOf(GUARDIAN_RELATIONS, GUARDIAN_RELATION_LABELS)}
            selected={g.relation ? [g.relation] : []}
            onToggle={(relation) => setGuardian(i, { ...g, relation })}
            error={err(`guardians.${i}.relation`)}
          />
          <TextField
            label={`监护人${i + 1}手机号`}
            value={g.phone}
            type="number"
            maxLength={11}
            onChange={(phone) => setGuardian(i, { ...g, phone })}
            error={err(`guardians.${i}.phone`)}
          />
          <ActionButton
            variant="secondary"
            onClick={() => patch({ guardians: draft.guardians.filter((_, j) => j !== i) })}
            label={`删除监护人${i + 1}`}
          >
            删除
          </ActionButton>
        </View>
      ))}
      {draft.guardians.length < LIMIT_GUARDIANS ? (
        <ActionButton
          variant="secondary"
          onClick={() =>
            patch({ guardians: [...draft.guardians, { name: '', relation: null, phone: '' }] })
          }
          testId="add-guardian"
        >
          添加监护人
        </ActionButton>
      ) : null}
    </>
  )
}

function NeedsStep({ draft, patch, err }: StepProps) {
  const toggle = <T extends string>(list: T[], v: T) =>
    list.includes(v) ? list.filter((x) => x !== v) : [...list, v]
  return (
    <>
      <Chips
        label="困境类别（可多选）"
        multiple
        options={CATEGORY_OPTIONS}
        selected={draft.categories}
        onToggle={(c) => patch({ categories: toggle(draft.categories, c) })}
        error={err('categories')}
        testId="categories"
      />
      {draft.categories.includes('academic') ? (
        <Chips
          label="学业困难类型"
          options={optionsOf(ACADEMIC_SUBTYPES, ACADEMIC_SUBTYPE_LABELS)}
          selected={draft.academicSubtype ? [draft.academicSubtype] : []}
          onToggle={(academicSubtype) => patch({ academicSubtype })}
          error={err('academicSubtype')}
        />
      ) : null}
      <Chips
        label="风险等级"
        options={RISK_OPTIONS}
        selected={draft.riskLevel ? [draft.riskLevel] : []}
        onToggle={(riskLevel) => patch({ riskLevel })}
        error={err('riskLevel')}
        testId="risk"
      />
      <Chips
        label="帮扶需求（缺什么帮什么，可多选）"
        multiple
        options={NEED_OPTIONS}
        selected={draft.needs}
        onToggle={(n) => patch({ needs: toggle(draft.needs, n) })}
        error={err('needs')}
        testId="needs"
      />
      <TextField
        label="备注"
        value={draft.notes}
        multiline
        maxLength={500}
        onChange={(notes) => patch({ notes })}
        error={err('notes')}
      />
    </>
  )
}

function ConsentStep({ draft, patch, err, existing }: StepProps & { existing?: ChildOfficerView }) {
  const c = draft.consent
  const set = (p: Partial<Draft['consent']>) => patch({ consent: { ...c, ...p } })
  const toggleScope = (s: (typeof CONSENT_SCOPES)[number]) =>
    set({ scopes: c.scopes.includes(s) ? c.scopes.filter((x) => x !== s) : [...c.scopes, s] })
  const firstGuardian = draft.guardians.find((g) => g.name.trim())
  return (
    <>
      <Text className="o-muted">
        依据个人信息保护法，处理未成年人信息需取得监护人同意。请记录监护人的同意情况。
      </Text>
      {existing ? <Row label="当前状态">{CONSENT_STATE_LABELS[existing.consent.state]}</Row> : null}
      {existing?.consent.records.slice(-3).map((r, i) => (
        <Row key={i} label={formatDay(r.at)}>
          {r.guardianName} · {r.decision === 'granted' ? '同意' : '撤回'} ·{' '}
          {CONSENT_METHOD_LABELS[r.method]}
        </Row>
      ))}
      <Chips
        label="本次是否记录同意"
        options={[
          { value: 'yes', label: existing ? '新增同意记录' : '记录同意' },
          { value: 'no', label: existing ? '不新增' : '暂不记录' },
        ]}
        selected={[c.record ? 'yes' : 'no']}
        onToggle={(v) => set({ record: v === 'yes' })}
        testId="consent-record"
      />
      {c.record ? (
        <>
          <TextField
            label="表示同意的监护人"
            value={c.guardianName || firstGuardian?.name || ''}
            maxLength={30}
            onChange={(guardianName) => set({ guardianName })}
            error={err('guardianName')}
          />
          <Chips
            label="与儿童的关系"
            options={optionsOf(GUARDIAN_RELATIONS, GUARDIAN_RELATION_LABELS)}
            selected={
              c.relation ? [c.relation] : firstGuardian?.relation ? [firstGuardian.relation] : []
            }
            onToggle={(relation) => set({ relation })}
            error={err('relation')}
          />
          <Chips
            label="同意范围（可多选）"
            multiple
            options={optionsOf(CONSENT_SCOPES, CONSENT_SCOPE_LABELS)}
            selected={c.scopes}
            onToggle={toggleScope}
            error={err('scopes')}
          />
          <Chips
            label="确认方式"
            options={optionsOf(CONSENT_METHODS, CONSENT_METHOD_LABELS)}
            selected={c.method ? [c.method] : []}
            onToggle={(method) => set({ method })}
            error={err('method')}
            testId="consent-method"
          />
          <TextField
            label="说明（选填）"
            value={c.note}
            maxLength={200}
            onChange={(note) => set({ note })}
            error={err('note')}
          />
        </>
      ) : null}
    </>
  )
}

/** The existing record a duplicate answer names (id parsed from the message; shown if it is in scope). */
function DuplicateCard({
  error,
  busy,
  onConfirm,
  onCancel,
}: {
  error: ApiError
  busy: boolean
  onConfirm: () => void
  onCancel: () => void
}) {
  const existingId = /档案编号\s*([A-Za-z0-9_-]+)/.exec(error.message)?.[1] ?? ''
  const sameIdNumber = !/同名/.test(error.message)
  const existing = useApiQuery('children.get', { id: existingId }, { enabled: !!existingId })
  return (
    <Card title="可能重复登记" tone="alert" testId="duplicate-warning">
      <Text>{error.message}</Text>
      {existing.status === 'ready' && existing.data.view === 'officer' ? (
        <View className="o-card" data-testid="duplicate-existing">
          <Row label="已有档案">{existing.data.name}</Row>
          <Row label="出生日期">{existing.data.birthDate}</Row>
          <Row label="村">{existing.data.villageName}</Row>
          <Row label="学校">{existing.data.school || '—'}</Row>
          <Row label="监护人">{existing.data.guardians.map((g) => g.name).join('、') || '—'}</Row>
        </View>
      ) : null}
      <View className="o-actions">
        {existingId ? (
          <ActionButton
            variant="secondary"
            onClick={() => void Taro.navigateTo({ url: PAGES.child(existingId) })}
          >
            查看已有档案
          </ActionButton>
        ) : null}
        {!sameIdNumber ? (
          <ActionButton onClick={onConfirm} disabled={busy} testId="confirm-not-duplicate">
            确认不是同一人，继续登记
          </ActionButton>
        ) : null}
        <ActionButton variant="secondary" onClick={onCancel}>
          返回修改
        </ActionButton>
      </View>
    </Card>
  )
}
