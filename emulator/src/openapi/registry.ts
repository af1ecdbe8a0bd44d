// The one place an openapi call is defined: its name, how its arguments parse, and what it answers.

import type * as z from 'zod'

/** Who made the call: the function (from its config.json) or nothing when not from a function. */
export type Caller = { functionName: string | null; openapiPermissions: readonly string[] }

/** A WeChat-side refusal: lands in the response body as `{errcode, errmsg}`, as api.weixin.qq.com answers. */
export class WxApiError extends Error {
  constructor(
    readonly errcode: number,
    readonly errmsg: string,
  ) {
    super(`${errcode} ${errmsg}`)
  }
}

/** WeChat's answer to a malformed request body; used when an argument has the wrong JSON shape. */
export const dataFormatError = (detail: string): WxApiError =>
  new WxApiError(47001, `data format error: ${detail}`)

/** What a successful call answers: a JSON object (errcode 0 is added) or a binary body (QR images). */
export type OpenApiOutcome =
  | { kind: 'json'; body: Record<string, unknown> }
  | { kind: 'buffer'; contentType: string; data: Buffer }

export type OpenApiContext = {
  caller: Caller
  /** `CommApiData.appid`, set when the function called `cloud.openapi({ appid })` (resource sharing). */
  appid?: string
}

/**
 * A file argument (`{ contentType, value: Buffer }` in the caller's code, e.g. security.imgSecCheck media):
 * the SDK sends it as a raw pair with contenttype/filename instead of JSON.
 */
export type MediaArg = { contentType: string; value: Buffer; fileName?: string }

export type OpenApiDefinition<A> = {
  /** As the caller writes it after `cloud.openapi.` and as config.json permissions.openapi lists it. */
  name: string
  /** The snake_case arguments (the SDK converts camelCase before sending). */
  args: z.ZodType<A>
  /** This API's WeChat error for arguments that fail the schema; 47001 when not given. */
  invalid?: (issues: readonly z.core.$ZodIssue[]) => WxApiError
  run(args: A, ctx: OpenApiContext): OpenApiOutcome | Promise<OpenApiOutcome>
}

/** A definition with its argument type sealed inside, so differently-typed APIs share one registry. */
export type RegisteredApi = {
  name: string
  call(args: Record<string, unknown>, ctx: OpenApiContext): Promise<OpenApiOutcome>
}

export function defineApi<A>(def: OpenApiDefinition<A>): RegisteredApi {
  return {
    name: def.name,
    async call(raw, ctx) {
      const parsed = def.args.safeParse(raw)
      if (!parsed.success) {
        throw def.invalid
          ? def.invalid(parsed.error.issues)
          : dataFormatError(parsed.error.issues.map(describeIssue).join('; '))
      }
      return def.run(parsed.data, ctx)
    },
  }
}

export function describeIssue(issue: z.core.$ZodIssue): string {
  const path = issue.path.map(String).join('.')
  return path ? `${path}: ${issue.message}` : issue.message
}

export function createRegistry(apis: readonly RegisteredApi[]): ReadonlyMap<string, RegisteredApi> {
  const map = new Map<string, RegisteredApi>()
  for (const api of apis) {
    if (map.has(api.name)) throw new Error(`openapi ${api.name} defined twice`)
    map.set(api.name, api)
  }
  return map
}
