// Photos on a contact log, on the phone: choose, keep for an offline draft, upload to private storage, view by temporary link.
// weapp uses WeChat's media and file APIs and wx.cloud.uploadFile; the local h5 build has honest
// equivalents (a file input, data URLs, the emulator's client-upload route).
import Taro from '@tarojs/taro'
import {
  PHOTO_MAX_BYTES,
  PHOTO_MESSAGES,
  PHOTO_TYPES,
  photoCloudPath,
  photoTypeOfPath,
  type PhotoLink,
  type PhotoType,
} from '../core/photos'
import { getLocalOpenid } from '../local/identity'
import { callApi } from './api'
import { ApiError, CLIENT_MESSAGES } from './api-error'
import type { DraftPhoto } from './drafts'

/** What choosing gave: the photos to add, and why some were not added (null when all were). */
export type ChosenPhotos = { photos: DraftPhoto[]; refused: string | null }

/** h5: photos this small are kept as they are; larger ones are re-encoded smaller (JPEG). */
const H5_KEEP_AS_IS_BYTES = 400 * 1024
const H5_MAX_SIDE = 1600
const H5_JPEG_QUALITY = 0.8

/** Opens the camera or album for up to `max` photos (compressed). Cancelling gives none. */
export async function choosePhotos(max: number): Promise<ChosenPhotos> {
  if (max <= 0) return { photos: [], refused: PHOTO_MESSAGES.tooMany }
  if (SHOUHU_LOCAL_MODE) return chooseInBrowser(max)
  let files: Array<{ tempFilePath: string; size: number }>
  try {
    const res = await Taro.chooseMedia({
      count: max,
      mediaType: ['image'],
      sourceType: ['album', 'camera'],
      sizeType: ['compressed'],
    })
    files = res.tempFiles
  } catch {
    return { photos: [], refused: null }
  }
  const photos: DraftPhoto[] = []
  let refused: string | null = null
  for (const f of files) {
    const type = photoTypeOfPath(f.tempFilePath)
    if (!type) refused = PHOTO_MESSAGES.badType
    else if (f.size > PHOTO_MAX_BYTES) refused = PHOTO_MESSAGES.tooLarge
    else photos.push({ src: f.tempFilePath, type, fileID: null, kept: false })
  }
  return { photos, refused }
}

/**
 * Makes a chosen photo survive until its log is sent (a restart, days without signal): weapp moves the
 * temporary file into the app's saved files; in h5 the photo already is a data URL inside the draft.
 */
export async function keepPhoto(photo: DraftPhoto): Promise<DraftPhoto> {
  if (photo.kept || SHOUHU_LOCAL_MODE) return { ...photo, kept: true }
  const saved = await new Promise<string>((resolve, reject) => {
    Taro.getFileSystemManager().saveFile({
      tempFilePath: photo.src,
      success: (res) => resolve(res.savedFilePath),
      fail: (err) => reject(new Error(err.errMsg)),
    })
  })
  return { ...photo, src: saved, kept: true }
}

/** Deletes the files kept for photos (their draft was sent or removed). Never fails. */
export function discardPhotos(photos: readonly DraftPhoto[]): void {
  if (SHOUHU_LOCAL_MODE) return
  const fs = Taro.getFileSystemManager()
  for (const p of photos) {
    if (!p.kept) continue
    fs.removeSavedFile({ filePath: p.src, fail: () => undefined })
  }
}

/**
 * Uploads one photo into the caller's own folder; resolves with its cloud file id. Rejects with an
 * ApiError: NETWORK when trying again later may work, VALIDATION (on `photos`) when it cannot.
 */
export async function uploadPhoto(photo: DraftPhoto): Promise<string> {
  const cloudPath = photoCloudPath(await uploaderOpenid(), randomName(), photo.type)
  return SHOUHU_LOCAL_MODE ? uploadLocal(photo, cloudPath) : uploadWeapp(photo, cloudPath)
}

/** Temporary links to a log's photos (they expire after a few minutes: ask again to see them later). */
export async function photoLinks(logId: string): Promise<PhotoLink[]> {
  return (await callApi('contacts.photos', { logId })).photos
}

/** weapp: WeChat's full-screen viewer. (h5 pages show their own overlay.) */
export function previewPhotos(urls: readonly string[], current: number): void {
  void Taro.previewImage({ urls: [...urls], current: urls[current] ?? urls[0] ?? '' }).catch(
    () => undefined,
  )
}

// ------------------------------------------------------------------------------- upload

let openidOnce: Promise<string> | null = null

/** The caller's openid names their folder; the storage rule lets them write nowhere else. */
function uploaderOpenid(): Promise<string> {
  if (SHOUHU_LOCAL_MODE) {
    const openid = getLocalOpenid()
    return openid
      ? Promise.resolve(openid)
      : Promise.reject(new ApiError('UNAUTHENTICATED', '请先登录'))
  }
  openidOnce ??= callApi('session.me', {}).then((me) => {
    if (!me) throw new ApiError('FORBIDDEN', '您还没有加入，不能上传照片')
    return me.openid
  })
  openidOnce.catch(() => {
    openidOnce = null
  })
  return openidOnce
}

