// The offline draft queue: nothing is lost, a retry reuses the requestId, a refusal is kept visible.
import { describe, expect, it } from 'vitest'
import {
  addDraft,
  applyOutcome,
  DraftQueue,
  isRetryable,
  newRequestId,
  parseQueue,
  sendable,
  type Draft,
  type DraftLogInput,
  type DraftPhoto,
  type SendOutcome,
} from '../../src/services/drafts'

const INPUT: DraftLogInput = {
  childId: 'chd-1',
  duty: 'home_visit',
  occurredAt: '2026-03-10T15:30:00+08:00',
  mode: 'in_person',
  learned: { dailyLife: '正常' },
}

function memoryStorage() {
  let stored: unknown = ''
  return {
    read: () => (stored === '' ? '' : JSON.parse(JSON.stringify(stored))),
    write: (q: Draft[]) => {
      stored = JSON.parse(JSON.stringify(q))
    },
    raw: () => stored,
  }
}

function clock(start = Date.parse('2026-03-10T08:00:00Z')) {
  let t = start
  return () => new Date((t += 1000))
}

/** A fake server: one log per requestId (as the real one keeps), answering as scripted. */
function fakeServer(script: ('ok' | 'offline' | 'lost' | 'refuse')[]) {
  const logs = new Map<string, string>()
  const seen: string[] = []
  const send = async (draft: Draft): Promise<SendOutcome<string>> => {
    seen.push(draft.requestId)
    const step = script.shift() ?? 'ok'
    if (step === 'offline') return { kind: 'retry', message: '网络不可用' }
    if (step === 'refuse') return { kind: 'rejected', message: '未与该儿童结对', issues: [] }
    if (!logs.has(draft.requestId)) logs.set(draft.requestId, `log-${logs.size + 1}`)
    // 'lost': the server wrote it, but the answer never reached the phone.
    if (step === 'lost') return { kind: 'retry', message: '网络不可用' }
    return { kind: 'sent', result: logs.get(draft.requestId)! }
  }
  return { send, logs, seen }
}

describe('draft queue rules', () => {
  it('makes request ids the server accepts (8-64 chars) and different each time', () => {
    const a = newRequestId(Date.parse('2026-03-10T08:00:00Z'))
    const b = newRequestId(Date.parse('2026-03-10T08:00:00Z'))
    expect(a).toMatch(/^[a-z0-9-]{8,64}$/)
    expect(a).not.toBe(b)
  })

  it('keeps the first draft when the same submission is added twice', () => {
    const d: Draft = {
      requestId: 'log-1-abc',
      input: INPUT,
      createdAt: '2026-03-10T08:00:00.000Z',
      state: 'pending',
      attempts: 0,
      lastError: null,
    }
    expect(addDraft(addDraft([], d), { ...d, attempts: 5 })).toEqual([d])
  })

  it('removes a sent draft, keeps a failed one with its error, and stops offering a refused one', () => {
    const d: Draft = {
      requestId: 'r1',
      input: INPUT,
      createdAt: 'x',
      state: 'pending',
      attempts: 0,
      lastError: null,
    }
    expect(applyOutcome([d], 'r1', { kind: 'sent', result: 1 })).toEqual([])
    const retried = applyOutcome([d], 'r1', { kind: 'retry', message: '网络不可用' })
    expect(retried).toEqual([{ ...d, attempts: 1, lastError: '网络不可用' }])
    const refused = applyOutcome([d], 'r1', { kind: 'rejected', message: '不行', issues: [] })
    expect(refused[0]?.state).toBe('rejected')
    expect(sendable(refused)).toEqual([])
  })

  it('treats network trouble as retryable and a validation or scope answer as final', () => {
    expect(['NETWORK', 'INTERNAL', 'BAD_RESPONSE'].every(isRetryable)).toBe(true)
    expect(['VALIDATION', 'NOT_FOUND', 'CONFLICT', 'FORBIDDEN'].some(isRetryable)).toBe(false)
  })

  it('ignores garbage in storage instead of crashing', () => {
    expect(parseQueue('')).toEqual([])
    expect(parseQueue([{ requestId: 1 }, null, 'x'])).toEqual([])
  })
})

