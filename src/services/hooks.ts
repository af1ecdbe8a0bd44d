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

export type ActionRun<A extends ActionName> = {
  run: (input: ActionInput<A>, opts?: { requestId?: string }) => Promise<ActionOutput<A> | null>
  pending: boolean
  error: ApiError | null
  reset: () => void
}

/** A write (or an on-demand read) started by the person: its pending state and its failure, for the page. */
export function useApiAction<A extends ActionName>(action: A): ActionRun<A> {
  const [pending, setPending] = useState(false)
  const [error, setError] = useState<ApiError | null>(null)
  const run = useCallback(
    async (input: ActionInput<A>, opts?: { requestId?: string }) => {
      setPending(true)
      setError(null)
      try {
        return await callApi(action, input, opts)
      } catch (e) {
        setError(toApiError(e))
        return null
      } finally {
        setPending(false)
      }
    },
    [action],
  )
  const reset = useCallback(() => setError(null), [])
  return { run, pending, error, reset }
}

/** The field errors of a failed call, by path ('learned', 'mode', 'phoneLast4'…); the first per field. */
export function fieldErrors(error: ApiError | null): Record<string, string> {
  const out: Record<string, string> = {}
  for (const issue of error?.issues ?? []) {
    const key = issue.path || '_'
    if (!(key in out)) out[key] = issue.message
  }
  return out
}
