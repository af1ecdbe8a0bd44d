// Log a contact: one form for the three duties, quick to fill with one hand; kept on the phone when there is no signal.
import { Text, View } from '@tarojs/components'
import Taro, { useRouter } from '@tarojs/taro'
import { useMemo, useState } from 'react'
import { DUTIES, DUTY_LABELS, type Duty } from '../../core/cadence'
import {
  contentIssues,
  fillLearned,
  LEARNED_FIELD_LABELS,
  LEARNED_FIELDS,
  LEARNED_MAX,
  NOTE_MAX,
  type LearnedField,
} from '../../core/contacts'
import { CONTACT_MODE_LABELS, CONTACT_MODES, type ContactMode } from '../../core/domain'
import { PHOTOS_MAX } from '../../core/photos'
import { chinaDate } from '../../core/time'
import {
  a11y,
  ActionButton,
  Card,
  ChoiceChips,
  clockTime,
  Field,
  PhotoPicker,
  QuickPhrases,
  shortDate,
  TextArea,
  TextInput,
} from '../../components'
import {
  drafts,
  photos,
  platform,
  startDraftSync,
  type DraftLogInput,
  type DraftPhoto,
} from '../../services'
import './index.scss'

/** The usual way each duty is done: what the form starts with. */
const COMMON_MODE: Record<Duty, ContactMode> = {
  guardian_contact: 'phone',
  companionship: 'in_person',
  home_visit: 'in_person',
}

const PHRASES: Record<LearnedField, readonly string[]> = {
  dailyLife: ['生活正常', '饮食起居规律', '需要生活照料'],
  study: ['学习正常', '成绩有进步', '学习有困难', '有厌学情绪'],
  health: ['身体健康', '小病已就医', '需要关注'],
  mood: ['情绪稳定', '开朗活泼', '有些孤单', '情绪低落'],
}

type Day = 'today' | 'yesterday' | 'before'
const DAY_LABELS: Record<Day, string> = { today: '今天', yesterday: '昨天', before: '前天' }
const DAY_OFFSET: Record<Day, number> = { today: 0, yesterday: 1, before: 2 }

/** An ISO instant with the China offset: now for today, noon for an earlier day. */
function occurredAtFor(day: Day, now: Date): string {
  if (day === 'today') {
    const at = new Date(now.getTime() - 60_000)
    const china = new Date(at.getTime() + 8 * 3600_000).toISOString().slice(0, 19)
    return `${china}+08:00`
  }
  const date = chinaDate(new Date(now.getTime() - DAY_OFFSET[day] * 86_400_000))
  return `${date}T12:00:00+08:00`
}

type Result = { kind: 'offline' } | { kind: 'form' }

