// How an envelope reaches the `api` cloud function: wx.cloud in the mini-program, the local gateway in h5.
import Taro from '@tarojs/taro'
import type { ApiRequest } from '../core/envelope'
import { getLocalOpenid } from '../local/identity'
import { ApiError, CLIENT_MESSAGES } from './api-error'

/** Sends the event, resolves with the function's return value (`result` of callFunction). */
export type Transport = (fn: string, event: ApiRequest) => Promise<unknown>

/** The gateway path (same origin as the h5 app) that runs a function as `wx.cloud.callFunction` would. */
export const LOCAL_GATEWAY_PATH = '/cloud/'
/** Give up on the local gateway after this long: a little over the `api` function's 20 s timeout. */
const LOCAL_CALL_TIMEOUT_MS = 25_000

const weappTransport: Transport = async (fn, event) => {
  let response: Taro.cloud.CallFunctionResult
  try {
    response = await Taro.cloud.callFunction({ name: fn, data: event })
  } catch (error) {
    throw new ApiError('NETWORK', describeCallFailure(error))
  }
  return response.result
}

const localGatewayTransport: Transport = async (fn, event) => {
  const headers: Record<string, string> = { 'content-type': 'application/json' }
  const openid = getLocalOpenid()
  if (openid) headers['X-Local-Openid'] = openid

  // fetch never gives up on its own; wx.cloud.callFunction does, so the local app should too.
  const abort = new AbortController()
  const timer = setTimeout(() => abort.abort(), LOCAL_CALL_TIMEOUT_MS)
  try {
    let response: Response
    try {
      response = await fetch(`${LOCAL_GATEWAY_PATH}${fn}`, {
        method: 'POST',
        headers,
        body: JSON.stringify(event),
        signal: abort.signal,
      })
    } catch {
      throw new ApiError('NETWORK', CLIENT_MESSAGES.networkUnavailable)
    }
    // The gateway answers as wx.cloud.callFunction resolves: { result, errMsg, requestID }.
    const body: unknown = response.ok ? await response.json().catch(() => null) : null
    if (typeof body !== 'object' || body === null || !('result' in body)) {
      throw new ApiError('NETWORK', CLIENT_MESSAGES.serviceUnavailable)
    }
    return body.result
  } finally {
    clearTimeout(timer)
  }
}

/**
 * callFunction rejects both when the phone is offline and when the function itself fails; the latter
 * carries a negative WeChat errCode (-504002 the function threw, -404011 no such function...).
 */
function describeCallFailure(error: unknown): string {
  if (typeof error !== 'object' || error === null) return CLIENT_MESSAGES.networkUnavailable
  const errCode = 'errCode' in error ? Number(error.errCode) : NaN
  const errMsg = 'errMsg' in error ? String(error.errMsg) : ''
  const functionFailed = errCode < 0 || /errCode:\s*-\d+/.test(errMsg)
  return functionFailed ? CLIENT_MESSAGES.serviceUnavailable : CLIENT_MESSAGES.networkUnavailable
}

/** Chosen at build time; the other branch is removed from the bundle. */
export const transport: Transport = SHOUHU_LOCAL_MODE ? localGatewayTransport : weappTransport
