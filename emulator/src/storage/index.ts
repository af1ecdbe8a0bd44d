// Cloud storage: files under the data folder, private, reachable only through expiring signed links.
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import { AdminError, type AdminContext, type AdminParams } from '../admin/protocol'
import type { EmulatorClock } from '../clock'

const MAX_AGE_DEFAULT_S = 7200
const UPLOAD_WINDOW_S = 600
const FILE_ID_PREFIX = 'cloud://'

export type StorageService = {
  /** One `storage.*` admin action; returns the response fields (without requestId). */
  handle(action: string, params: AdminParams, ctx: AdminContext): Record<string, unknown>
  /** PUT of an upload authorised by `storage.getUploadMetadata`; returns an HTTP status and body. */
  acceptUpload(
    urlPath: string,
    query: URLSearchParams,
    body: Buffer,
  ): { status: number; body: string }
  /** GET of a temporary link; null when the link is invalid or expired. */
  readLink(
    urlPath: string,
    query: URLSearchParams,
  ): { status: number; body: Buffer; contentType: string }
  reset(): void
}

type StorageOptions = { dataDir: string; clock: EmulatorClock; publicUrl: () => string }

const CONTENT_TYPES: Record<string, string> = {
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.xlsx': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  '.pdf': 'application/pdf',
  '.json': 'application/json',
  '.txt': 'text/plain; charset=utf-8',
}

export function bucketOf(env: string): string {
  return `${env}-emulator-bucket`
}