/** 24 URL-safe characters: a name that says nothing about the child or the visit. */
function randomName(): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-'
  let out = ''
  for (let i = 0; i < 24; i++) out += alphabet[Math.floor(Math.random() * alphabet.length)]
  return out
}

function refusedPhoto(message: string): ApiError {
  return new ApiError('VALIDATION', message, [{ path: 'photos', message }])
}

async function uploadWeapp(photo: DraftPhoto, cloudPath: string): Promise<string> {
  try {
    const res = await Taro.cloud.uploadFile({ cloudPath, filePath: photo.src })
    return res.fileID
  } catch (error) {
    const errMsg =
      typeof error === 'object' && error !== null && 'errMsg' in error ? String(error.errMsg) : ''
    // The kept file is gone (cleared by the system): no retry brings it back.
    if (/no such file|not found|not exist/i.test(errMsg)) {
      throw refusedPhoto('照片文件已丢失，请删除这条记录后重新填写')
    }
    throw new ApiError('NETWORK', CLIENT_MESSAGES.networkUnavailable)
  }
}

/** What the emulator's client-upload route refusals mean for the person. */
const LOCAL_REFUSALS: Record<number, string> = {
  413: PHOTO_MESSAGES.tooLarge,
  415: PHOTO_MESSAGES.badType,
  403: '照片上传被拒绝，请重新添加',
  400: '照片上传被拒绝，请重新添加',
}

async function uploadLocal(photo: DraftPhoto, cloudPath: string): Promise<string> {
  const openid = await uploaderOpenid()
  let res: Response
  try {
    const blob = await (await fetch(photo.src)).blob()
    res = await fetch(`/__storage/client-upload?cloudPath=${encodeURIComponent(cloudPath)}`, {
      method: 'POST',
      headers: { 'X-Local-Openid': openid, 'content-type': photo.type },
      body: blob,
    })
  } catch {
    throw new ApiError('NETWORK', CLIENT_MESSAGES.networkUnavailable)
  }
  const body: unknown = await res.json().catch(() => null)
  if (res.ok && typeof body === 'object' && body !== null && 'fileID' in body) {
    return String(body.fileID)
  }
  const refusal = LOCAL_REFUSALS[res.status]
  if (refusal) throw refusedPhoto(refusal)
  throw new ApiError('NETWORK', CLIENT_MESSAGES.serviceUnavailable)
}

// ------------------------------------------------------------------------------- h5 choosing

/** h5: a file picker (camera or album on a phone's browser), each photo read into a small data URL. */
function chooseInBrowser(max: number): Promise<ChosenPhotos> {
  return new Promise((resolve) => {
    const input = document.createElement('input')
    input.type = 'file'
    input.accept = PHOTO_TYPES.join(',')
    input.multiple = max > 1
    input.style.display = 'none'
    document.body.appendChild(input)
    const done = (result: ChosenPhotos) => {
      input.remove()
      resolve(result)
    }
    input.addEventListener('cancel', () => done({ photos: [], refused: null }))
    input.addEventListener('change', () => {
      const files = Array.from(input.files ?? [])
      void readFiles(files, max).then(done)
    })
    input.click()
  })
}

async function readFiles(files: File[], max: number): Promise<ChosenPhotos> {
  const photos: DraftPhoto[] = []
  let refused: string | null = files.length > max ? PHOTO_MESSAGES.tooMany : null
  for (const file of files.slice(0, max)) {
    const type = PHOTO_TYPES.find((t) => t === file.type)
    if (!type) {
      refused = PHOTO_MESSAGES.badType
      continue
    }
    const photo = await smallDataUrl(file, type).catch(() => null)
    if (!photo) refused = PHOTO_MESSAGES.badType
    else if (dataUrlBytes(photo.src) > PHOTO_MAX_BYTES) refused = PHOTO_MESSAGES.tooLarge
    else photos.push(photo)
  }
  return { photos, refused }
}

function readAsDataUrl(blob: Blob): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader()
    reader.onload = () => resolve(String(reader.result))
    reader.onerror = () => reject(new Error('read failed'))
    reader.readAsDataURL(blob)
  })
}

/** A photo small enough to keep in a draft: as it is when small, else re-encoded as a smaller JPEG. */
async function smallDataUrl(file: File, type: PhotoType): Promise<DraftPhoto> {
  if (file.size <= H5_KEEP_AS_IS_BYTES) {
    return { src: await readAsDataUrl(file), type, fileID: null, kept: true }
  }
  const bitmap = await createImageBitmap(file)
  const scale = Math.min(1, H5_MAX_SIDE / Math.max(bitmap.width, bitmap.height))
  const canvas = document.createElement('canvas')
  canvas.width = Math.round(bitmap.width * scale)
  canvas.height = Math.round(bitmap.height * scale)
  canvas.getContext('2d')?.drawImage(bitmap, 0, 0, canvas.width, canvas.height)
  bitmap.close()
  return {
    src: canvas.toDataURL('image/jpeg', H5_JPEG_QUALITY),
    type: 'image/jpeg',
    fileID: null,
    kept: true,
  }
}

function dataUrlBytes(dataUrl: string): number {
  const base64 = dataUrl.slice(dataUrl.indexOf(',') + 1)
  return Math.floor((base64.length * 3) / 4)
}
