// The one error type every failed call to the cloud throws: a server envelope error or a client-side failure.
import type { ErrorCode, FieldIssue } from '../core/envelope'

/**
 * Failures that never reach or never come back from the `api` function, so the server cannot name
 * them: NETWORK (no usable answer from the transport), BAD_RESPONSE (an answer that breaks the contract).
 */
export const CLIENT_ERROR_CODES = ['NETWORK', 'BAD_RESPONSE'] as const
export type ClientErrorCode = (typeof CLIENT_ERROR_CODES)[number]
export type ApiErrorCode = ErrorCode | ClientErrorCode

export const CLIENT_MESSAGES = {
  networkUnavailable: '网络不可用，请稍后再试',
  serviceUnavailable: '服务暂时不可用，请稍后再试',
  badResponse: '服务返回的数据有误，请稍后再试',
} as const

export class ApiError extends Error {
  readonly code: ApiErrorCode
  readonly issues: readonly FieldIssue[]

  constructor(code: ApiErrorCode, message: string, issues: readonly FieldIssue[] = []) {
    super(message)
    this.name = 'ApiError'
    this.code = code
    this.issues = issues
    // Keep `instanceof` working where the compiled class extends a native Error.
    Object.setPrototypeOf(this, ApiError.prototype)
  }
}

export function isApiError(value: unknown): value is ApiError {
  return value instanceof ApiError
}

/** Anything thrown, as an ApiError the UI can show (unknown failures count as network trouble). */
export function toApiError(value: unknown): ApiError {
  return isApiError(value) ? value : new ApiError('NETWORK', CLIENT_MESSAGES.networkUnavailable)
}
