// The api function's router: envelope parsing, action lookup, access check, input validation, error mapping.
import * as z from 'zod'
import { scopeFor, type Scope } from '../core/access'
import { ACTIONS, isActionName, type ActionName } from '../core/actions'
import {
  ApiRequestSchema,
  DEFAULT_MESSAGES,
  type ApiResponse,
  type FieldIssue,
} from '../core/envelope'
import { resolveCaller, type Caller } from './actor'
import { auditWriter, type AuditWriter } from './audit'
import type { Clock } from './clock'
import { DomainError } from './errors'
import type { Actor } from './records'

/**
 * Actions whose handler runs without a registered actor (`caller.user` may be null): those the access
 * table opens to unregistered callers (and `session.me`).
 */
type PublicAction =
  'session.me' | 'invites.peek' | 'invites.join' | 'confirmations.view' | 'confirmations.bind'

type BaseContext = { caller: Caller; now: Clock; requestId?: string }
/** What a gated action runs with: the registered actor, the scope the access table grants, an audit writer. */
export type ActorContext = BaseContext & {
  actor: Actor
  scope: Exclude<Scope, 'anyone'>
  audit: ReturnType<typeof auditWriter>
}

export type ActionContext<A extends ActionName> = A extends PublicAction
  ? BaseContext
  : ActorContext

export type ActionHandler<A extends ActionName> = (
  input: z.output<(typeof ACTIONS)[A]['input']>,
  ctx: ActionContext<A>,
) => Promise<z.input<(typeof ACTIONS)[A]['output']>>

/** Handlers for a subset of actions (one feature's); `HandlerTable` is all of them. */
export type Handlers<K extends ActionName> = { [A in K]: ActionHandler<A> }
export type HandlerTable = Handlers<ActionName>
export type { AuditWriter }

export type Logger = (entry: Record<string, unknown>) => void

/** Turns zod issues into `{path, message}` pairs; paths are dotted field names, never values. */
export function fieldIssues(error: z.ZodError): FieldIssue[] {
  return error.issues.map((i) => ({ path: i.path.map(String).join('.'), message: i.message }))
}

export async function handleApiEvent(
  event: unknown,
  handlers: HandlerTable,
  deps: { now: Clock; log: Logger },
): Promise<ApiResponse<unknown>> {
  const envelope = ApiRequestSchema.safeParse(stripPlatformFields(event))
  if (!envelope.success) {
    return {
      ok: false,
      code: 'VALIDATION',
      message: '请求格式不正确',
      issues: fieldIssues(envelope.error),
    }
  }
  const { action, data, requestId } = envelope.data
  if (!isActionName(action))
    return { ok: false, code: 'NOT_FOUND', message: `没有这个操作：${action}` }

  const spec = ACTIONS[action]
  const input = spec.input.safeParse(data)
  if (!input.success) {
    return {
      ok: false,
      code: 'VALIDATION',
      message: DEFAULT_MESSAGES.VALIDATION,
      issues: fieldIssues(input.error),
    }
  }
  const started = Date.now()
  try {
    const caller = await resolveCaller()
    const scope = scopeFor(action, caller.user?.role ?? null)
    if (!scope) {
      throw new DomainError(
        'FORBIDDEN',
        caller.user ? DEFAULT_MESSAGES.FORBIDDEN : '您还没有加入，请扫描邀请码登记身份',
      )
    }
    const base: BaseContext = { caller, now: deps.now, requestId }
    const ctx =
      scope === 'anyone' || !caller.user
        ? base
        : {
            ...base,
            actor: caller.user,
            scope,
            audit: auditWriter(caller.user, deps.now, requestId),
          }
    const handler = handlers[action] as (input: unknown, ctx: unknown) => Promise<unknown>
    const output = await handler(input.data, ctx)
    deps.log({ action, requestId, ok: true, ms: Date.now() - started })
    return { ok: true, data: spec.output.parse(output) }
  } catch (err) {
    if (err instanceof DomainError) {
      deps.log({ action, requestId, ok: false, code: err.code, ms: Date.now() - started })
      return {
        ok: false,
        code: err.code,
        message: err.message,
        ...(err.issues ? { issues: err.issues } : {}),
      }
    }
    // The stack goes to the function log only (no personal data is put in error messages); the caller sees a code.
    deps.log({
      action,
      requestId,
      ok: false,
      code: 'INTERNAL',
      error: err instanceof Error ? err.stack : String(err),
    })
    return { ok: false, code: 'INTERNAL', message: DEFAULT_MESSAGES.INTERNAL }
  }
}

/** `wx.cloud.callFunction` adds `userInfo` to the event; identity comes from the platform context instead. */
function stripPlatformFields(event: unknown): unknown {
  if (typeof event !== 'object' || event === null || Array.isArray(event)) return event
  const { userInfo: _userInfo, ...rest } = event as Record<string, unknown>
  return rest
}
