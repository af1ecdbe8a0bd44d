// The emulator's openapi service: answers `cloud.openapi.*` (admin action `wx.openApi`) as WeChat Cloud does.
//
// Wire (wx-server-sdk 4.0.2 on @cloudbase/node-sdk 3.17.2): the SDK POSTs multipart/form-data with parts
// `action=wx.openApi`, `apiName` (e.g. `subscribeMessage.send`), `requestData` (protobuf CommApiData whose
// pairs carry each top-level argument as snake_case JSON), `envName` and its tokens. It reads the answer
// as raw bytes: a protobuf CommOpenApiResp, unless the content-type is exactly
// `application/json; charset=utf-8`, which it parses as a TCB error `{code, message}`.
// Errors reach the caller as CloudSDKError `{errCode, errMsg}` in three ways, mirrored here:
//  - platform refusals (no permission, unknown api): CommOpenApiResp.errorCode, e.g. -604101;
//  - WeChat refusals (43101, 47003...): respData JSON `{errcode, errmsg}`, application/json;
//  - transport/TCB failures (malformed request): JSON `{code, message, requestId}`.

import { randomBytes, randomUUID } from 'node:crypto'
import type { EmulatorClock } from '../clock'
import { AdminError, type AdminResult } from '../admin/protocol'
import {
  createRegistry,
  dataFormatError,
  WxApiError,
  type Caller,
  type MediaArg,
  type OpenApiOutcome,
  type RegisteredApi,
} from './registry'
import { OpenApiStore, type SentMessage } from './store'
import { checkTemplates, subscribeMessageApis, type TemplateConfig } from './apis/subscribe-message'
import { wxacodeApis, wxacodeUrl } from './apis/wxacode'
import {
  API_TYPE_OPEN_API,
  decodeCommApiData,
  encodeCommOpenApiResp,
  parseMultipart,
  type KeyValuePair,
} from './wire'

export type { Caller, SentMessage, TemplateConfig }
export { parseMultipart, wxacodeUrl }

/** Platform error codes the SDK knows by name (wx-server-sdk `config/error.config` ERR_CODE). */
export const PLATFORM_ERRORS = {
  API_NOT_FOUND: -604100,
  NO_PERMISSION: -604101,
  SYSTEM_ERROR: -604103,
  ILLEGAL_INVOCATION_SOURCE: -604104,
} as const

export type OpenApiServiceOptions = {
  dataDir: string
  clock: EmulatorClock
  /** Base URL of the served h5 build; QR codes point into it. */
  publicUrl: () => string
  /** Subscription templates as configured in the console; when given, unknown ids get 40037. */
  templates?: Record<string, TemplateConfig>
  /** Where diagnostics go (a call to an API the emulator does not implement, an internal failure). */
  log?: (line: string) => void
}

export type HttpAnswer = { status: number; headers: Record<string, string>; body: Buffer }

export interface OpenApiService {
  /** Answers one `wx.openApi` admin request exactly as it arrives over HTTP (raw body + content-type). */
  handleHttp(req: { body: Buffer; contentType: string }, caller: Caller): Promise<HttpAnswer>
  /** Local stand-in for a user accepting a one-time subscription (wx.requestSubscribeMessage): adds `count` quota. */
  grant(openid: string, templateId: string, count?: number): void
  quota(openid: string, templateId: string): number
  messages(filter?: { touser?: string; templateId?: string }): SentMessage[]
  /** Names of the calls this emulator answers. */
  readonly supportedApis: readonly string[]
  reset(): void
  close(): void
}

// The SDK's JSON branch triggers only on this exact header value (tcbapirequester handleWxOpenApiData).
const TCB_JSON = 'application/json; charset=utf-8'
// api.weixin.qq.com labels its JSON this way; the SDK accepts any application/json or text/plain.
const WX_JSON = 'application/json; encoding=utf-8'

