// The guardian's one screen: large type, "<helper> <date> <kind> for <child>" — 属实 / 有异议 — with an optional comment.
// Independent subpackage: opens straight from a scan without the main package, so it imports nothing heavy.
import { Button, Text, View } from '@tarojs/components'
import { useRouter } from '@tarojs/taro'
import { useEffect, useState } from 'react'
import { a11y } from '../components/a11y'
import { TextInput } from '../components/TextInput'
import { toApiError } from '../services/api-error'
import { initCloud } from '../services/cloud'
import { callConfirm, type ConfirmationsViewOutput, type ConfirmationVisit } from './api'
import './index.scss'

// An independent subpackage starts without the app shell: connect to the cloud here.
initCloud()

type Answer = 'confirmed' | 'disputed'
const ANSWER_TEXT: Record<Answer, string> = {
  confirmed: '您已确认：属实',
  disputed: '您已提出：有异议',
}

type Screen =
  | { kind: 'loading' }
  | { kind: 'error'; message: string }
  | { kind: 'view'; view: ConfirmationsViewOutput }
  | { kind: 'thanks'; answer: Answer; visit: ConfirmationVisit }

function sceneOf(params: Partial<Record<string, string>>): string | null {
  const raw = params.scene
  if (!raw) return null
  try {
    return decodeURIComponent(raw)
  } catch {
    return raw
  }
}

/** 2026-03-10 → 3月10日 */
function day(date: string): string {
  const [, m, d] = date.split('-')
  return `${Number(m)}月${Number(d)}日`
}

export default function ConfirmPage() {
  const { params } = useRouter()
  const scene = sceneOf(params)
  const [screen, setScreen] = useState<Screen>({ kind: 'loading' })

  const load = () => {
    if (!scene) return setScreen({ kind: 'error', message: '没有确认码，请重新扫码' })
    setScreen({ kind: 'loading' })
    callConfirm('confirmations.view', { scene }).then(
      (view) => setScreen({ kind: 'view', view }),
      (e: unknown) => setScreen({ kind: 'error', message: toApiError(e).message }),
    )
  }
  useEffect(load, [scene])

  return (
    <View className="confirm" data-testid="confirm-page">
      {screen.kind === 'loading' ? (
        <Text className="confirm__text">正在打开…</Text>
      ) : screen.kind === 'error' ? (
        <View className="confirm__box">
          <Text className="confirm__text confirm__text--error" data-testid="confirm-error">
            {screen.message}
          </Text>
          <BigButton onClick={load} tone="plain">
            重试
          </BigButton>
        </View>
      ) : screen.kind === 'thanks' ? (
        <View className="confirm__box" data-testid="confirm-thanks">
          <Visit visit={screen.visit} />
          <Text className="confirm__result" {...a11y({ role: 'heading', 'aria-level': 1 })}>
            {ANSWER_TEXT[screen.answer]}
          </Text>
          <Text className="confirm__text">谢谢您！</Text>
        </View>
      ) : screen.view.status === 'check_needed' ? (
        <PhoneCheck
          scene={scene!}
          checksLeft={screen.view.checksLeft}
          onBound={(view) => setScreen({ kind: 'view', view })}
        />
      ) : screen.view.status === 'answered' ? (
        <View className="confirm__box" data-testid="confirm-answered">
          <Visit visit={screen.view.visit} />
          <Text className="confirm__result" {...a11y({ role: 'heading', 'aria-level': 1 })}>
            {ANSWER_TEXT[screen.view.answer]}
          </Text>
        </View>
      ) : (
        <AnswerForm
          scene={scene!}
          visit={screen.view.visit}
          onAnswered={(answer, visit) => setScreen({ kind: 'thanks', answer, visit })}
        />
      )}
    </View>
  )
}

function Visit({ visit }: { visit: ConfirmationVisit }) {
  return (
    <View className="confirm__visit" data-testid="confirm-visit">
      <Text className="confirm__line">帮扶人 {visit.helperName}</Text>
      <Text className="confirm__line">
        {day(visit.date)} {visit.dutyLabel}（{visit.modeLabel}）
      </Text>
      <Text className="confirm__line">看望 {visit.childGivenName}</Text>
    </View>
  )
}

