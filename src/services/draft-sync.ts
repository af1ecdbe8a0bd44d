// The app's one draft queue: kept in Taro storage, sent through `contacts.log`, flushed on start and when the network returns.
import Taro from '@tarojs/taro'
import { useEffect, useState } from 'react'
import type { ContactLogView } from '../core/contacts'
import { getLocalOpenid } from '../local/identity'
import { callApi } from './api'
import { toApiError } from './api-error'
import {
  DraftQueue,
  isRetryable,
  type Draft,
  type DraftPhoto,
  type DraftStorage,
  type SendOutcome,
} from './drafts'
import { discardPhotos, uploadPhoto } from './photos'
import { onNetworkRestored } from './platform'

const STORAGE_PREFIX = 'shouhu.drafts.v1'

/** One queue per identity: in local mode the tester switches users on one browser. */
function storageKey(): string {
  if (!SHOUHU_LOCAL_MODE) return STORAGE_PREFIX
  return `${STORAGE_PREFIX}.${getLocalOpenid() ?? 'nobody'}`
}

const taroStorage: DraftStorage = {
  read: () => Taro.getStorageSync(storageKey()) as unknown,
  write: (queue) => Taro.setStorageSync(storageKey(), queue),
}

/**
 * Uploads the draft's photos not uploaded yet (each file id noted in the draft at once), then sends the
 * log with the same requestId: a retry after a lost answer gets the first log, with the set it carries.
 */
async function sendLog(
  draft: Draft,
  progress: (draft: Draft) => void,
): Promise<SendOutcome<ContactLogView>> {
  try {
    const photos: DraftPhoto[] = [...(draft.photos ?? [])]
    for (const [i, photo] of photos.entries()) {
      if (photo.fileID) continue
      photos[i] = { ...photo, fileID: await uploadPhoto(photo) }
      progress({ ...draft, photos: [...photos] })
    }
    const fileIDs = photos.flatMap((p) => (p.fileID ? [p.fileID] : []))
    const input = fileIDs.length ? { ...draft.input, photos: fileIDs } : draft.input
    const { log } = await callApi('contacts.log', input, { requestId: draft.requestId })
    return { kind: 'sent', result: log }
  } catch (error) {
    const e = toApiError(error)
    return isRetryable(e.code)
      ? { kind: 'retry', message: e.message }
      : { kind: 'rejected', message: e.message, issues: e.issues }
  }
}

export const drafts = new DraftQueue<ContactLogView>(
  taroStorage,
  sendLog,
  () => new Date(),
  (draft) => discardPhotos(draft.photos ?? []),
)

let stopSync: (() => void) | null = null

/**
 * Sends what is waiting now and each time the connection comes back. Idempotent: pages that a
 * helper can open first call it, so a restart with drafts sends them without the app shell's help.
 */
export function startDraftSync(): void {
  if (stopSync) return
  stopSync = onNetworkRestored(() => void drafts.flush())
  void drafts.flush()
}

/** The drafts on this phone, kept current. */
export function useDrafts(): readonly Draft[] {
  const [queue, setQueue] = useState<readonly Draft[]>(() => drafts.list())
  useEffect(() => {
    setQueue(drafts.list())
    return drafts.subscribe(setQueue)
  }, [])
  return queue
}
