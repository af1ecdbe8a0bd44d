// After a log: the guardian confirms it by scanning the QR code on the helper's phone, or from a shared card.
import { Text, View } from '@tarojs/components'
import Taro, { useRouter, useShareAppMessage } from '@tarojs/taro'
import { useEffect, useState } from 'react'
import type { ConfirmationTokenView } from '../../core/confirmations'
import {
  a11y,
  ActionButton,
  LabelledImage,
  Card,
  ErrorState,
  LoadingState,
  shortDate,
  SubscribePrompt,
} from '../../components'
import { platform, useApiAction } from '../../services'
import './index.scss'

export default function SharePage() {
  const { params } = useRouter()
  const logId = params.logId ?? ''
  const justLogged = params.new === '1'
  const create = useApiAction('confirmations.create')
  const [token, setToken] = useState<ConfirmationTokenView | null>(null)
  const [copied, setCopied] = useState<'idle' | 'copied' | 'failed'>('idle')

  const load = () => {
    void create.run({ logId }).then((out) => {
      if (out) setToken(out.confirmation)
    })
  }
  useEffect(() => {
    if (logId) load()
    // Once per log: a new token on every render would void the one the guardian is scanning.
  }, [logId])

  useShareAppMessage(() => ({
    title: '请确认帮扶人的联系记录',
    path: token ? `/${token.path}` : '/pages/index/index',
  }))

  const link = token ? platform.appLink(token.path.split('?')[0]!, { scene: token.scene }) : ''

  return (
    <View className="share" data-testid="share-page">
      {justLogged ? (
        <Text className="share__done" data-testid="log-sent" {...a11y({ role: 'status' })}>
          ✓ 记录已提交
        </Text>
      ) : null}
      <Text className="share__title" {...a11y({ role: 'heading', 'aria-level': 1 })}>
        请监护人确认
      </Text>
      <Text className="share__text">
        请监护人用微信扫一扫下面的二维码，或把确认卡片发给监护人。
      </Text>

      {create.error ? (
        <ErrorState error={create.error} onRetry={load} />
      ) : !token ? (
        <LoadingState text="正在生成确认码…" />
      ) : (
        <>
          <Card testId="confirm-qr">
            {token.qrUrl ? (
              <LabelledImage className="share__qr" src={token.qrUrl} alt="监护人确认二维码" />
            ) : (
              <Text>二维码暂时无法显示，请使用下方的分享方式。</Text>
            )}
            <Text className="share__meta">有效期至 {shortDate(token.expiresAt)}，只能确认一次</Text>
          </Card>

          {platform.CAN_SHARE_CARD ? (
            <ActionButton
              variant="secondary"
              onClick={() => undefined}
              openType="share"
              testId="share-card"
            >
              发给监护人（微信聊天）
            </ActionButton>
          ) : (
            <View className="share__link">
              <ActionButton
                variant="secondary"
                onClick={() =>
                  void platform.copyText(link).then((ok) => setCopied(ok ? 'copied' : 'failed'))
                }
                testId="copy-link"
              >
                复制确认链接
              </ActionButton>
              <Text className="share__meta share__url" data-testid="confirm-link">
                {link}
              </Text>
              {copied !== 'idle' ? (
                <Text className="share__meta" {...a11y({ role: 'status' })}>
                  {copied === 'copied'
                    ? '已复制，可粘贴发给监护人'
                    : '复制失败，请长按上面的链接复制'}
                </Text>
              ) : null}
            </View>
          )}
        </>
      )}

      <SubscribePrompt moment="after_log" />

      <View className="share__home">
        <ActionButton
          variant="secondary"
          onClick={() => void Taro.reLaunch({ url: '/pages/index/index' })}
          testId="go-home"
        >
          返回首页
        </ActionButton>
      </View>
    </View>
  )
}
