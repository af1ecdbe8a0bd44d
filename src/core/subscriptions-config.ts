// Subscription-message templates and reminder timing, read from config/subscriptions.json (server and client alike).
//
// Template ids and keyword names are configuration, not code: the console's template ids differ per
// mini-program, and the same file tells the local emulator which templates exist. Values are fitted
// to WeChat's keyword rules here (thing ≤ 20 characters, phrase ≤ 5 Chinese characters...), so a send
// never fails with 47003 for a value that was merely too long.
import * as z from 'zod'
import raw from '../../config/subscriptions.json'

export const TEMPLATE_KEYS = ['helper_digest', 'officer_digest', 'urgent_report'] as const
export type TemplateKey = (typeof TEMPLATE_KEYS)[number]

const KEYWORD =
  /^(thing|number|letter|symbol|character_string|time|date|amount|phone_number|car_number|name|phrase)\d+$/

const FieldSchema = z.object({ key: z.string().regex(KEYWORD), label: z.string().min(1) })

const TemplateSchema = z.object({
  id: z.string().min(1),
  title: z.string().min(1),
  /** the mini-program page the message opens */
  page: z.string().min(1),
  /** message role (summary, stage...) → console keyword */
  fields: z.record(z.string(), FieldSchema),
})
export type TemplateConfig = z.infer<typeof TemplateSchema>

export const SweepConfigSchema = z.object({
  /** days left in a period (today included) at which a helper is reminded, e.g. [7, 2] */
  dueSoonStages: z.array(z.number().int().min(1).max(89)).min(1),
  /** a duty that became overdue is still announced this many days into the next period (a missed run) */
  overdueCatchUpDays: z.number().int().min(1).max(27),
  /** "overdue two periods in a row" escalates the helper by name to the village officer */
  escalateAfterPeriods: z.number().int().min(1),
  /** duty states read per database call (the platform returns at most 1000) */
  pageSize: z.number().int().min(1).max(1000),
  /** a run stops starting new pages after this long and continues on the next trigger */
  budgetMs: z.number().int().min(1000).max(55_000),
  /** transient send failures are retried on later runs up to this many attempts */
  maxAttempts: z.number().int().min(1),
})
export type SweepConfig = z.infer<typeof SweepConfigSchema>

export const SubscriptionsConfigSchema = z.object({
  templates: z.object({
    helper_digest: TemplateSchema,
    officer_digest: TemplateSchema,
    urgent_report: TemplateSchema,
  }),
  sweep: SweepConfigSchema,
})
export type SubscriptionsConfig = z.infer<typeof SubscriptionsConfigSchema>

/** The deployment's configuration; a malformed file fails at load, not at 09:00. */
export const SUBSCRIPTIONS: SubscriptionsConfig = SubscriptionsConfigSchema.parse(raw)

/** The template key of a console template id, or null for an id this deployment does not use. */
export function templateKeyOf(
  templateId: string,
  config: SubscriptionsConfig = SUBSCRIPTIONS,
): TemplateKey | null {
  return TEMPLATE_KEYS.find((k) => config.templates[k].id === templateId) ?? null
}

/** The templates as the emulator's `templates` option wants them: id → {title, fields: keyword → label}. */
export function emulatorTemplates(
  config: SubscriptionsConfig = SUBSCRIPTIONS,
): Record<string, { title: string; fields: Record<string, string> }> {
  const out: Record<string, { title: string; fields: Record<string, string> }> = {}
  for (const k of TEMPLATE_KEYS) {
    const t = config.templates[k]
    out[t.id] = {
      title: t.title,
      fields: Object.fromEntries(Object.values(t.fields).map((f) => [f.key, f.label])),
    }
  }
  return out
}

// ------------------------------------------------------------------------------- keyword values

const chars = (s: string) => Array.from(s)

/** Cut to at most `max` characters (not UTF-16 units), marking the cut with '…'. */
export function fitText(value: string, max: number): string {
  const cs = chars(value.replace(/\s+/g, ' ').trim())
  if (cs.length <= max) return cs.join('') || '-'
  return `${cs.slice(0, max - 1).join('')}…`
}

/** A `phrase` keyword: 1–5 Chinese characters only; anything else falls back to `fallback`. */
export function fitPhrase(value: string, fallback = '提醒'): string {
  const han = chars(value).filter((c) => /\p{Script=Han}/u.test(c))
  return han.length > 0 ? han.slice(0, 5).join('') : fallback
}

/** Fits one value to the rule of the keyword's type (thing, phrase; dates and times are built valid). */
export function fitKeyword(keyword: string, value: string): string {
  if (keyword.startsWith('thing')) return fitText(value, 20)
  if (keyword.startsWith('phrase')) return fitPhrase(value)
  return value
}

/** The `data` argument of subscribeMessage.send: message roles mapped to the template's keywords, fitted. */
export function messageData(
  template: TemplateConfig,
  values: Record<string, string>,
): Record<string, { value: string }> {
  const data: Record<string, { value: string }> = {}
  for (const [role, field] of Object.entries(template.fields)) {
    data[field.key] = { value: fitKeyword(field.key, values[role] ?? '-') }
  }
  return data
}