export default function LogPage() {
  const { params } = useRouter()
  const childId = params.childId ?? ''
  const checkinId = params.checkinId || undefined
  const checkinAt = params.checkinAt ? new Date(decodeURIComponent(params.checkinAt)) : null
  const checkinTime =
    checkinAt && !Number.isNaN(checkinAt.getTime())
      ? `${shortDate(checkinAt)} ${clockTime(checkinAt)}`
      : null
  const initialDuty: Duty = checkinId
    ? 'home_visit'
    : DUTIES.includes(params.duty as Duty)
      ? (params.duty as Duty)
      : 'guardian_contact'

  const [duty, setDuty] = useState<Duty>(initialDuty)
  const [mode, setMode] = useState<ContactMode>(COMMON_MODE[initialDuty])
  const [day, setDay] = useState<Day>('today')
  const [learned, setLearned] = useState<Record<LearnedField, string>>(fillLearned({}))
  const [problems, setProblems] = useState('')
  const [actions, setActions] = useState('')
  const [photoList, setPhotoList] = useState<DraftPhoto[]>([])
  const [choosing, setChoosing] = useState(false)
  const [errors, setErrors] = useState<Record<string, string>>({})
  const [formError, setFormError] = useState<string | null>(null)
  const [sending, setSending] = useState(false)
  const [result, setResult] = useState<Result>({ kind: 'form' })

  const modeChoices = useMemo(
    () =>
      CONTACT_MODES.map((m) => ({
        value: m,
        label: CONTACT_MODE_LABELS[m],
        disabled: duty === 'home_visit' && m !== 'in_person',
      })),
    [duty],
  )

  const chooseDuty = (d: Duty) => {
    setDuty(d)
    setMode(COMMON_MODE[d])
  }

  const addPhrase = (f: LearnedField, phrase: string) =>
    setLearned((l) => ({
      ...l,
      [f]: l[f].includes(phrase) ? l[f] : l[f] ? `${l[f]}，${phrase}` : phrase,
    }))

  const addPhotos = async () => {
    if (choosing) return
    setChoosing(true)
    const chosen = await photos.choosePhotos(PHOTOS_MAX - photoList.length)
    setChoosing(false)
    setPhotoList((list) => [...list, ...chosen.photos].slice(0, PHOTOS_MAX))
    setErrors(({ photos: _old, ...rest }) =>
      chosen.refused ? { ...rest, photos: chosen.refused } : rest,
    )
  }

  const removePhoto = (index: number) => {
    const removed = photoList[index]
    if (removed) photos.discardPhotos([removed])
    setPhotoList((list) => list.filter((_, i) => i !== index))
    setErrors(({ photos: _old, ...rest }) => rest)
  }

  const submit = async () => {
    if (sending) return
    const local: Record<string, string> = {}
    for (const i of contentIssues({ duty, mode, learned })) local[i.path] = i.message
    for (const f of LEARNED_FIELDS) {
      if (learned[f].trim().length > LEARNED_MAX)
        local[`learned.${f}`] = `请简要填写，不超过${LEARNED_MAX}字`
    }
    if (problems.length > NOTE_MAX) local.problems = `不超过${NOTE_MAX}字`
    if (actions.length > NOTE_MAX) local.actions = `不超过${NOTE_MAX}字`
    setErrors(local)
    setFormError(null)
    if (Object.keys(local).length > 0) {
      setFormError('请按提示修改后再提交')
      return
    }

    const input: DraftLogInput = {
      childId,
      duty,
      occurredAt: occurredAtFor(day, new Date()),
      mode,
      learned: Object.fromEntries(
        LEARNED_FIELDS.filter((f) => learned[f].trim()).map((f) => [f, learned[f].trim()]),
      ),
      problems: problems.trim(),
      actions: actions.trim(),
      ...(checkinId && duty === 'home_visit' ? { checkinId } : {}),
    }
    setSending(true)
    // Kept on the phone first (with its photos): whatever happens next, the log is not lost.
    let kept: DraftPhoto[]
    try {
      kept = await Promise.all(photoList.map((p) => photos.keepPhoto(p)))
    } catch {
      setSending(false)
      setErrors({ photos: '照片保存失败，请删除后重新添加' })
      setFormError('请按提示修改后再提交')
      return
    }
    setPhotoList(kept)
    const draft = drafts.enqueue(input, undefined, kept)
    const online = await platform.isOnline()
    const outcome = online ? await drafts.sendOne(draft.requestId) : null
    setSending(false)
    if (outcome?.kind === 'sent') {
      void Taro.redirectTo({
        url: `/pages/share/index?logId=${encodeURIComponent(outcome.result.id)}&new=1`,
      })
      return
    }
    if (outcome?.kind === 'rejected') {
      // The person is still on the form: they fix it here, so the refused draft leaves the queue; its
      // photos (kept, some perhaps uploaded) come back to the form.
      const back = drafts.take(draft.requestId)
      const server: Record<string, string> = {}
      for (const i of outcome.issues) if (!(i.path in server)) server[i.path] = i.message
      // A photo the server refused is uploaded afresh next time.
      setPhotoList((back?.photos ?? kept).map((p) => (server.photos ? { ...p, fileID: null } : p)))
      setErrors(server)
      setFormError(outcome.message)
      return
    }
    startDraftSync()
    setResult({ kind: 'offline' })
  }

  if (childId === '') return <View className="log">缺少儿童编号</View>

  if (result.kind === 'offline') {
    return (
      <View className="log" data-testid="saved-offline">
        <Card title="已保存，待发送">
          <Text className="log__text">
            现在没有网络，这条记录已保存在手机上。网络恢复后会自动发送，不会重复提交。
          </Text>
        </Card>
        <ActionButton
          onClick={() =>
            void Taro.navigateBack().catch(() => Taro.reLaunch({ url: '/pages/index/index' }))
          }
          testId="back"
        >
          返回
        </ActionButton>
      </View>
    )
  }

  const learnedError = errors.learned
  return (
    <View className="log" data-testid="log-form">
      <Text className="log__title" {...a11y({ role: 'heading', 'aria-level': 1 })}>
        记录联系 / 走访
      </Text>
      {checkinId ? (
        <Text className="log__checkin" data-testid="checkin-recorded">
          {checkinTime ? `✓ 已扫码签到，签到时间 ${checkinTime}` : '✓ 已扫码签到，签到时间已记录'}
        </Text>
      ) : null}

      <Field label="联系类型" error={errors.duty ?? errors.checkinId}>
        <ChoiceChips
          label="联系类型"
          choices={DUTIES.map((d) => ({ value: d, label: DUTY_LABELS[d] }))}
          value={duty}
          onChange={chooseDuty}
          testId="duty"
        />
      </Field>

      <Field label="日期" error={errors.occurredAt}>
        <ChoiceChips
          label="日期"
          choices={(Object.keys(DAY_LABELS) as Day[]).map((d) => ({
            value: d,
            label: DAY_LABELS[d],
          }))}
          value={day}
          onChange={setDay}
          testId="day"
        />
      </Field>

      <Field
        label="方式"
        error={errors.mode}
        hint={duty === 'home_visit' ? '上门走访须当面进行' : undefined}
      >
        <ChoiceChips
          label="方式"
          choices={modeChoices}
          value={mode}
          onChange={setMode}
          testId="mode"
        />
      </Field>

      <Card title="了解到的情况" testId="learned">
        <Text className="log__hint">至少填写一项，可点选常用说法</Text>
        {learnedError ? (
          <Text className="log__error" data-testid="learned-error" {...a11y({ role: 'alert' })}>
            {learnedError}
          </Text>
        ) : null}
        {LEARNED_FIELDS.map((f) => (
          <Field
            key={f}
            label={LEARNED_FIELD_LABELS[f]}
            error={errors[`learned.${f}`]}
            testId={`learned-${f}`}
          >
            <QuickPhrases
              label={`${LEARNED_FIELD_LABELS[f]}常用说法`}
              phrases={PHRASES[f]}
              onPick={(p) => addPhrase(f, p)}
              testId={`phrases-${f}`}
            />
            <TextInput
              className="field__input log__input"
              value={learned[f]}
              maxLength={LEARNED_MAX}
              placeholder="简要填写"
              label={LEARNED_FIELD_LABELS[f]}
              testId={`input-${f}`}
              onChange={(v) => setLearned((l) => ({ ...l, [f]: v }))}
            />
          </Field>
        ))}
      </Card>

      <Field label="发现的问题（选填）" error={errors.problems}>
        <TextArea
          value={problems}
          maxLength={NOTE_MAX}
          label="发现的问题"
          testId="input-problems"
          onChange={setProblems}
        />
      </Field>
      <Field label="采取的措施（选填）" error={errors.actions}>
        <TextArea
          value={actions}
          maxLength={NOTE_MAX}
          label="采取的措施"
          testId="input-actions"
          onChange={setActions}
        />
      </Field>

      <Field
        label="照片（可选）"
        hint={`最多${PHOTOS_MAX}张，只有帮扶人和村、镇工作人员能看到`}
        error={errors.photos}
        testId="photos"
      >
        <PhotoPicker
          photos={photoList}
          max={PHOTOS_MAX}
          onAdd={() => void addPhotos()}
          onRemove={removePhoto}
          busy={choosing}
          testId="photo-picker"
        />
      </Field>

      {formError ? (
        <Text className="log__error" data-testid="form-error" {...a11y({ role: 'alert' })}>
          {formError}
        </Text>
      ) : null}
      <ActionButton onClick={() => void submit()} disabled={sending} testId="submit-log">
        {sending ? '正在提交…' : '提交记录'}
      </ActionButton>
    </View>
  )
}
