// The wire contract between the mini-program and the `api` cloud function: request and response envelopes.
import * as z from 'zod'

// Field issues reach people (beside the field, in the app): zod's own messages in Chinese by default.
z.config(z.locales.zhCN())

export const ERROR_CODES = [
  'VALIDATION',
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'NOT_FOUND',
  'CONFLICT',
  'INTERNAL',
] as const
export type ErrorCode = (typeof ERROR_CODES)[number]

export const ApiRequestSchema = z.object({
  action: z.string().min(1).max(64),
  data: z.record(z.string(), z.unknown()).default({}),
  requestId: z.string().min(8).max(64).optional(),
})
export type ApiRequest = z.infer<typeof ApiRequestSchema>

export type FieldIssue = { path: string; message: string }

export type ApiFailure = { ok: false; code: ErrorCode; message: string; issues?: FieldIssue[] }
export type ApiSuccess<T> = { ok: true; data: T }
export type ApiResponse<T> = ApiSuccess<T> | ApiFailure

/** Chinese messages shown to the person when a call fails; handlers may give a more precise one. */
export const DEFAULT_MESSAGES: Record<ErrorCode, string> = {
  VALIDATION: '填写的内容有误，请检查后再提交',
  UNAUTHENTICATED: '尚未登记身份，请先通过邀请码加入',
  FORBIDDEN: '没有权限进行此操作',
  NOT_FOUND: '要找的内容不存在',
  CONFLICT: '数据已被他人修改或已存在，请刷新后再试',
  INTERNAL: '系统繁忙，请稍后再试',
}
