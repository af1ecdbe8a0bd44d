// The offline queue of contact logs (待发送): kept on the phone with its requestId until the server has it.
//
// Why a requestId per draft: the server keeps one log per (helper, requestId), so sending a draft again
// after a lost answer, a restart or two triggers at once returns the first log instead of a second one.
// Photos ride along: kept on the phone with the draft, uploaded just before the log is sent; their
// file ids are written back into the draft, so a retry sends the same set instead of uploading again.
// This module is pure: storage, the sender and the clock are passed in, so the rules are unit-tested.
import type { PhotoType } from '../core/photos'

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

/** A photo waiting with its draft. */
export type DraftPhoto = {
  /** weapp: a (saved) local file path; h5: a data URL */
  src: string
  type: PhotoType
  /** set once uploaded: a retry sends this file id and does not upload again */
  fileID: string | null
  /** whether `src` is kept beyond this run of the app (and must be deleted with the draft) */
  kept: boolean
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
  /** photos to upload before the log is sent (absent on drafts without photos) */
  photos?: DraftPhoto[]
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

/** The queue with one draft replaced (its photos' file ids noted while sending). */
export function replaceDraft(queue: readonly Draft[], draft: Draft): Draft[] {
  return queue.map((d) => (d.requestId === draft.requestId ? draft : d))
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
    typeof d.input.childId === 'string' &&
    (d.photos === undefined || (Array.isArray(d.photos) && d.photos.every(isDraftPhoto)))
  )
}

function isDraftPhoto(value: unknown): value is DraftPhoto {
  if (typeof value !== 'object' || value === null) return false
  const p = value as Partial<DraftPhoto>
  return (
    typeof p.src === 'string' &&
    typeof p.type === 'string' &&
    (p.fileID === null || typeof p.fileID === 'string') &&
    typeof p.kept === 'boolean'
  )
}

// ------------------------------------------------------------------------------- the queue

export interface DraftStorage {
  read(): unknown
  write(queue: Draft[]): void
}

/**
 * Sends one draft. `progress` records what the sender learned on the way (uploaded photos' file ids)
 * in storage at once, so an attempt cut short does not redo it.
 */
export type Sender<T> = (draft: Draft, progress: (draft: Draft) => void) => Promise<SendOutcome<T>>

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
    /** called with each draft that leaves the queue (sent or removed): delete what was kept for it */
    private readonly discard: (draft: Draft) => void = () => undefined,
  ) {}

  list(): Draft[] {
    return parseQueue(this.storage.read())
  }

  subscribe(listener: (queue: readonly Draft[]) => void): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  /** Keeps a new submission (and its kept photos) on the phone; returns its draft. */
  enqueue(
    input: DraftLogInput,
    requestId = newRequestId(this.now().getTime()),
    photos: readonly DraftPhoto[] = [],
  ): Draft {
    const draft: Draft = {
      requestId,
      input,
      createdAt: this.now().toISOString(),
      state: 'pending',
      attempts: 0,
      lastError: null,
      ...(photos.length ? { photos: [...photos] } : {}),
    }
    this.save(addDraft(this.list(), draft))
    return draft
  }

  /** Drops a draft and deletes what was kept for it. */
  remove(requestId: string): void {
    const draft = this.take(requestId)
    if (draft) this.discard(draft)
  }

  /**
   * Drops a draft but hands it back with its kept photos (not deleted): the form a refused submission
   * returns to owns them again, and uploaded ones keep their file ids.
   */
  take(requestId: string): Draft | null {
    const queue = this.list()
    const draft = queue.find((d) => d.requestId === requestId) ?? null
    this.save(removeDraft(queue, requestId))
    return draft
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
    let latest = draft
    const progress = (next: Draft) => {
      latest = next
      this.save(replaceDraft(this.list(), next))
    }
    try {
      outcome = await this.send(draft, progress)
    } catch {
      outcome = { kind: 'retry', message: '发送失败，稍后自动重试' }
    }
    this.save(applyOutcome(this.list(), draft.requestId, outcome))
    if (outcome.kind === 'sent') this.discard(latest)
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
