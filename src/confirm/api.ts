// The confirm page's own tiny caller: types only from the shared contract, so no zod reaches this subpackage.
import type { ConfirmationsViewOutput, ConfirmationVisit } from '../core/confirmations'
import { ApiError, CLIENT_MESSAGES } from '../services/api-error'
import { transport } from '../services/transport'

export type { ConfirmationsViewOutput, ConfirmationVisit }

export type AnswerOutput = {
  answer: 'confirmed' | 'disputed'
  at: string
  visit: ConfirmationVisit
}

type Calls = {
  'confirmations.view': { input: { scene: string }; output: ConfirmationsViewOutput }
  'confirmations.bind': {
    input: { scene: string; phoneLast4: string }
    output: ConfirmationsViewOutput
  }
  'confirmations.answer': {
    input: { scene: string; answer: 'confirmed' | 'disputed'; comment: string }
    output: AnswerOutput
  }
}

/**
 * Calls one confirmation action. The server validates everything; here only the envelope is checked
 * (the full zod client is the main package's and would triple this subpackage's size).
 */
export async function callConfirm<A extends keyof Calls>(
  action: A,
  data: Calls[A]['input'],
): Promise<Calls[A]['output']> {
  const result = await transport('api', { action, data })
  if (typeof result !== 'object' || result === null || !('ok' in result)) {
    throw new ApiError('BAD_RESPONSE', CLIENT_MESSAGES.badResponse)
  }
  const envelope = result as
    | { ok: true; data: Calls[A]['output'] }
    | { ok: false; code: string; message: string; issues?: { path: string; message: string }[] }
  if (envelope.ok) return envelope.data
  throw new ApiError(
    envelope.code as ConstructorParameters<typeof ApiError>[0],
    envelope.message,
    envelope.issues ?? [],
  )
}
