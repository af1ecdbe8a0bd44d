// `subscribeMessage.send`: one-time subscription messages, recorded instead of delivered, with WeChat's checks.

import * as z from 'zod'
import type { EmulatorClock } from '../../clock'
import { defineApi, WxApiError, type RegisteredApi } from '../registry'
import type { OpenApiStore } from '../store'
import { checkKeyword, keywordType } from './subscribe-rules'

/** A template as configured in the WeChat console: its keywords (`thing1` → its label, e.g. 活动名称). */
export type TemplateConfig = { title?: string; fields: Record<string, string> }

// errmsg texts as api.weixin.qq.com words them (the service appends " rid: ...").
const invalidOpenid = () => new WxApiError(40003, 'invalid openid')
const invalidTemplate = () => new WxApiError(40037, 'invalid template_id')
const refused = () => new WxApiError(43101, 'user refuse to accept the msg')
const argumentInvalid = (what: string) => new WxApiError(47003, `argument invalid! ${what}`)

/** An openid as WeChat issues them: URL-safe base64-ish characters (28 in production; any length here). */
const OPENID = /^[A-Za-z0-9_-]{1,64}$/

const sendArgs = z.object({
  touser: z.string().optional(),
  template_id: z.string().optional(),
  page: z.string().optional(),
  // Keyword values are checked one by one below so that errors name the keyword, as production's do.
  data: z.record(z.string(), z.unknown()).optional(),
  miniprogram_state: z.enum(['developer', 'trial', 'formal']).optional(),
  lang: z.enum(['zh_CN', 'en_US', 'zh_HK', 'zh_TW']).optional(),
})

const keywordValue = z.object({ value: z.union([z.string(), z.number()]) })

/** Fails fast on a template config that names a keyword type WeChat does not have. */
export function checkTemplates(templates: Record<string, TemplateConfig>): void {
  for (const [id, t] of Object.entries(templates)) {
    for (const key of Object.keys(t.fields)) {
      if (keywordType(key) === null) {
        throw new Error(`openapi template ${id}: keyword ${key} has no known type prefix`)
      }
    }
  }
}

export function subscribeMessageApis(deps: {
  store: OpenApiStore
  clock: EmulatorClock
  templates?: Record<string, TemplateConfig>
}): RegisteredApi[] {
  const send = defineApi({
    name: 'subscribeMessage.send',
    args: sendArgs,
    invalid: (issues) => {
      const field = issues[0]?.path[0]
      if (field === 'touser') return invalidOpenid()
      if (field === 'template_id') return invalidTemplate()
      if (field === 'data') return argumentInvalid('data')
      return new WxApiError(47001, `data format error: ${String(field ?? '')} invalid`)
    },
    run(args) {
      const touser = args.touser ?? ''
      if (!OPENID.test(touser)) throw invalidOpenid()
      const templateId = args.template_id ?? ''
      if (templateId === '') throw invalidTemplate()
      const template = deps.templates ? deps.templates[templateId] : undefined
      if (deps.templates && !template) throw invalidTemplate()

      const raw = args.data ?? {}
      const data: Record<string, { value: string }> = {}
      for (const [key, entry] of Object.entries(raw)) {
        if (template && !(key in template.fields)) {
          throw argumentInvalid(`data.${key} is not a keyword of template ${templateId}`)
        }
        const parsed = keywordValue.safeParse(entry)
        const value = parsed.success ? String(parsed.data.value) : ''
        const problem = checkKeyword(key, value)
        if (problem)
          throw argumentInvalid(`data.${key}.value ${problem === 'empty' ? 'is empty' : 'invalid'}`)
        data[key] = { value }
      }
      // A keyword the template shows but the call left out renders blank; production refuses it as empty.
      for (const key of Object.keys(template?.fields ?? {})) {
        if (!(key in data)) throw argumentInvalid(`data.${key}.value is empty`)
      }
      if (Object.keys(data).length === 0) throw argumentInvalid('data is empty')

      const sent = deps.store.sendWithQuota(
        {
          touser,
          templateId,
          data,
          ...(args.page !== undefined && { page: args.page }),
          ...(args.miniprogram_state !== undefined && { miniprogramState: args.miniprogram_state }),
          ...(args.lang !== undefined && { lang: args.lang }),
        },
        deps.clock.now(),
      )
      // Checked after the arguments, so a malformed call never spends the user's one acceptance.
      if (!sent) throw refused()
      return { kind: 'json', body: {} }
    },
  })
  return [send]
}
