// Contract of the subscription and reminder actions: the quota ledger, a user's undeliverable reminders, officers' explanations.
import * as z from 'zod'
import type { ActionSpecs } from './action-spec'
import { IdSchema } from './org'
import { TEMPLATE_KEYS } from './subscriptions-config'
import { InstantSchema } from './time'

/** What became of one intended message (an outbox entry). */
export const OUTBOX_STATES = [
  /** written before sending; a run that stopped before sending it sends it next time */
  'pending',
  /** WeChat accepted it (one quota spent) */
  'sent',
  /** the ledger had no quota: nothing was sent (undeliverable) */
  'no_quota',
  /** WeChat answered 43101: the user has no acceptance left; the ledger was set to 0 (undeliverable) */
  'refused',
  /** a permanent error (40003, 40037, 47003, 41030): recorded, never retried */
  'failed',
  /** a transient error: retried by the next run */
  'retry',
] as const
export type OutboxState = (typeof OUTBOX_STATES)[number]

export const UNDELIVERABLE_STATES: readonly OutboxState[] = ['no_quota', 'refused', 'failed']

export const OUTBOX_STATE_LABELS: Record<OutboxState, string> = {
  pending: '待发送',
  sent: '已发送',
  no_quota: '未订阅，无法发送',
  refused: '订阅次数已用完，无法发送',
  failed: '发送失败（不再重试）',
  retry: '发送失败，将重试',
}

// ------------------------------------------------------------------------------- subscriptions.*

export const SubscriptionsGrantInput = z
  .object({
    /** console template ids the user accepted (`wx.requestSubscribeMessage` answered 'accept') */
    templateIds: z.array(z.string().trim().min(1).max(64)).min(1).max(3),
  })
  .strict()

export const LedgerItemSchema = z.object({
  template: z.enum(TEMPLATE_KEYS),
  templateId: z.string(),
  title: z.string(),
  /** messages that may still be sent (one per acceptance) */
  remaining: z.number().int().min(0),
  /** when the last reminder could not be delivered and nothing was granted since; null otherwise */
  unreachableSince: InstantSchema.nullable(),
})
export type LedgerItem = z.infer<typeof LedgerItemSchema>

export const SubscriptionsOutput = z.object({
  /** one row per template of the caller's role, whether or not they ever accepted it */
  items: z.array(LedgerItemSchema),
})

export const SubscriptionsMineInput = z.object({}).strict()

// ------------------------------------------------------------------------------- reminders.*

export const OutboxItemSchema = z.object({
  id: z.string(),
  template: z.enum(TEMPLATE_KEYS),
  periodKey: z.string(),
  stage: z.string(),
  state: z.enum(OUTBOX_STATES),
  stateLabel: z.string(),
  /** why the message was intended (Chinese; counts and periods, never a child's name) */
  reason: z.string(),
  /** the text as sent (keyword values), a given name at most */
  text: z.record(z.string(), z.string()),
  createdAt: InstantSchema,
  sentAt: InstantSchema.nullable(),
  attempts: z.number().int().min(0),
  /** WeChat's error code of the last attempt, if any */
  errorCode: z.number().int().nullable(),
})
export type OutboxItem = z.infer<typeof OutboxItemSchema>

export const RemindersMineInput = z
  .object({ limit: z.number().int().min(1).max(50).default(20) })
  .strict()
export const RemindersMineOutput = z.object({
  /** the badge: reminders that could not reach the caller in the last 35 days */
  badge: z.number().int().min(0),
  items: z.array(OutboxItemSchema),
})

export const RemindersExplainInput = z
  .object({ helperId: IdSchema, limit: z.number().int().min(1).max(100).default(30) })
  .strict()
export const RemindersExplainOutput = z.object({
  helper: z.object({ id: z.string(), displayName: z.string(), villageId: z.string().nullable() }),
  quota: z.array(LedgerItemSchema),
  /** newest first: every reminder intended for the helper, and what became of it */
  items: z.array(OutboxItemSchema),
  /** the helper's latest escalations to the village officer (periods missed in a row) */
  escalations: z.array(z.object({ periodKey: z.string(), at: InstantSchema })),
})

export const RemindersUnreachableInput = z
  .object({ villageId: IdSchema.optional(), limit: z.number().int().min(1).max(200).default(100) })
  .strict()
export const RemindersUnreachableOutput = z.object({
  helpers: z.array(
    z.object({
      helperId: z.string(),
      displayName: z.string(),
      villageId: z.string().nullable(),
      since: InstantSchema,
      /** quota left for the reminder template (0 when never granted or refused) */
      remaining: z.number().int().min(0),
    }),
  ),
})

export const REMINDER_ACTIONS = {
  'subscriptions.grant': { input: SubscriptionsGrantInput, output: SubscriptionsOutput },
  'subscriptions.mine': { input: SubscriptionsMineInput, output: SubscriptionsOutput },
  'reminders.mine': { input: RemindersMineInput, output: RemindersMineOutput },
  'reminders.explain': { input: RemindersExplainInput, output: RemindersExplainOutput },
  'reminders.unreachable': { input: RemindersUnreachableInput, output: RemindersUnreachableOutput },
} as const satisfies ActionSpecs
