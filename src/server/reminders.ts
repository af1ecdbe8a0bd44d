// The `reminders` function: runs only from its timer. The sweep itself arrives with the reminders feature.
import { callerOpenid } from './cloud'

export type TimerEvent = { Type: 'Timer'; TriggerName: string; Time: string }

function isTimerEvent(event: unknown): event is TimerEvent {
  if (typeof event !== 'object' || event === null) return false
  const e = event as Record<string, unknown>
  return e.Type === 'Timer' && typeof e.TriggerName === 'string' && typeof e.Time === 'string'
}

export async function main(
  event: unknown,
): Promise<{ ok: boolean; code?: string; swept?: number }> {
  // A user's call carries an openid; the platform's timer never does. Anything else is refused.
  if (!isTimerEvent(event) || callerOpenid() !== null) return { ok: false, code: 'FORBIDDEN' }
  return { ok: true, swept: 0 }
}
