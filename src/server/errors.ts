// Errors a handler raises on purpose: each becomes `{ok:false, code, message}` for the caller.
import { DEFAULT_MESSAGES, type ErrorCode, type FieldIssue } from '../core/envelope'

export class DomainError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string = DEFAULT_MESSAGES[code],
    readonly issues?: FieldIssue[],
  ) {
    super(message)
  }
}
