// Join by invite QR: shows what is being joined (invites.peek), asks name and phone, binds this WeChat user.
import { Text, View } from '@tarojs/components'
import Taro, { useRouter } from '@tarojs/taro'
import { useState } from 'react'
import { HELPER_ORG_TYPE_LABELS, HELPER_ORG_TYPES, type HelperOrgType } from '../../core/domain'
import {
  a11y,
  ActionButton,
  Card,
  ChoiceChips,
  ErrorState,
  Field,
  LoadingState,
  TextInput,
} from '../../components'
import { fieldErrors, platform, useApiAction, useApiQuery } from '../../services'
import './index.scss'

export default function JoinPage() {
  const { params } = useRouter()
  // weapp: the code's scene arrives as `?scene=` on this page (also in the launch options).
  const scene =
    platform.sceneFromParams(params) ??
    (SHOUHU_LOCAL_MODE ? null : platform.sceneFromParams(Taro.getLaunchOptionsSync().query ?? {}))
  const peek = useApiQuery('invites.peek', { scene: scene ?? '' }, { enabled: scene !== null })
  const join = useApiAction('invites.join')
  const [name, setName] = useState('')
  const [phone, setPhone] = useState('')
  const [orgType, setOrgType] = useState<HelperOrgType | null>(null)
  const errors = fieldErrors(join.error)

  if (!scene)
    return <View className="join">没有邀请码，请用微信扫描工作人员给您的邀请二维码。</View>
  if (peek.status === 'loading') return <LoadingState />
  if (peek.status === 'error') return <ErrorState error={peek.error} onRetry={peek.reload} />
  const invite = peek.data

  const submit = async () => {
    const out = await join.run({
      scene,
      displayName: name,
      phone,
      ...(invite.role === 'helper' && !invite.helperOrgType && orgType
        ? { helperOrgType: orgType }
        : {}),
    })
    if (out) void Taro.reLaunch({ url: '/pages/index/index' })
  }

  return (
    <View className="join" data-testid="join-page">
      <Text className="join__title" {...a11y({ role: 'heading', 'aria-level': 1 })}>
        加入守护
      </Text>
      <Card testId="join-invite">
        <Text className="join__what">
          {invite.townshipName}
          {invite.villageName ? ` · ${invite.villageName}` : ''} 邀请您作为「{invite.roleLabel}
          」加入
        </Text>
        {invite.helperOrgType ? (
          <Text>身份：{HELPER_ORG_TYPE_LABELS[invite.helperOrgType]}</Text>
        ) : null}
      </Card>

      {invite.refusal ? (
        <Text className="join__error" data-testid="join-refused" {...a11y({ role: 'alert' })}>
          {invite.refusal}
        </Text>
      ) : invite.alreadyRegistered ? (
        <View className="join__form">
          <Text className="join__what" data-testid="already-registered">
            您已经登记过了，无需再次加入。
          </Text>
          <ActionButton onClick={() => void Taro.reLaunch({ url: '/pages/index/index' })}>
            进入首页
          </ActionButton>
        </View>
      ) : (
        <View className="join__form">
          <Field label="姓名" error={errors.displayName}>
            <TextInput
              value={name}
              maxLength={30}
              label="姓名"
              testId="join-name"
              onChange={setName}
            />
          </Field>
          <Field label="手机号码" error={errors.phone}>
            <TextInput
              value={phone}
              maxLength={11}
              numeric
              label="手机号码"
              testId="join-phone"
              onChange={setPhone}
            />
          </Field>
          {invite.role === 'helper' && !invite.helperOrgType ? (
            <Field label="您的身份（选填）" error={errors.helperOrgType}>
              <ChoiceChips
                label="您的身份"
                choices={HELPER_ORG_TYPES.map((t) => ({
                  value: t,
                  label: HELPER_ORG_TYPE_LABELS[t],
                }))}
                value={orgType}
                onChange={setOrgType}
              />
            </Field>
          ) : null}
          {join.error && Object.keys(errors).length === 0 ? (
            <Text className="join__error" data-testid="join-error" {...a11y({ role: 'alert' })}>
              {join.error.message}
            </Text>
          ) : null}
          <ActionButton onClick={() => void submit()} disabled={join.pending} testId="join-submit">
            {join.pending ? '正在加入…' : '确认加入'}
          </ActionButton>
        </View>
      )}
    </View>
  )
}
