// Local mode (h5) sign-in: act as one of the demo users, or as a WeChat user who has not joined yet.
import { Text, View } from '@tarojs/components'
import Taro from '@tarojs/taro'
import { ROLE_LABELS } from '../../core/roles'
import { a11y, ActionButton } from '../../components'
import { DEMO_USERS, DEMO_VILLAGES, type DemoUser } from '../../local/demo-users'
import { getLocalOpenid, newLocalOpenid, setLocalOpenid } from '../../local/identity'
import './index.scss'

function enterAs(openid: string): void {
  setLocalOpenid(openid)
  // A fresh page stack: nothing of the previous identity stays on screen.
  void Taro.reLaunch({ url: '/pages/index/index' })
}

function describe(user: DemoUser): string {
  const role = ROLE_LABELS[user.role]
  return user.villageKey ? `${role} · ${DEMO_VILLAGES[user.villageKey].name}` : role
}

export default function SignInPage() {
  const current = getLocalOpenid()
  return (
    <View className="signin">
      <Text className="signin__title" {...a11y({ role: 'heading', 'aria-level': 1 })}>
        选择演示身份
      </Text>
      <Text className="signin__hint">
        本地模式：以下是演示用户，数据只保存在本机的模拟云环境中。
      </Text>

      <View className="signin__list">
        {DEMO_USERS.map((user) => (
          <ActionButton
            key={user.openid}
            variant="secondary"
            className="signin__user"
            onClick={() => enterAs(user.openid)}
            testId={`demo-user-${user.openid}`}
          >
            <Text className="signin__name">
              {user.displayName}
              {user.openid === current ? '（当前）' : ''}
            </Text>
            <Text className="signin__role">{describe(user)}</Text>
          </ActionButton>
        ))}
      </View>

      <ActionButton onClick={() => enterAs(newLocalOpenid())} testId="new-wechat-user">
        以新微信用户身份进入
      </ActionButton>
    </View>
  )
}
