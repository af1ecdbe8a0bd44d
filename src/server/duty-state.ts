// Per-child duty state (last log per duty, due dates), kept current on every write so boards never scan logs.
// Implemented by the pairings/contacts/duties feature; other features call refreshDutyState after changing a child.

/** Recomputes and stores the duty state of one child (after a change to the child, a pairing or a log). */
export async function refreshDutyState(_childId: string, _now: Date): Promise<void> {
  throw new Error('refreshDutyState is not implemented yet')
}
