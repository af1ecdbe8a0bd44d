// Reminder subscriptions: ask on a tap (WeChat's one-time subscription), then tell the server what was accepted.
import raw from '../../config/subscriptions.json'
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
