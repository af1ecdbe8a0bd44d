// The one typed client of the `api` cloud function: validates input and output against the shared zod contract.
import * as z from 'zod'
import { ACTIONS, type ActionInput, type ActionName, type ActionOutput } from '../core/actions'
import { DEFAULT_MESSAGES, ERROR_CODES, type ApiRequest, type FieldIssue } from '../core/envelope'
import { ApiError, CLIENT_MESSAGES } from './api-error'
import { transport } from './transport'

/** The cloud function that serves every user action, routed by `action`. */
const API_FUNCTION = 'api'

const FailureSchema = z.object({
  ok: z.literal(false),
  code: z.enum(ERROR_CODES),
  message: z.string(),
  issues: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
})
const SuccessSchema = z.object({ ok: z.literal(true), data: z.unknown() })

export interface CallOptions {
  /** Identifies one logical request, so the server can recognise a retried write. */
  requestId?: string
}

/**
 * Calls one action. Resolves with its typed, validated output; rejects with an ApiError
 * (the server's code and Chinese message, or NETWORK / BAD_RESPONSE).
 */
export async function callApi<A extends ActionName>(
  action: A,
  input: ActionInput<A>,
  opts: CallOptions = {},
): Promise<ActionOutput<A>> {
  const contract = ACTIONS[action]

  const checkedInput = contract.input.safeParse(input)
  if (!checkedInput.success) {
    throw new ApiError('VALIDATION', DEFAULT_MESSAGES.VALIDATION, toFieldIssues(checkedInput.error))
  }

  const event: ApiRequest = { action, data: input as Record<string, unknown> }
  if (opts.requestId !== undefined) event.requestId = opts.requestId

  const result = await transport(API_FUNCTION, event)
  if (result === undefined || result === null) {
    throw new ApiError('NETWORK', CLIENT_MESSAGES.serviceUnavailable)
  }

  const failure = FailureSchema.safeParse(result)
  if (failure.success) {
    const { code, message, issues } = failure.data
    throw new ApiError(code, message || DEFAULT_MESSAGES[code], issues ?? [])
  }
  const success = SuccessSchema.safeParse(result)
  if (!success.success) throw badResponse(action)

  const output = contract.output.safeParse(success.data.data)
  if (!output.success) throw badResponse(action)
  return output.data as ActionOutput<A>
}

function badResponse(action: ActionName): ApiError {
  // Only the action name: outputs may carry children's personal data and must not reach logs.
  console.warn(`[api] ${action}: the answer does not match the contract`)
  return new ApiError('BAD_RESPONSE', CLIENT_MESSAGES.badResponse)
}

function toFieldIssues(error: z.ZodError): FieldIssue[] {
  return error.issues.map((issue) => ({
    path: issue.path.map(String).join('.'),
    message: issue.message,
  }))
}
