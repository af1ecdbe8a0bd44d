// The offline queue of contact logs (待发送): kept on the phone with its requestId until the server has it.
//
// Why a requestId per draft: the server keeps one log per (helper, requestId), so sending a draft again
// after a lost answer, a restart or two triggers at once returns the first log instead of a second one.
// This module is pure: storage, the sender and the clock are passed in, so the rules are unit-tested.

/** What `contacts.log` takes, as JSON (the instant as an ISO string with offset). */
export type DraftLogInput = {
  childId: string
  duty: 'guardian_contact' | 'companionship' | 'home_visit'
  occurredAt: string
  mode: 'phone' | 'video' | 'in_person'
  learned: { dailyLife?: string; study?: string; health?: string; mood?: string }
  problems?: string
  actions?: string
  /** a home visit begun by scanning the household code */
  checkinId?: string
}

export type DraftState =
  /** waiting for a connection (待发送) */
  | 'pending'
  /** the server refused it (e.g. the pairing ended): kept, never silently dropped, until the helper removes it */
  | 'rejected'

export type Draft = {
  requestId: string
  input: DraftLogInput
  createdAt: string
  state: DraftState
  attempts: number
  /** the server's message when rejected, or the last network failure */
  lastError: string | null
}

/** How a send attempt ended, as the queue needs to know it. */
export type SendOutcome<T> =
  | { kind: 'sent'; result: T }
  /** no usable answer (offline, timeout, server busy): try again later with the same requestId */
  | { kind: 'retry'; message: string }
  /** the server answered no: trying again would get the same answer */
  | { kind: 'rejected'; message: string; issues: readonly { path: string; message: string }[] }

/** Error codes after which the same request may succeed later. Anything else is a definite no. */
const RETRYABLE_CODES: ReadonlySet<string> = new Set([
  'NETWORK',
  'BAD_RESPONSE',
  'INTERNAL',
  'UNAUTHENTICATED',
])

export function isRetryable(code: string): boolean {
  return RETRYABLE_CODES.has(code)
}

/** A requestId (8-64 chars) unique enough per helper: time plus randomness. */
export function newRequestId(nowMs: number, random: () => number = Math.random): string {
  const rand = Array.from({ length: 3 }, () =>
    Math.floor(random() * 0x100000000)
      .toString(36)
      .padStart(7, '0'),
  ).join('')
  return `log-${nowMs.toString(36)}-${rand}`
}

// ------------------------------------------------------------------------------- pure queue rules

export function addDraft(queue: readonly Draft[], draft: Draft): Draft[] {
  // The same requestId twice is the same submission: keep the first.
  if (queue.some((d) => d.requestId === draft.requestId)) return [...queue]
  return [...queue, draft]
}

export function removeDraft(queue: readonly Draft[], requestId: string): Draft[] {
  return queue.filter((d) => d.requestId !== requestId)
}

/** The queue after one attempt: sent drafts leave it; the others stay, with what happened. */
export function applyOutcome<T>(
  queue: readonly Draft[],
  requestId: string,
  outcome: SendOutcome<T>,
): Draft[] {
  if (outcome.kind === 'sent') return removeDraft(queue, requestId)
  return queue.map((d) =>
    d.requestId !== requestId
      ? d
      : {
          ...d,
          attempts: d.attempts + 1,
          state: outcome.kind === 'rejected' ? 'rejected' : d.state,
          lastError: outcome.message,
        },
  )
}

/** Drafts to send, oldest first. */
export function sendable(queue: readonly Draft[]): Draft[] {
  return queue
    .filter((d) => d.state === 'pending')
    .sort((a, b) => a.createdAt.localeCompare(b.createdAt))
}

/** Reads back what storage holds, dropping anything that is not a well-formed draft. */
export function parseQueue(stored: unknown): Draft[] {
  if (!Array.isArray(stored)) return []
  return stored.filter(isDraft)
}

function isDraft(value: unknown): value is Draft {
  if (typeof value !== 'object' || value === null) return false
  const d = value as Partial<Draft>
  return (
    typeof d.requestId === 'string' &&
    typeof d.createdAt === 'string' &&
    (d.state === 'pending' || d.state === 'rejected') &&
    typeof d.attempts === 'number' &&
    typeof d.input === 'object' &&
    d.input !== null &&
    typeof d.input.childId === 'string'
  )
}

// ------------------------------------------------------------------------------- the queue

export interface DraftStorage {
  read(): unknown
  write(queue: Draft[]): void
}

export type Sender<T> = (draft: Draft) => Promise<SendOutcome<T>>

export type FlushReport<T> = { sent: { draft: Draft; result: T }[]; stoppedBy: string | null }

/**
 * The queue over a storage and a sender. Every change is written to storage before anything else
 * happens, so a restart at any moment finds every unsent draft. Sends run one at a time: a flush
 * started while another runs waits for it, so two triggers never send the same draft concurrently.
 */
export class DraftQueue<T> {
  private chain: Promise<unknown> = Promise.resolve()
  private listeners = new Set<(queue: readonly Draft[]) => void>()

  constructor(
    private readonly storage: DraftStorage,
    private readonly send: Sender<T>,
    private readonly now: () => Date,
  ) {}

  list(): Draft[] {
    return parseQueue(this.storage.read())
  }

  subscribe(listener: (queue: readonly Draft[]) => void): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  /** Keeps a new submission on the phone; returns its draft. */
  enqueue(input: DraftLogInput, requestId = newRequestId(this.now().getTime())): Draft {
    const draft: Draft = {
      requestId,
      input,
      createdAt: this.now().toISOString(),
      state: 'pending',
      attempts: 0,
      lastError: null,
    }
    this.save(addDraft(this.list(), draft))
    return draft
  }

  remove(requestId: string): void {
    this.save(removeDraft(this.list(), requestId))
  }

  /** Sends one draft now (the form's submit); its outcome is applied to the queue. */
  sendOne(requestId: string): Promise<SendOutcome<T> | null> {
    return this.serial(async () => {
      const draft = this.list().find((d) => d.requestId === requestId)
      if (!draft) return null
      return this.attempt(draft)
    })
  }

  /** Sends every pending draft, oldest first; stops at the first network failure (no signal yet). */
  flush(): Promise<FlushReport<T>> {
    return this.serial(async () => {
      const report: FlushReport<T> = { sent: [], stoppedBy: null }
      for (const draft of sendable(this.list())) {
        const outcome = await this.attempt(draft)
        if (outcome.kind === 'sent') report.sent.push({ draft, result: outcome.result })
        if (outcome.kind === 'retry') {
          report.stoppedBy = outcome.message
          break
        }
      }
      return report
    })
  }

  private async attempt(draft: Draft): Promise<SendOutcome<T>> {
    let outcome: SendOutcome<T>
    try {
      outcome = await this.send(draft)
    } catch {
      outcome = { kind: 'retry', message: '发送失败，稍后自动重试' }
    }
    this.save(applyOutcome(this.list(), draft.requestId, outcome))
    return outcome
  }

  private serial<R>(task: () => Promise<R>): Promise<R> {
    const run = this.chain.then(task, task)
    this.chain = run.catch(() => undefined)
    return run
  }

  private save(queue: Draft[]): void {
    this.storage.write(queue)
    for (const listener of this.listeners) listener(queue)
  }
}
