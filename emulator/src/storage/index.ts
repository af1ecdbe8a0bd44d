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
  /**
   * What `wx.cloud.uploadFile` does from a client: stores `body` at `cloudPath` as `openid` if the
   * declared client-write rules allow it, and records the uploader. Answers as the client SDK resolves.
   */
  clientUpload(
    env: string,
    openid: string | null,
    cloudPath: string,
    body: Buffer,
  ): { status: number; answer: ClientUploadAnswer }
  /** The openid that uploaded a file from a client, or null (uploaded by a function, or missing). */
  ownerOf(env: string, cloudPath: string): string | null
  reset(): void
}

export type ClientUploadAnswer =
  | { fileID: string; statusCode: 200; errMsg: 'cloud.uploadFile:ok' }
  | { errCode: number; errMsg: string }

/**
 * Which client uploads the deployment's storage security rules let through: a path pattern in which
 * `{openid}` stands for the uploader's own openid, a size limit and the allowed (sniffed) content
 * types. Without a matching rule a client upload is refused, as under the default "admin only" rule.
 */
export type ClientWriteRule = { path: string; maxBytes: number; contentTypes: string[] }
export type StorageRules = { clientWrite: ClientWriteRule[] }

type StorageOptions = {
  dataDir: string
  clock: EmulatorClock
  publicUrl: () => string
  rules?: StorageRules
}

/** errCodes of client upload refusals (wx.cloud.uploadFile's fail answers carry an errCode). */
export const CLIENT_UPLOAD_ERRORS = {
  unauthenticated: -601034,
  denied: -503002,
  tooLarge: -503005,
  badType: -503006,
  invalidPath: -503001,
} as const

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
  // Who uploaded a file from a client lives beside the files, never inside a cloud path a client can name.
  const metaPath = (env: string, cloudPath: string) =>
    path.join(opts.dataDir, 'storage-meta', env, `${cloudPath}.json`)
  const readOwner = (env: string, cloudPath: string): string | null => {
    try {
      const meta = JSON.parse(fs.readFileSync(metaPath(env, cloudPath), 'utf8')) as {
        openid?: unknown
      }
      return typeof meta.openid === 'string' ? meta.openid : null
    } catch {
      return null
    }
  }
  const writeFile = (env: string, cloudPath: string, body: Buffer, owner: string | null) => {
    const file = filePath(env, cloudPath)
    fs.mkdirSync(path.dirname(file), { recursive: true })
    fs.writeFileSync(file, body)
    const meta = metaPath(env, cloudPath)
    if (owner === null) {
      fs.rmSync(meta, { force: true })
      return
    }
    fs.mkdirSync(path.dirname(meta), { recursive: true })
    fs.writeFileSync(
      meta,
      JSON.stringify({
        openid: owner,
        size: body.length,
        uploadedAt: opts.clock.now().toISOString(),
      }),
    )
  }

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
            if (parsed) fs.rmSync(metaPath(parsed.env, parsed.cloudPath), { force: true })
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
      // An upload authorised by a function (admin) belongs to no client.
      writeFile(target.env, target.cloudPath, body, null)
      return { status: 200, body: '' }
    },

    clientUpload(env, openid, cloudPath, body) {
      const fail = (status: number, errCode: number, why: string) => ({
        status,
        answer: { errCode, errMsg: `cloud.uploadFile:fail ${errCode} ${why}` },
      })
      if (!openid) return fail(401, CLIENT_UPLOAD_ERRORS.unauthenticated, 'no user identity')
      if (!/^[A-Za-z0-9_-]{1,64}$/.test(env)) {
        return fail(400, CLIENT_UPLOAD_ERRORS.invalidPath, 'invalid env')
      }
      if (!safeCloudPath(cloudPath)) {
        return fail(400, CLIENT_UPLOAD_ERRORS.invalidPath, 'invalid cloudPath')
      }
      const rule = (opts.rules?.clientWrite ?? []).find((r) =>
        pathPattern(r.path, openid).test(cloudPath),
      )
      if (!rule) {
        return fail(403, CLIENT_UPLOAD_ERRORS.denied, 'permission denied by storage rules')
      }
      if (body.length > rule.maxBytes) {
        return fail(
          413,
          CLIENT_UPLOAD_ERRORS.tooLarge,
          `file too large (${body.length} bytes, at most ${rule.maxBytes})`,
        )
      }
      const sniffed = sniffContentType(body)
      const declared = CONTENT_TYPES[path.extname(cloudPath).toLowerCase()]
      if (!sniffed || !rule.contentTypes.includes(sniffed) || declared !== sniffed) {
        return fail(
          415,
          CLIENT_UPLOAD_ERRORS.badType,
          `content type ${sniffed ?? 'unknown'} not allowed here (allowed: ${rule.contentTypes.join(', ')}; the extension must match)`,
        )
      }
      // resource.openid == auth.openid: a client never overwrites a file another user uploaded.
      const existing = fs.existsSync(filePath(env, cloudPath))
      if (existing && readOwner(env, cloudPath) !== openid) {
        return fail(403, CLIENT_UPLOAD_ERRORS.denied, 'the file belongs to another user')
      }
      writeFile(env, cloudPath, body, openid)
      return {
        status: 200,
        answer: {
          fileID: `${FILE_ID_PREFIX}${env}.${bucketOf(env)}/${cloudPath}`,
          statusCode: 200,
          errMsg: 'cloud.uploadFile:ok',
        },
      }
    },

    ownerOf(env, cloudPath) {
      if (!safeCloudPath(cloudPath) || !fs.existsSync(filePath(env, cloudPath))) return null
      return readOwner(env, cloudPath)
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
      fs.rmSync(path.join(opts.dataDir, 'storage-meta'), { recursive: true, force: true })
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

/** A rule's path pattern as a regular expression, `{openid}` replaced by the caller's (escaped) openid. */
function pathPattern(pattern: string, openid: string): RegExp {
  const escaped = openid.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
  return new RegExp(pattern.split('{openid}').join(escaped))
}

/** The content type a file's first bytes show (what a storage rule on types can trust), or null. */
export function sniffContentType(body: Buffer): string | null {
  if (body.length >= 3 && body[0] === 0xff && body[1] === 0xd8 && body[2] === 0xff)
    return 'image/jpeg'
  if (body.length >= 8 && body.subarray(0, 8).equals(PNG_SIGNATURE)) return 'image/png'
  if (
    body.length >= 12 &&
    body.toString('latin1', 0, 4) === 'RIFF' &&
    body.toString('latin1', 8, 12) === 'WEBP'
  )
    return 'image/webp'
  if (body.length >= 6 && /^GIF8[79]a$/.test(body.toString('latin1', 0, 6))) return 'image/gif'
  return null
}

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])

function cosError(code: string, message: string): string {
  return `<?xml version='1.0' encoding='utf-8' ?><Error><Code>${code}</Code><Message>${message}</Message><RequestId>emulator</RequestId><TraceId>emulator</TraceId></Error>`
}

function loadSecret(dataDir: string): Buffer {
  const file = path.join(dataDir, 'storage-secret')
  fs.mkdirSync(dataDir, { recursive: true })
  if (!fs.existsSync(file)) fs.writeFileSync(file, randomBytes(32).toString('hex'))
  return Buffer.from(fs.readFileSync(file, 'utf8').trim(), 'hex')
}