describe('DraftQueue', () => {
  it('given no signal, keeps the draft as pending; when the network returns, sends it once', async () => {
    const storage = memoryStorage()
    const server = fakeServer(['offline', 'ok'])
    const queue = new DraftQueue(storage, server.send, clock())

    const draft = queue.enqueue(INPUT)
    expect(await queue.sendOne(draft.requestId)).toMatchObject({ kind: 'retry' })
    expect(queue.list()).toMatchObject([{ requestId: draft.requestId, state: 'pending' }])

    const report = await queue.flush()
    expect(report.sent.map((s) => s.result)).toEqual(['log-1'])
    expect(queue.list()).toEqual([])
    expect(server.logs.size).toBe(1)
  })

  it('survives a restart: a new queue over the same storage finds and sends the draft', async () => {
    const storage = memoryStorage()
    const first = new DraftQueue(storage, fakeServer(['offline']).send, clock())
    const draft = first.enqueue(INPUT)
    await first.sendOne(draft.requestId)

    const server = fakeServer(['ok'])
    const afterRestart = new DraftQueue(storage, server.send, clock())
    expect(afterRestart.list().map((d) => d.requestId)).toEqual([draft.requestId])
    await afterRestart.flush()
    expect(server.seen).toEqual([draft.requestId])
    expect(afterRestart.list()).toEqual([])
  })

  it('when the answer is lost after the server wrote the log, the retry reuses the requestId: one log', async () => {
    const server = fakeServer(['lost', 'ok'])
    const queue = new DraftQueue(memoryStorage(), server.send, clock())
    const draft = queue.enqueue(INPUT)
    await queue.sendOne(draft.requestId)
    await queue.flush()
    expect(server.seen).toEqual([draft.requestId, draft.requestId])
    expect(server.logs.size).toBe(1)
    expect(queue.list()).toEqual([])
  })

  it('two triggers at once (app start and the online event) send each draft once', async () => {
    const server = fakeServer([])
    const queue = new DraftQueue(memoryStorage(), server.send, clock())
    queue.enqueue(INPUT)
    queue.enqueue({ ...INPUT, duty: 'companionship', mode: 'phone' })
    await Promise.all([queue.flush(), queue.flush()])
    expect(server.seen).toHaveLength(2)
    expect(server.logs.size).toBe(2)
  })

  it('keeps a refused draft visible and goes on with the next one', async () => {
    const server = fakeServer(['refuse', 'ok'])
    const queue = new DraftQueue(memoryStorage(), server.send, clock())
    const refused = queue.enqueue(INPUT)
    queue.enqueue({ ...INPUT, duty: 'companionship', mode: 'phone' })
    const report = await queue.flush()
    expect(report.sent).toHaveLength(1)
    expect(queue.list()).toMatchObject([
      { requestId: refused.requestId, state: 'rejected', lastError: '未与该儿童结对' },
    ])
  })

  it('stops at the first network failure, leaving later drafts for the next flush', async () => {
    const server = fakeServer(['offline'])
    const queue = new DraftQueue(memoryStorage(), server.send, clock())
    queue.enqueue(INPUT)
    queue.enqueue({ ...INPUT, duty: 'companionship', mode: 'phone' })
    const report = await queue.flush()
    expect(report.stoppedBy).toBe('网络不可用')
    expect(server.seen).toHaveLength(1)
    expect(queue.list()).toHaveLength(2)
  })

  it('a sender that throws counts as a network failure, never loses the draft', async () => {
    const queue = new DraftQueue<string>(
      memoryStorage(),
      async () => {
        throw new Error('boom')
      },
      clock(),
    )
    const d = queue.enqueue(INPUT)
    await queue.flush()
    expect(queue.list()).toMatchObject([{ requestId: d.requestId, state: 'pending', attempts: 1 }])
  })
})