export function createStorageService(opts: StorageOptions): StorageService {
  const root = path.join(opts.dataDir, 'storage')
  // The signing secret lives in the data folder so links stay valid across a restart, as in the cloud.
  const secret = loadSecret(opts.dataDir)

  const sign = (payload: string) => createHmac('sha256', secret).update(payload).digest('hex')
  const verify = (payload: string, signature: string | null) => {
    if (!signature) return false
    const expected = Buffer.from(sign(payload), 'hex')
    const given = Buffer.from(signature, 'hex')
    return expected.length === given.length && timingSafeEqual(expected, given)
  }

  const nowS = () => Math.floor(opts.clock.nowMs() / 1000)

  /** Maps a file id of this emulator to its environment and path, or null. */
  const parseFileId = (fileId: string): { env: string; cloudPath: string } | null => {
    if (!fileId.startsWith(FILE_ID_PREFIX)) return null
    const rest = fileId.slice(FILE_ID_PREFIX.length)
    const slash = rest.indexOf('/')
    if (slash <= 0) return null
    const host = rest.slice(0, slash)
    const dot = host.indexOf('.')
    if (dot <= 0) return null
    const env = host.slice(0, dot)
    if (host.slice(dot + 1) !== bucketOf(env)) return null
    const cloudPath = rest.slice(slash + 1)
    return safeCloudPath(cloudPath) ? { env, cloudPath } : null
  }

  const filePath = (env: string, cloudPath: string) => path.join(root, env, cloudPath)

  const linkFor = (env: string, cloudPath: string, maxAgeS: number) => {
    const expires = nowS() + maxAgeS
    const resource = `${encodeURIComponent(env)}/${cloudPath.split('/').map(encodeURIComponent).join('/')}`
    const signature = sign(`GET\n${env}\n${cloudPath}\n${expires}`)
    return `${opts.publicUrl()}/__storage/file/${resource}?t=${expires}&sign=${signature}`
  }

  const decodeResource = (rest: string): { env: string; cloudPath: string } | null => {
    const parts = rest.split('/').map((p) => {
      try {
        return decodeURIComponent(p)
      } catch {
        return ''
      }
    })
    const env = parts.shift()
    const cloudPath = parts.join('/')
    if (!env || !safeCloudPath(cloudPath)) return null
    return { env, cloudPath }
  }

  return {
    handle(action, params, ctx) {
      switch (action) {
        case 'storage.getUploadMetadata': {
          const cloudPath = params.path
          if (typeof cloudPath !== 'string' || !safeCloudPath(cloudPath)) {
            throw new AdminError('INVALID_PARAM', 'cloudPath 不合法')
          }
          const expires = nowS() + UPLOAD_WINDOW_S
          const authorization = sign(`PUT\n${ctx.env}\n${cloudPath}\n${expires}`)
          const resource = `${encodeURIComponent(ctx.env)}/${cloudPath.split('/').map(encodeURIComponent).join('/')}`
          const fileId = `${FILE_ID_PREFIX}${ctx.env}.${bucketOf(ctx.env)}/${cloudPath}`
          return {
            data: {
              url: `${opts.publicUrl()}/__storage/upload/${resource}?t=${expires}&sign=${authorization}`,
              token: randomBytes(8).toString('hex'),
              authorization,
              fileId,
              cosFileId: randomBytes(8).toString('hex'),
            },
          }
        }
        case 'storage.batchGetDownloadUrl': {
          const list = Array.isArray(params.file_list) ? params.file_list : null
          if (!list) throw new AdminError('INVALID_PARAM', 'file_list 必须是数组')
          const downloadList = list.map((item: unknown) => {
            const entry =
              typeof item === 'object' && item !== null ? (item as Record<string, unknown>) : {}
            const fileID = typeof entry.fileid === 'string' ? entry.fileid : ''
            const maxAge =
              typeof entry.max_age === 'number' && entry.max_age > 0
                ? Math.floor(entry.max_age)
                : MAX_AGE_DEFAULT_S
            const parsed = parseFileId(fileID)
            if (!parsed || parsed.env !== ctx.env) {
              return { fileID, code: 'STORAGE_FILE_NONEXIST', tempFileURL: '', maxAge }
            }
            if (!fs.existsSync(filePath(parsed.env, parsed.cloudPath))) {
              return { fileID, code: 'STORAGE_FILE_NONEXIST', tempFileURL: '', maxAge }
            }
            return {
              fileID,
              code: 'SUCCESS',
              tempFileURL: linkFor(parsed.env, parsed.cloudPath, maxAge),
              maxAge,
            }
          })
          return { data: { download_list: downloadList } }
        }
        case 'storage.batchDeleteFile': {
          const list = Array.isArray(params.fileid_list) ? params.fileid_list : null
          if (!list) throw new AdminError('INVALID_PARAM', 'fileid_list 必须是数组')
          const deleteList = list.map((fileID: unknown) => {
            const id = typeof fileID === 'string' ? fileID : ''
            const parsed = parseFileId(id)
            const file =
              parsed && parsed.env === ctx.env ? filePath(parsed.env, parsed.cloudPath) : null
            if (!file || !fs.existsSync(file)) return { fileID: id, code: 'STORAGE_FILE_NONEXIST' }
            fs.rmSync(file)
            return { fileID: id, code: 'SUCCESS' }
          })
          return { data: { delete_list: deleteList } }
        }
        default:
          throw new AdminError('INVALID_PARAM', `不支持的存储操作 ${action}`)
      }
    },

    acceptUpload(urlPath, query, body) {
      const target = decodeResource(urlPath)
      const expires = Number(query.get('t'))
      if (!target || !Number.isFinite(expires))
        return { status: 400, body: cosError('InvalidURI', 'bad upload url') }
      if (!verify(`PUT\n${target.env}\n${target.cloudPath}\n${expires}`, query.get('sign'))) {
        return { status: 403, body: cosError('SignatureDoesNotMatch', 'signature does not match') }
      }
      if (expires < nowS())
        return { status: 403, body: cosError('AccessDenied', 'upload url expired') }
      const file = filePath(target.env, target.cloudPath)
      fs.mkdirSync(path.dirname(file), { recursive: true })
      fs.writeFileSync(file, body)
      return { status: 200, body: '' }
    },

    readLink(urlPath, query) {
      const target = decodeResource(urlPath)
      const expires = Number(query.get('t'))
      const denied = (status: number, message: string) => ({
        status,
        body: Buffer.from(cosError(status === 404 ? 'NoSuchKey' : 'AccessDenied', message)),
        contentType: 'application/xml',
      })
      if (!target || !Number.isFinite(expires)) return denied(403, 'invalid link')
      if (!verify(`GET\n${target.env}\n${target.cloudPath}\n${expires}`, query.get('sign'))) {
        return denied(403, 'signature does not match')
      }
      if (expires < nowS()) return denied(403, 'link expired')
      const file = filePath(target.env, target.cloudPath)
      if (!fs.existsSync(file)) return denied(404, 'file does not exist')
      const ext = path.extname(file).toLowerCase()
      return {
        status: 200,
        body: fs.readFileSync(file),
        contentType: CONTENT_TYPES[ext] ?? 'application/octet-stream',
      }
    },

    reset() {
      fs.rmSync(root, { recursive: true, force: true })
    },
  }
}

/** A cloud path is relative, with no empty, `.` or `..` segments: it can never leave the storage root. */
function safeCloudPath(cloudPath: string): boolean {
  if (!cloudPath || cloudPath.length > 1024 || cloudPath.startsWith('/')) return false
  return cloudPath
    .split('/')
    .every((seg) => seg !== '' && seg !== '.' && seg !== '..' && !seg.includes('\\'))
}

function cosError(code: string, message: string): string {
  return `<?xml version='1.0' encoding='utf-8' ?><Error><Code>${code}</Code><Message>${message}</Message><RequestId>emulator</RequestId><TraceId>emulator</TraceId></Error>`
}

function loadSecret(dataDir: string): Buffer {
  const file = path.join(dataDir, 'storage-secret')
  fs.mkdirSync(dataDir, { recursive: true })
  if (!fs.existsSync(file)) fs.writeFileSync(file, randomBytes(32).toString('hex'))
  return Buffer.from(fs.readFileSync(file, 'utf8').trim(), 'hex')
}
