// Contact-log photos in private cloud storage: checking what a helper attaches, and temporary links to read them.
import * as z from 'zod'
import {
  isOwnPhotoFileId,
  PHOTO_LINK_SECONDS,
  PHOTO_MAX_BYTES,
  photoTypeOf,
  photoTypeOfPath,
  type PhotoLink,
} from '../core/photos'
import { currentEnv, getCloud } from './cloud'
import { DomainError } from './errors'

const DownloadAnswer = z.object({ fileContent: z.instanceof(Buffer) })
const TempUrlAnswer = z.object({
  fileList: z.array(
    z.object({ fileID: z.string(), tempFileURL: z.string().optional(), status: z.number() }),
  ),
})

type PhotoProblem = 'invalid' | 'missing' | 'tooLarge' | 'badType'

const PROBLEM_MESSAGES: Record<PhotoProblem, (n: number) => string> = {
  invalid: (n) => `第${n}张照片无效，请删除后重新添加`,
  missing: (n) => `第${n}张照片没有上传成功，请删除后重新添加`,
  tooLarge: (n) => `第${n}张照片超过${PHOTO_MAX_BYTES / 1024 / 1024}MB，请删除后重新添加`,
  badType: (n) => `第${n}张照片不是 JPG、PNG 或 WebP 图片，请删除后重新添加`,
}

/**
 * What is wrong with one attached photo, or null. The storage rule lets a phone write only under its
 * own folder, so a file id there was uploaded by that user; the server still reads the file, because
 * rules cannot limit size or type and a file id can name anything.
 */
async function photoProblem(
  fileID: string,
  env: string,
  openid: string,
): Promise<PhotoProblem | null> {
  if (!isOwnPhotoFileId(fileID, env, openid)) return 'invalid'
  let bytes: Buffer
  try {
    bytes = DownloadAnswer.parse(await getCloud().downloadFile({ fileID })).fileContent
  } catch {
    return 'missing'
  }
  if (bytes.length > PHOTO_MAX_BYTES) return 'tooLarge'
  const type = photoTypeOf(bytes)
  if (!type || type !== photoTypeOfPath(fileID)) return 'badType'
  return null
}

/** Refuses (VALIDATION on `photos`, nothing written) unless every photo is the caller's own, present and an image. */
export async function checkPhotos(fileIDs: readonly string[], openid: string): Promise<void> {
  if (fileIDs.length === 0) return
  const env = currentEnv()
  const problems = await Promise.all(fileIDs.map((id) => photoProblem(id, env, openid)))
  const issues = problems.flatMap((p, i) =>
    p ? [{ path: 'photos', message: PROBLEM_MESSAGES[p](i + 1) }] : [],
  )
  if (issues.length) throw new DomainError('VALIDATION', issues[0]?.message, issues)
}

/** Temporary links to a log's photos, in their order; a file no longer in storage is left out. */
export async function photoLinks(fileIDs: readonly string[], now: Date): Promise<PhotoLink[]> {
  if (fileIDs.length === 0) return []
  const res = TempUrlAnswer.parse(
    await getCloud().getTempFileURL({
      fileList: fileIDs.map((fileID) => ({ fileID, maxAge: PHOTO_LINK_SECONDS })),
    }),
  )
  const expiresAt = new Date(now.getTime() + PHOTO_LINK_SECONDS * 1000)
  return fileIDs.flatMap((fileID, index) => {
    const found = res.fileList.find((f) => f.fileID === fileID && f.status === 0)
    return found?.tempFileURL ? [{ index, url: found.tempFileURL, expiresAt }] : []
  })
}
