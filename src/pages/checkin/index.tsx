// Household check-in (一户一码): scanning the code at the door records the time and opens the home-visit form.
import { Text, View } from '@tarojs/components'
import Taro, { useRouter } from '@tarojs/taro'
import { useEffect, useState } from 'react'
import { a11y, ActionButton, Field, TextInput } from '../../components'
import { platform, useApiAction } from '../../services'
import './index.scss'

export default function CheckinPage() {
  const { params } = useRouter()
  const scan = useApiAction('checkins.scan')
  const [pasted, setPasted] = useState('')
  const [hint, setHint] = useState<string | null>(null)

  const checkIn = async (scene: string) => {
    const out = await scan.run({ scene })
    if (!out) return
    void Taro.redirectTo({
      url: `/pages/log/index?childId=${encodeURIComponent(out.childId)}&duty=home_visit&checkinId=${encodeURIComponent(out.checkinId)}&checkinAt=${encodeURIComponent(new Date(out.at).toISOString())}`,
    })
  }

  // Opened by the household code itself (WeChat scan from outside the app, or the link in h5).
  const opened = platform.sceneFromParams(params)
  useEffect(() => {
    if (opened) void checkIn(opened)
  }, [opened])

  const scanNow = async () => {
    setHint(null)
    const res = await platform.scanCode()
    if (res.kind === 'unsupported') return setHint('本地模式无法调用相机：请粘贴二维码链接或编码')
    if (res.kind === 'cancelled') return
    if (!res.scene) return setHint('这不是本程序的一户一码，请重新扫描')
    await checkIn(res.scene)
  }

  const usePasted = () => {
    const scene = platform.sceneFromText(pasted)
    if (!scene) return setHint('没有识别到签到码，请检查后重试')
    void checkIn(scene)
  }

  return (
    <View className="checkin" data-testid="checkin-page">
      <Text className="checkin__title" {...a11y({ role: 'heading', 'aria-level': 1 })}>
        上门签到
      </Text>
      <Text className="checkin__text">
        到达孩子家门口后，扫描贴在家中的“一户一码”，签到时间会作为走访凭证记录下来。
      </Text>
      <ActionButton onClick={() => void scanNow()} disabled={scan.pending} testId="scan-now">
        {scan.pending ? '正在签到…' : '扫码签到'}
      </ActionButton>
      {scan.error ? (
        <Text className="checkin__error" data-testid="checkin-error" {...a11y({ role: 'alert' })}>
          {scan.error.message}
        </Text>
      ) : null}
      {hint ? (
        <Text className="checkin__hint" {...a11y({ role: 'status' })}>
          {hint}
        </Text>
      ) : null}
      {SHOUHU_LOCAL_MODE ? (
        <View className="checkin__paste">
          <Field label="粘贴二维码链接或编码">
            <TextInput
              value={pasted}
              label="二维码链接或编码"
              testId="paste-code"
              onChange={setPasted}
            />
          </Field>
          <ActionButton variant="secondary" onClick={usePasted} testId="use-pasted">
            签到
          </ActionButton>
        </View>
      ) : null}
    </View>
  )
}
