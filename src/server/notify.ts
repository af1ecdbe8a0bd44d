// Pushes to officers outside the daily sweep (urgent reports). Implemented with the reminders outbox and quota ledger.

export type UrgentPush = {
  reportId: string
  townshipId: string
  villageId: string
  kindLabel: string
  at: Date
}

/** Who could not be reached (no quota or a send error): their home page flags the report in red. */
export type PushOutcome = { delivered: string[]; undeliverable: string[] }

/** Sends the urgent-report message to the township officers and the child's village officer, at once. */
export async function pushUrgentReport(_push: UrgentPush, _now: Date): Promise<PushOutcome> {
  throw new Error('pushUrgentReport is not implemented yet')
}
