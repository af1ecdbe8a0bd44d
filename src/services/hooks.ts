// React hooks over the typed client: what pages use instead of calling the cloud themselves.
import { useCallback, useEffect, useRef, useState } from 'react'
import type { ActionInput, ActionName, ActionOutput } from '../core/actions'
import type { SessionUser } from '../core/session'
import { getLocalOpenid } from '../local/identity'
import { callApi } from './api'
import { toApiError, type ApiError } from './api-error'

export type QueryState<T> =
  { status: 'loading' } | { status: 'ready'; data: T } | { status: 'error'; error: ApiError }

export type Query<T> = QueryState<T> & { reload: () => void }

/** Runs a read action when the component mounts (and on reload); stale answers are dropped. */
export function useApiQuery<A extends ActionName>(
  action: A,
  input: ActionInput<A>,
  { enabled = true }: { enabled?: boolean } = {},
): Query<ActionOutput<A>> {
  const [state, setState] = useState<QueryState<ActionOutput<A>>>({ status: 'loading' })
  const [attempt, setAttempt] = useState(0)
  const latestCall = useRef(0)
  // Re-run when the input's content changes, not when the caller passes a new but equal object.
  const inputKey = JSON.stringify(input)

  useEffect(() => {
    if (!enabled) return
    const call = ++latestCall.current
    setState({ status: 'loading' })
    callApi(action, JSON.parse(inputKey) as ActionInput<A>).then(
      (data) => {
        if (call === latestCall.current) setState({ status: 'ready', data })
      },
      (error: unknown) => {
        if (call === latestCall.current) setState({ status: 'error', error: toApiError(error) })
      },
    )
    return () => {
      // A newer call, or unmounting, makes this one stale.
      latestCall.current++
    }
  }, [action, inputKey, enabled, attempt])

  const reload = useCallback(() => setAttempt((n) => n + 1), [])
  return { ...state, reload }
}

export type SessionQuery =
  | ({ signedIn: true } & Query<SessionUser | null>)
  /** Local mode only: nobody picked on the sign-in page yet, so there is nobody to ask about. */
  | { signedIn: false }

/**
 * Who is using the app (`session.me`): a registered user, or null for a WeChat user who has not
 * joined yet. In weapp the identity is always the WeChat openid, so `signedIn` is always true.
 */
export function useSession(): SessionQuery {
  const signedIn = !SHOUHU_LOCAL_MODE || getLocalOpenid() !== null
  const query = useApiQuery('session.me', {}, { enabled: signedIn })
  return signedIn ? { signedIn: true, ...query } : { signedIn: false }
}
