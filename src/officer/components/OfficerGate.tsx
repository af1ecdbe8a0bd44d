// Shows an officer screen only to officers: loads who the caller is, and explains when they are not one.
import Taro from '@tarojs/taro'
import { useEffect, type ReactNode } from 'react'
import type { SessionUser } from '../../core/session'
import { ErrorState, LoadingState } from '../../components'
import { useSession } from '../../services'
import { Notice } from './Layout'

export type Officer = SessionUser & { role: 'village_officer' | 'township_officer' }

export function isOfficer(user: SessionUser | null): user is Officer {
  return user?.role === 'village_officer' || user?.role === 'township_officer'
}

export function OfficerGate({ children }: { children: (officer: Officer) => ReactNode }) {
  const session = useSession()
  useEffect(() => {
    if (SHOUHU_LOCAL_MODE && !session.signedIn) void Taro.redirectTo({ url: '/pages/signin/index' })
  }, [session.signedIn])

  if (!session.signedIn || session.status === 'loading') return <LoadingState />
  if (session.status === 'error')
    return <ErrorState error={session.error} onRetry={session.reload} />
  if (!isOfficer(session.data)) {
    return <Notice tone="error">此页面仅供村级人员和镇未保办使用。</Notice>
  }
  return <>{children(session.data)}</>
}
