// Test photos: real PNG images made in memory, and uploads as a phone makes them (the emulator's client route).
import { randomBytes } from 'node:crypto'
import { deflateSync } from 'node:zlib'

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1
  return c >>> 0
})

function crc32(buf: Buffer): number {
  let c = 0xffffffff
  for (const b of buf) c = (CRC_TABLE[(c ^ b) & 0xff] ?? 0) ^ (c >>> 8)
  return (c ^ 0xffffffff) >>> 0
}

function chunk(type: string, data: Buffer): Buffer {
  const len = Buffer.alloc(4)
  len.writeUInt32BE(data.length)
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data])
  const crc = Buffer.alloc(4)
  crc.writeUInt32BE(crc32(body))
  return Buffer.concat([len, body, crc])
}

/** A width × height RGB PNG: a colour gradient, so a browser really decodes and shows something. */
export function makePng(width = 64, height = 48, tint = 0): Buffer {
  const raw = Buffer.alloc((width * 3 + 1) * height)
  for (let y = 0; y < height; y++) {
    const row = y * (width * 3 + 1)
    raw[row] = 0
    for (let x = 0; x < width; x++) {
      raw[row + 1 + x * 3] = (x * 4 + tint) & 0xff
      raw[row + 2 + x * 3] = (y * 5) & 0xff
      raw[row + 3 + x * 3] = 160
    }
  }
  const header = Buffer.alloc(13)
  header.writeUInt32BE(width, 0)
  header.writeUInt32BE(height, 4)
  header.writeUInt8(8, 8) // bit depth
  header.writeUInt8(2, 9) // colour type RGB
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(raw)),
    chunk('IEND', Buffer.alloc(0)),
  ])
}

/** A fresh photo path in the uploader's folder, as the app names it. */
export function photoPath(openid: string, ext = 'png'): string {
  return `contact-photos/${openid}/${randomBytes(12).toString('base64url')}.${ext}`
}

/** Uploads as `openid` would from the phone; the answer as wx.cloud.uploadFile resolves or fails. */
export async function uploadAs(
  url: string,
  openid: string,
  body: Buffer,
  cloudPath = photoPath(openid),
): Promise<{ status: number; fileID: string | null; errMsg: string }> {
  const res = await fetch(
    `${url}/__storage/client-upload?cloudPath=${encodeURIComponent(cloudPath)}`,
    {
      method: 'POST',
      headers: { 'X-Local-Openid': openid },
      body: new Uint8Array(body),
    },
  )
  const answer = (await res.json()) as { fileID?: string; errMsg?: string }
  return { status: res.status, fileID: answer.fileID ?? null, errMsg: answer.errMsg ?? '' }
}

/** Uploads a PNG that must be accepted; its fileID. */
export async function uploadPhoto(url: string, openid: string, tint = 0): Promise<string> {
  const out = await uploadAs(url, openid, makePng(64, 48, tint))
  if (!out.fileID) throw new Error(`upload failed: ${out.status} ${out.errMsg}`)
  return out.fileID
}
