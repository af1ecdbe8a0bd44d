// Photos on a contact log: where a phone keeps them in cloud storage, the limits, and how they are read back.
import * as z from 'zod'
import { IdSchema } from './org'
import { InstantSchema } from './time'

/** At most this many photos on one log. */
export const PHOTOS_MAX = 4
/** A photo's size limit (bytes); the same as `database/storage-rules.json`. */
export const PHOTO_MAX_BYTES = 5 * 1024 * 1024
/** How long a photo's temporary link lasts (seconds): long enough to look, short enough not to spread. */
export const PHOTO_LINK_SECONDS = 600
/** The storage folder: `contact-photos/<uploader openid>/<random>.<ext>`, never a name or an id. */
export const PHOTO_FOLDER = 'contact-photos'

export const PHOTO_TYPES = ['image/jpeg', 'image/png', 'image/webp'] as const
export type PhotoType = (typeof PHOTO_TYPES)[number]
export const PHOTO_EXTENSIONS: Record<PhotoType, 'jpg' | 'png' | 'webp'> = {
  'image/jpeg': 'jpg',
  'image/png': 'png',
  'image/webp': 'webp',
}

export const PHOTO_MESSAGES = {
  tooMany: `最多添加${PHOTOS_MAX}张照片`,
  tooLarge: `照片不能超过${PHOTO_MAX_BYTES / 1024 / 1024}MB，请重新选择`,
  badType: '只能添加 JPG、PNG 或 WebP 格式的照片',
  duplicate: '同一张照片添加了两次',
} as const

/** The random part of a photo's name: 16-64 URL-safe characters. */
const RANDOM_NAME = /^[A-Za-z0-9_-]{16,64}$/

/** Where a phone uploads a photo (the openid is the uploader's own; the storage rule checks it). */
export function photoCloudPath(openid: string, randomName: string, type: PhotoType): string {
  if (!RANDOM_NAME.test(randomName)) throw new Error('photo name must be 16-64 URL-safe characters')
  return `${PHOTO_FOLDER}/${openid}/${randomName}.${PHOTO_EXTENSIONS[type]}`
}

/** `cloud://<env>.<bucket>/<path>` split up, or null when it is not a cloud file id. */
export function parseFileId(fileID: string): { env: string; bucket: string; path: string } | null {
  const m = /^cloud:\/\/([^./]+)\.([^/]+)\/(.+)$/.exec(fileID)
  if (!m?.[1] || !m[2] || !m[3]) return null
  return { env: m[1], bucket: m[2], path: m[3] }
}

/**
 * Whether a file id names a photo `openid` uploaded to environment `env`: the right environment, the
 * uploader's own folder, a random name and a photo extension. (Whether it exists is the server's check.)
 */
export function isOwnPhotoFileId(fileID: string, env: string, openid: string): boolean {
  const parsed = parseFileId(fileID)
  if (!parsed || parsed.env !== env) return false
  const [folder, owner, name, ...rest] = parsed.path.split('/')
  if (folder !== PHOTO_FOLDER || owner !== openid || !name || rest.length > 0) return false
  const dot = name.lastIndexOf('.')
  const ext = name.slice(dot + 1)
  return (
    dot > 0 &&
    RANDOM_NAME.test(name.slice(0, dot)) &&
    Object.values(PHOTO_EXTENSIONS).some((e) => e === ext)
  )
}

/** The photo type a file's first bytes show, or null (anything else is not accepted as a photo). */
export function photoTypeOf(bytes: Uint8Array): PhotoType | null {
  const at = (i: number) => bytes[i]
  if (bytes.length >= 3 && at(0) === 0xff && at(1) === 0xd8 && at(2) === 0xff) return 'image/jpeg'
  const png = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]
  if (bytes.length >= 8 && png.every((b, i) => at(i) === b)) return 'image/png'
  const ascii = (from: number, to: number) => String.fromCharCode(...bytes.slice(from, to))
  if (bytes.length >= 12 && ascii(0, 4) === 'RIFF' && ascii(8, 12) === 'WEBP') return 'image/webp'
  return null
}

/** The extension of a photo's path, as a type (null for anything else). */
export function photoTypeOfPath(path: string): PhotoType | null {
  const ext = path.slice(path.lastIndexOf('.') + 1).toLowerCase()
  const found = PHOTO_TYPES.find(
    (t) => PHOTO_EXTENSIONS[t] === ext || (ext === 'jpeg' && t === 'image/jpeg'),
  )
  return found ?? null
}

/** A photo on the wire is its cloud file id (what `wx.cloud.uploadFile` answered). */
export const PhotoFileIdSchema = z
  .string()
  .trim()
  .max(512, '照片无效，请重新添加')
  .startsWith('cloud://', '照片无效，请重新添加')

export const PhotosInputSchema = z
  .array(PhotoFileIdSchema)
  .max(PHOTOS_MAX, PHOTO_MESSAGES.tooMany)
  .refine((ids) => new Set(ids).size === ids.length, PHOTO_MESSAGES.duplicate)

export const ContactsPhotosInput = z.object({ logId: IdSchema }).strict()

/** One photo of a log: its place on the log and a temporary link (never the file id). */
export const PhotoLinkSchema = z.object({
  index: z.number().int().min(0),
  url: z.string(),
  expiresAt: InstantSchema,
})
export type PhotoLink = z.infer<typeof PhotoLinkSchema>

export const ContactsPhotosOutput = z.object({
  logId: z.string(),
  photos: z.array(PhotoLinkSchema),
})
