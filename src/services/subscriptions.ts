// Reminder subscriptions: ask on a tap (WeChat's one-time subscription), then tell the server what was accepted.
import Taro from '@tarojs/taro'
import raw from '../../config/subscriptions.json'
import type { LedgerItem } from '../core/reminders'
import { getLocalOpenid } from '../local/identity'
import { callApi } from './api'
import { requestSubscribe } from './platform'

/** The helper's reminder template (console id from config/subscriptions.json, read at build time). */
export const REMINDER_TEMPLATE_IDS: readonly string[] = [raw.templates.helper_digest.id]

/** Asks (must run inside a tap handler in WeChat); resolves with how many templates the server recorded. */
export async function subscribeToReminders(): Promise<number> {
  const accepted = await requestSubscribe(REMINDER_TEMPLATE_IDS)
  if (accepted.length === 0) return 0
  try {
    await callApi('subscriptions.grant', { templateIds: accepted })
    return accepted.length
  } catch {
    return 0
  }
}

/** Whether the ledger (`subscriptions.mine`) leaves a reminder template with no message to send. */
export function needsReminderGrant(items: readonly LedgerItem[]): boolean {
  return REMINDER_TEMPLATE_IDS.some(
    (id) => (items.find((i) => i.templateId === id)?.remaining ?? 0) === 0,
  )
}

/** After "not now" or a declined dialog, the prompt stays away this long (then asks again). */
export const PROMPT_SNOOZE_MS = 3 * 86_400_000
const SNOOZE_KEY = 'shouhu.subscribe-prompt.snoozed-until'

/** Per identity: in local mode the tester switches users on one browser. */
function snoozeKey(): string {
  return SHOUHU_LOCAL_MODE ? `${SNOOZE_KEY}.${getLocalOpenid() ?? 'nobody'}` : SNOOZE_KEY
}

export function promptSnoozed(now: Date): boolean {
  const until: unknown = Taro.getStorageSync(snoozeKey())
  return typeof until === 'number' && until > now.getTime()
}

export function snoozePrompt(now: Date): void {
  Taro.setStorageSync(snoozeKey(), now.getTime() + PROMPT_SNOOZE_MS)
}
