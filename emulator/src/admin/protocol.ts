// Shapes of the CloudBase admin API (POST /admin) as the server SDKs send and read them.

/** The JSON body the SDK posts: `action` plus action-specific params, envName and tokens. */
export type AdminParams = Record<string, unknown> & { action: string; envName?: string }

/** What the emulator answers. A `code` makes the SDK throw `TcbError{code, message}`. */
export type AdminResult =
  | { requestId: string; data?: unknown; [key: string]: unknown }
  | { requestId: string; code: string | number; message: string }

export class AdminError extends Error {
  constructor(
    readonly code: string | number,
    message: string,
  ) {
    super(message)
  }
}

/** One admin-API action family handler (database, storage, openapi, functions). */
export type AdminContext = {
  /** Environment id the SDK addressed (envName); the emulator keeps one database per environment. */
  env: string
  requestId: string
  /** Name of the function that made the call, when it came from a function instance. */
  functionName?: string
}