describe('DraftQueue with photos', () => {
  const PHOTOS: DraftPhoto[] = [
    { src: 'saved://a.jpg', type: 'image/jpeg', fileID: null, kept: true },
    { src: 'saved://b.png', type: 'image/png', fileID: null, kept: true },
  ]

  /** A sender as the app's: uploads photos without a file id (noting each), then sends the log. */
  function photoSender(script: ('ok' | 'offline-after-first-upload' | 'lost')[]) {
    const uploads: string[] = []
    const logs = new Map<string, string[]>()
    const send = async (
      draft: Draft,
      progress: (d: Draft) => void,
    ): Promise<SendOutcome<string>> => {
      const step = script.shift() ?? 'ok'
      const photos = [...(draft.photos ?? [])]
      for (const [i, p] of photos.entries()) {
        if (p.fileID) continue
        uploads.push(p.src)
        photos[i] = { ...p, fileID: `cloud://env.b/${uploads.length}` }
        progress({ ...draft, photos: [...photos] })
        if (step === 'offline-after-first-upload') return { kind: 'retry', message: '网络不可用' }
      }
      if (!logs.has(draft.requestId))
        logs.set(
          draft.requestId,
          photos.map((p) => p.fileID ?? ''),
        )
      if (step === 'lost') return { kind: 'retry', message: '网络不可用' }
      return { kind: 'sent', result: draft.requestId }
    }
    return { send, uploads, logs }
  }

  it('keeps the photos with the draft across a restart, and notes each upload at once', async () => {
    const storage = memoryStorage()
    const server = photoSender(['offline-after-first-upload', 'ok'])
    const discarded: Draft[] = []
    const queue = new DraftQueue(storage, server.send, clock(), (d) => discarded.push(d))
    const draft = queue.enqueue(INPUT, undefined, PHOTOS)
    expect(queue.list()[0]?.photos).toEqual(PHOTOS)

    await queue.flush()
    // Cut off after the first upload: that file id is on the draft in storage.
    const afterRestart = new DraftQueue(storage, server.send, clock(), (d) => discarded.push(d))
    expect(afterRestart.list()[0]?.photos?.map((p) => p.fileID)).toEqual(['cloud://env.b/1', null])

    await afterRestart.flush()
    expect(server.uploads).toEqual(['saved://a.jpg', 'saved://b.png'])
    expect(server.logs.get(draft.requestId)).toEqual(['cloud://env.b/1', 'cloud://env.b/2'])
    expect(afterRestart.list()).toEqual([])
    // Sent: the kept files are deleted, with the file ids the log carries.
    expect(discarded.map((d) => d.photos?.map((p) => p.fileID))).toEqual([
      ['cloud://env.b/1', 'cloud://env.b/2'],
    ])
  })

  it('a retry after a lost answer uploads nothing again and the log references one set', async () => {
    const server = photoSender(['lost', 'ok'])
    const queue = new DraftQueue(memoryStorage(), server.send, clock())
    const draft = queue.enqueue(INPUT, undefined, PHOTOS)
    await queue.flush()
    await queue.flush()
    expect(server.uploads).toHaveLength(2)
    expect(server.logs.size).toBe(1)
    expect(server.logs.get(draft.requestId)).toHaveLength(2)
  })

  it('removing a draft deletes its kept photos; taking it back hands them over instead', () => {
    const discarded: Draft[] = []
    const queue = new DraftQueue(memoryStorage(), photoSender([]).send, clock(), (d) =>
      discarded.push(d),
    )
    const removed = queue.enqueue(INPUT, undefined, PHOTOS)
    const taken = queue.enqueue({ ...INPUT, duty: 'companionship' }, undefined, PHOTOS)
    queue.remove(removed.requestId)
    expect(discarded.map((d) => d.requestId)).toEqual([removed.requestId])
    expect(queue.take(taken.requestId)?.photos).toEqual(PHOTOS)
    expect(discarded).toHaveLength(1)
    expect(queue.list()).toEqual([])
  })

  it('reads back drafts with well-formed photos only', () => {
    const base = { requestId: 'log-1', input: INPUT, createdAt: 'x', state: 'pending', attempts: 0 }
    expect(parseQueue([{ ...base, photos: PHOTOS }])).toHaveLength(1)
    expect(parseQueue([{ ...base, photos: [{ src: 1 }] }])).toHaveLength(0)
  })
})