function AnswerForm({
  scene,
  visit,
  onAnswered,
}: {
  scene: string
  visit: ConfirmationVisit
  onAnswered: (answer: Answer, visit: ConfirmationVisit) => void
}) {
  const [comment, setComment] = useState('')
  const { sending, error, submit } = useSubmit()
  const answer = (a: Answer) =>
    submit(async () => {
      const out = await callConfirm('confirmations.answer', {
        scene,
        answer: a,
        comment: comment.trim(),
      })
      onAnswered(out.answer, out.visit)
    })
  return (
    <View className="confirm__box">
      <Visit visit={visit} />
      <Text className="confirm__ask" {...a11y({ role: 'heading', 'aria-level': 1 })}>
        这件事属实吗？
      </Text>
      <BigButton
        onClick={() => void answer('confirmed')}
        tone="yes"
        testId="answer-confirmed"
        disabled={sending}
      >
        ✓ 属实
      </BigButton>
      <BigButton
        onClick={() => void answer('disputed')}
        tone="no"
        testId="answer-disputed"
        disabled={sending}
      >
        ✕ 有异议
      </BigButton>
      <Text className="confirm__label">想说的话（可不填）</Text>
      <TextInput
        className="confirm__input"
        value={comment}
        maxLength={200}
        label="想说的话，可不填"
        testId="confirm-comment"
        onChange={setComment}
      />
      {error ? (
        <Text className="confirm__text confirm__text--error" data-testid="confirm-answer-error">
          {error}
        </Text>
      ) : null}
    </View>
  )
}

function PhoneCheck({
  scene,
  checksLeft,
  onBound,
}: {
  scene: string
  checksLeft: number
  onBound: (view: ConfirmationsViewOutput) => void
}) {
  const [digits, setDigits] = useState('')
  const { sending, error, submit } = useSubmit()
  const check = () =>
    submit(async () =>
      onBound(await callConfirm('confirmations.bind', { scene, phoneLast4: digits })),
    )
  return (
    <View className="confirm__box" data-testid="confirm-check">
      <Text className="confirm__ask" {...a11y({ role: 'heading', 'aria-level': 1 })}>
        第一次使用，请核对身份
      </Text>
      <Text className="confirm__label">请输入您手机号码的后4位</Text>
      <TextInput
        className="confirm__input confirm__input--digits"
        numeric
        maxLength={4}
        value={digits}
        label="手机号码后4位"
        testId="phone-last4"
        onChange={setDigits}
      />
      {error ? (
        <Text className="confirm__text confirm__text--error" data-testid="check-error">
          {error}
        </Text>
      ) : (
        <Text className="confirm__hint">还可以核对 {checksLeft} 次</Text>
      )}
      <BigButton
        onClick={() => void check()}
        tone="yes"
        testId="check-submit"
        disabled={sending || digits.length !== 4}
      >
        确定
      </BigButton>
    </View>
  )
}

function BigButton({
  children,
  onClick,
  tone,
  testId,
  disabled = false,
}: {
  children: string
  onClick: () => void
  tone: 'yes' | 'no' | 'plain'
  testId?: string
  disabled?: boolean
}) {
  return (
    <Button
      className={`confirm__button confirm__button--${tone}`}
      onClick={disabled ? undefined : onClick}
      disabled={disabled || undefined}
      data-testid={testId}
      {...(SHOUHU_LOCAL_MODE
        ? {
            role: 'button',
            tabIndex: disabled ? -1 : 0,
            'aria-disabled': disabled || undefined,
            onKeyDown: (e: { key: string; preventDefault: () => void }) => {
              if (!disabled && (e.key === 'Enter' || e.key === ' ')) {
                e.preventDefault()
                onClick()
              }
            },
          }
        : {})}
    >
      {children}
    </Button>
  )
}

/** One request at a time from a form; its failure, in Chinese, to show beside it. */
function useSubmit() {
  const [sending, setSending] = useState(false)
  const [error, setError] = useState<string | null>(null)
  const submit = async (request: () => Promise<void>) => {
    if (sending) return
    setSending(true)
    setError(null)
    try {
      await request()
    } catch (e) {
      const err = toApiError(e)
      setError(err.issues[0]?.message ?? err.message)
    } finally {
      setSending(false)
    }
  }
  return { sending, error, submit }
}
