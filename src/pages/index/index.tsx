// First screen: who is signed in; for a helper, their duty board and the household scan; officers go to their home.
import { Text, View } from '@tarojs/components'
import Taro from '@tarojs/taro'
import { useEffect } from 'react'
import { ROLE_LABELS } from '../../core/roles'
import type { SessionUser } from '../../core/session'
import { ActionButton, ErrorState, LoadingState } from '../../components'
import { getLocalOpenid } from '../../local/identity'
import { startDraftSync, useSession } from '../../services'
import { SubscribePrompt } from '../../components/SubscribePrompt'
import { HelperBoard } from './Board'
import './index.scss'

const SIGNIN_PAGE = '/pages/signin/index'
/** Officers' first screen is their own: today's work at a glance, in the officer subpackage. */
const OFFICER_HOME = '/officer/home/index'

export default function IndexPage() {
  const session = useSession()
  const role = session.signedIn && session.status === 'ready' ? session.data?.role : undefined

  useEffect(() => {
    // Local mode only: nobody picked yet, so go and pick. In weapp `signedIn` is always true.
    if (SHOUHU_LOCAL_MODE && !session.signedIn) void Taro.redirectTo({ url: SIGNIN_PAGE })
  }, [session.signedIn])

  useEffect(() => {
    // Drafts written offline before a restart go out as soon as a helper opens the app.
    if (role === 'helper') startDraftSync()
    if (role === 'village_officer' || role === 'township_officer')
      void Taro.redirectTo({ url: OFFICER_HOME })
  }, [role])

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

      {role === 'helper' ? (
        <>
          <View className="home__tools">
            <ActionButton
              onClick={() => void Taro.navigateTo({ url: '/pages/checkin/index' })}
              testId="scan-household"
            >
              扫描一户一码（上门签到）
            </ActionButton>
          </View>
          <HelperBoard />
          <SubscribePrompt moment="home" />
        </>
      ) : null}

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