export function createOpenApiService(opts: OpenApiServiceOptions): OpenApiService {
  if (opts.templates) checkTemplates(opts.templates)
  const log = opts.log ?? ((line: string) => console.warn(line))
  const store = new OpenApiStore(opts.dataDir)
  const apis: RegisteredApi[] = [
    ...subscribeMessageApis({
      store,
      clock: opts.clock,
      ...(opts.templates && { templates: opts.templates }),
    }),
    ...wxacodeApis({ publicUrl: opts.publicUrl }),
  ]
  const registry = createRegistry(apis)

  /** WeChat's request id suffix: hex unix seconds then two random words, e.g. 5f325159-44411d21-1eb8b6c3. */
  const rid = (): string => {
    const secs = Math.floor(opts.clock.nowMs() / 1000)
      .toString(16)
      .padStart(8, '0')
    const rand = randomBytes(8).toString('hex')
    return `${secs}-${rand.slice(0, 8)}-${rand.slice(8)}`
  }

  const pb = (resp: Parameters<typeof encodeCommOpenApiResp>[0]): HttpAnswer => ({
    status: 200,
    headers: { 'content-type': 'application/octet-stream' },
    body: encodeCommOpenApiResp(resp),
  })

  const tcbError = (requestId: string, code: string, message: string): HttpAnswer => {
    const result: AdminResult = { requestId, code, message }
    // Status 200: the SDK turns any other status into a bare HTTP error and never reads the body.
    return {
      status: 200,
      headers: { 'content-type': TCB_JSON },
      body: Buffer.from(JSON.stringify(result)),
    }
  }

  const wxJson = (body: Record<string, unknown>): HttpAnswer =>
    pb({
      respData: Buffer.from(JSON.stringify(body)),
      contentType: WX_JSON,
      errorCode: 0,
      httpCode: 200,
    })

  const outcome = (o: OpenApiOutcome): HttpAnswer =>
    o.kind === 'json'
      ? wxJson({ errcode: 0, errmsg: 'ok', ...o.body })
      : pb({ respData: o.data, contentType: o.contentType, errorCode: 0, httpCode: 200 })

  async function handleHttp(
    req: { body: Buffer; contentType: string },
    caller: Caller,
  ): Promise<HttpAnswer> {
    const requestId = randomUUID()
    const form = parseMultipart(req.body, req.contentType)
    if (!form)
      return tcbError(requestId, 'INVALID_PARAM', 'wx.openApi expects a multipart/form-data body')
    const action = form.get('action')?.data.toString('utf8')
    if (action !== 'wx.openApi') {
      return tcbError(
        requestId,
        'INVALID_ACTION',
        `action ${String(action)} is not served by the openapi service`,
      )
    }
    const apiName = form.get('apiName')?.data.toString('utf8') ?? ''
    const requestData = form.get('requestData')?.data
    if (apiName === '' || !requestData) {
      return tcbError(requestId, 'INVALID_PARAM', 'wx.openApi needs apiName and requestData')
    }
    let request
    try {
      request = decodeCommApiData(requestData)
    } catch (e) {
      return tcbError(
        requestId,
        'INVALID_PARAM',
        `requestData is not a CommApiData message: ${String(e)}`,
      )
    }
    // cloudbase.getOpenData / getVoIPSign / cloud-call signing use other api types; none is emulated.
    if (request.apiType !== API_TYPE_OPEN_API)
      return pb({ errorCode: PLATFORM_ERRORS.API_NOT_FOUND })
    // Cloud calls are only honoured from inside a cloud function, with the API listed in its config.json.
    if (caller.functionName === null)
      return pb({ errorCode: PLATFORM_ERRORS.ILLEGAL_INVOCATION_SOURCE })
    if (!caller.openapiPermissions.includes(apiName))
      return pb({ errorCode: PLATFORM_ERRORS.NO_PERMISSION })
    const api = registry.get(apiName)
    if (!api) {
      log(
        `[emulator/openapi] ${caller.functionName} called openapi.${apiName}, which the emulator does not implement (supported: ${[...registry.keys()].join(', ')})`,
      )
      return pb({ errorCode: PLATFORM_ERRORS.API_NOT_FOUND })
    }
    try {
      const args = argsFromPairs(request.pairs)
      return outcome(
        await api.call(args, {
          caller,
          ...(request.appid !== undefined && { appid: request.appid }),
        }),
      )
    } catch (e) {
      if (e instanceof WxApiError)
        return wxJson({ errcode: e.errcode, errmsg: `${e.errmsg} rid: ${rid()}` })
      log(
        `[emulator/openapi] openapi.${apiName} failed inside the emulator: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`,
      )
      return pb({ errorCode: PLATFORM_ERRORS.SYSTEM_ERROR })
    }
  }

  return {
    handleHttp,
    grant(openid, templateId, count = 1) {
      if (!openid || !templateId)
        throw new AdminError('INVALID_PARAM', 'grant needs an openid and a templateId')
      if (!Number.isSafeInteger(count) || count < 1) {
        throw new AdminError(
          'INVALID_PARAM',
          `grant count must be a positive integer, got ${count}`,
        )
      }
      store.grant(openid, templateId, count)
    },
    quota: (openid, templateId) => store.quota(openid, templateId),
    messages: (filter) => store.messages(filter),
    supportedApis: [...registry.keys()],
    reset: () => store.reset(),
    close: () => store.close(),
  }
}

/** Rebuilds the caller's (snake_case) argument object: JSON pairs, or files for media pairs. */
function argsFromPairs(pairs: readonly KeyValuePair[]): Record<string, unknown> {
  const args: Record<string, unknown> = {}
  for (const pair of pairs) {
    if (pair.contenttype !== undefined) {
      const media: MediaArg = { contentType: pair.contenttype, value: pair.value }
      if (pair.filename !== undefined) media.fileName = pair.filename
      args[pair.key] = media
      continue
    }
    try {
      args[pair.key] = JSON.parse(pair.value.toString('utf8'))
    } catch {
      throw dataFormatError(`${pair.key} is not JSON`)
    }
  }
  return args
}
