// Minimal officer screen: create a helper invite and show its QR code (until the officer UI has its own).
import { Text, View } from '@tarojs/components'
import { useState } from 'react'
import type { InviteView } from '../../core/invites'
import { a11y, ActionButton, Card, ErrorState, LabelledImage, shortDate } from '../../components'
import { platform, useApiAction } from '../../services'
import './index.scss'

export default function InvitePage() {
  const create = useApiAction('invites.create')
  const [invite, setInvite] = useState<InviteView | null>(null)

  const make = async () => {
    const out = await create.run({ role: 'helper', maxUses: 1, expiresInDays: 7 })
    if (out) setInvite(out.invite)
  }
  const link = invite ? platform.appLink(invite.path.split('?')[0]!, { scene: invite.scene }) : ''

  return (
    <View className="invite" data-testid="invite-page">
      <Text className="invite__title" {...a11y({ role: 'heading', 'aria-level': 1 })}>
        邀请帮扶人
      </Text>
      <Text>生成一次性邀请二维码（7天内有效），请帮扶人用微信扫码加入。</Text>
      <ActionButton onClick={() => void make()} disabled={create.pending} testId="create-invite">
        {create.pending ? '正在生成…' : '生成帮扶人邀请码'}
      </ActionButton>
      {create.error ? <ErrorState error={create.error} onRetry={() => void make()} /> : null}
      {invite ? (
        <Card testId="invite-qr">
          {invite.qrUrl ? (
            <LabelledImage className="invite__qr" src={invite.qrUrl} alt="邀请二维码" />
          ) : null}
          <Text className="invite__meta">
            {invite.villageName ?? '全镇'} · {invite.roleLabel} · 有效期至{' '}
            {shortDate(invite.expiresAt)}
          </Text>
          <Text className="invite__meta invite__url" data-testid="invite-link">
            {link}
          </Text>
        </Card>
      ) : null}
    </View>
  )
}
