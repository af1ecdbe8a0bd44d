// Officer-side hooks over the typed client: writes with a busy state, field issues and retry-safe request ids.
import { useDidHide, useDidShow } from '@tarojs/taro'
import { useCallback, useEffect, useRef, useState } from 'react'
import type { ActionInput, ActionName, ActionOutput } from '../core/actions'
import { callApi, toApiError, type ApiError } from '../services'

/** One id per logical submission (8-64 chars), reused when the same submission is retried. */
export function newRequestId(): string {
  const rand = () =>
    Math.floor(Math.random() * 0x100000000)
      .toString(16)
      .padStart(8, '0')
  return `o${Date.now().toString(36)}${rand()}${rand()}`
}

export type Mutation<A extends ActionName> = {
  busy: boolean
  error: ApiError | null
  /** Field messages by dotted path ('guardians.0.phone'), from the client check or the server. */
  fieldErrors: Record<string, string>
  run: (input: ActionInput<A>) => Promise<ActionOutput<A> | null>
  reset: () => void
}

/** A write action: at most one call in flight; a failed call keeps its request id for the retry. */
export function useMutation<A extends ActionName>(action: A): Mutation<A> {
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<ApiError | null>(null)
  const requestId = useRef<{ key: string; id: string } | null>(null)
  const inFlight = useRef(false)

  const run = useCallback(
    async (input: ActionInput<A>) => {
      if (inFlight.current) return null
      inFlight.current = true
      setBusy(true)
      setError(null)
      const key = JSON.stringify(input)
      if (requestId.current?.key !== key) requestId.current = { key, id: newRequestId() }
      try {
        const out = await callApi(action, input, { requestId: requestId.current.id })
        requestId.current = null
        return out
      } catch (e) {
        setError(toApiError(e))
        return null
      } finally {
        inFlight.current = false
        setBusy(false)
      }
    },
    [action],
  )
  const reset = useCallback(() => setError(null), [])
  const fieldErrors: Record<string, string> = {}
  for (const issue of error?.issues ?? []) fieldErrors[issue.path] ??= issue.message
  return { busy, error, fieldErrors, run, reset }
}

/**
 * Reload a query when the page is shown again after another page covered it (coming back from a form).
 * Keyed on a hide seen while mounted: a component that mounts after the page first showed must not
 * take that first show for a return.
 */
export function useReloadOnShow(reload: () => void): void {
  const hidden = useRef(false)
  useDidHide(() => {
    hidden.current = true
  })
  useDidShow(() => {
    if (!hidden.current) return
    hidden.current = false
    reload()
  })
}

/** The value once it has stopped changing for `ms` (search boxes: one call per pause, not per key). */
export function useDebounced<T>(value: T, ms: number): T {
  const [settled, setSettled] = useState(value)
  useEffect(() => {
    const timer = setTimeout(() => setSettled(value), ms)
    return () => clearTimeout(timer)
  }, [value, ms])
  return settled
}
