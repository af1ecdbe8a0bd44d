// The CloudBase admin API (POST /admin): parses what a server SDK sends and routes it by action family.
import { randomUUID } from 'node:crypto'
import type { DatabaseService } from './database'
import { AdminError, type AdminContext, type AdminParams } from './protocol'
import type { OpenApiService, Caller } from '../openapi'
import type { StorageService } from '../storage'
import type { FunctionPool } from '../functions/pool'

export type AdminServices = {
  defaultEnv: string
  database: DatabaseService
  storage: StorageService
  openapi: OpenApiService
  functions: FunctionPool
}

export type HttpAnswer = { status: number; headers: Record<string, string>; body: Buffer }

const json = (value: unknown): HttpAnswer => ({
  status: 200,
  headers: { 'content-type': 'application/json; charset=utf-8' },
  body: Buffer.from(JSON.stringify(value)),
})

export async function handleAdmin(
  services: AdminServices,
  req: { body: Buffer; contentType: string; query: URLSearchParams },
): Promise<HttpAnswer> {
  const requestId = randomUUID()
  const fail = (code: string | number, message: string) => json({ code, message, requestId })

  if (req.contentType.startsWith('multipart/form-data')) {
    // Only wx.openApi travels as multipart (protobuf payload); the openapi service reads the parts itself.
    const token = multipartField(req.body, 'wxCloudApiToken')
    const functionName = token ? services.functions.functionForToken(token) : null
    const def = functionName ? services.functions.definition(functionName) : null
    const caller: Caller = {
      functionName,
      openapiPermissions: def?.config.permissions.openapi ?? [],
    }
    return services.openapi.handleHttp({ body: req.body, contentType: req.contentType }, caller)
  }

  let params: AdminParams
  try {
    const parsed: unknown = JSON.parse(req.body.toString('utf8'))
    if (
      typeof parsed !== 'object' ||
      parsed === null ||
      typeof (parsed as { action?: unknown }).action !== 'string'
    ) {
      return fail('INVALID_PARAM', 'request body must be a JSON object with an action')
    }
    params = parsed as AdminParams
  } catch {
    return fail('INVALID_PARAM', 'request body is not valid JSON')
  }

  const envName =
    typeof params.envName === 'string' && params.envName ? params.envName : req.query.get('env')
  const ctx: AdminContext = { env: envName || services.defaultEnv, requestId }
  const family = params.action.split('.')[0]
  try {
    switch (family) {
      case 'database':
        return json({ ...(await services.database.handle(params.action, params, ctx)), requestId })
      case 'storage':
        return json({ ...services.storage.handle(params.action, params, ctx), requestId })
      case 'functions':
        return json({ ...(await invokeFromFunction(services.functions, params)), requestId })
      default:
        return fail('INVALID_PARAM', `action ${params.action} is not supported by the emulator`)
    }
  } catch (err) {
    if (err instanceof AdminError) return fail(err.code, err.message)
    return fail('SYS_ERR', `emulator error: ${(err as Error).message}`)
  }
}

async function invokeFromFunction(
  pool: FunctionPool,
  params: AdminParams,
): Promise<Record<string, unknown>> {
  if (params.action !== 'functions.invokeFunction') {
    throw new AdminError(
      'INVALID_PARAM',
      `action ${params.action} is not supported by the emulator`,
    )
  }
  const name = params.function_name
  if (typeof name !== 'string') throw new AdminError('INVALID_PARAM', 'function_name is required')
  let event: unknown = {}
  if (typeof params.request_data === 'string' && params.request_data) {
    try {
      event = JSON.parse(params.request_data)
    } catch {
      throw new AdminError('INVALID_PARAM', 'request_data is not valid JSON')
    }
  }
  const out = await pool.invoke(name, { event, source: 'function' })
  if (!out.ok) {
    throw new AdminError(
      out.errCode === -501000 ? 'FUNCTIONS_NOT_FOUND' : 'FUNCTIONS_EXECUTE_FAIL',
      out.errMsg,
    )
  }
  return { data: { response_data: JSON.stringify(out.result) } }
}

/** The text value of one simple form field in a multipart body, or null. */
export function multipartField(body: Buffer, name: string): string | null {
  const marker = Buffer.from(`name="${name}"`)
  const at = body.indexOf(marker)
  if (at < 0) return null
  const start = body.indexOf('\r\n\r\n', at)
  if (start < 0) return null
  const end = body.indexOf('\r\n', start + 4)
  if (end < 0) return null
  return body.subarray(start + 4, end).toString('utf8')
}
