// First screen: who is signed in and in what role, or that this WeChat user has not joined yet.
import { Text, View } from '@tarojs/components'
import Taro from '@tarojs/taro'
import { useEffect } from 'react'
import { ROLE_LABELS } from '../../core/roles'
import type { SessionUser } from '../../core/session'
import { ActionButton, ErrorState, LoadingState } from '../../components'
import { getLocalOpenid } from '../../local/identity'
import { useSession } from '../../services'
import './index.scss'

const SIGNIN_PAGE = '/pages/signin/index'

export default function IndexPage() {
  const session = useSession()

  useEffect(() => {
    // Local mode only: nobody picked yet, so go and pick. In weapp `signedIn` is always true.
    if (SHOUHU_LOCAL_MODE && !session.signedIn) void Taro.redirectTo({ url: SIGNIN_PAGE })
  }, [session.signedIn])

  return (
    <View className="home">
      <View className="home__brand">
        <Text className="home__app-name">守护</Text>
        <Text className="home__tagline">农村留守儿童关爱帮扶</Text>
      </View>

      {!session.signedIn || session.status === 'loading' ? (
        <LoadingState />
      ) : session.status === 'error' ? (
        <ErrorState error={session.error} onRetry={session.reload} />
      ) : session.data ? (
        <UserCard user={session.data} />
      ) : (
        <NotRegistered />
      )}

      {SHOUHU_LOCAL_MODE && <LocalModeBar />}
    </View>
  )
}

function UserCard({ user }: { user: SessionUser }) {
  const place = user.villageName ? `${user.townshipName} · ${user.villageName}` : user.townshipName
  return (
    <View className="home__card" data-testid="current-user">
      <Text className="home__greeting">您好，</Text>
      <Text className="home__who">
        {user.displayName} · {ROLE_LABELS[user.role]}
      </Text>
      <Text className="home__place">{place}</Text>
    </View>
  )
}

function NotRegistered() {
  return (
    <View className="home__card" data-testid="not-registered">
      <Text className="home__who">您还没有登记</Text>
      <Text className="home__explain">
        守护只供参与本镇留守儿童关爱帮扶工作的人员使用。请联系村里的儿童主任或镇未保办，用微信扫描他们给您的邀请二维码加入。
      </Text>
    </View>
  )
}

/** h5 only: shows the identity being simulated and lets the tester change it. */
function LocalModeBar() {
  const openid = getLocalOpenid()
  return (
    <View className="home__local">
      <Text className="home__local-text">本地模式 · 当前身份 {openid ?? '未选择'}</Text>
      <ActionButton
        variant="secondary"
        onClick={() => void Taro.navigateTo({ url: SIGNIN_PAGE })}
        testId="switch-user"
      >
        切换用户
      </ActionButton>
    </View>
  )
}
