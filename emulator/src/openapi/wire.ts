// The bytes of a `wx.openApi` call: the SDK's multipart form, its protobuf request and the protobuf answer.
//
// Read from wx-server-sdk 4.0.2 (`src/protobuf/openapi.js`, `src/api/openapi/namespace/generic.ts`) and
// @cloudbase/node-sdk 3.17.2 (`dist/wx/index.js` callCompatibleWxOpenApi, `dist/utils/request-core.js`).
// The messages are tiny, so a hand-written codec keeps the emulator off the SDK's private protobufjs.

/** One `form-data` part as the SDK's `form-data` library writes it. */
export type FormPart = { data: Buffer; filename?: string; contentType?: string }

/**
 * Parses a multipart/form-data body. The SDK posts `action`, `apiName`, `requestData` (the protobuf,
 * as application/octet-stream) and its tokens as separate parts; a name seen twice keeps the last.
 * Returns null when the body is not a well-formed multipart body for the boundary in `contentType`.
 */
export function parseMultipart(body: Buffer, contentType: string): Map<string, FormPart> | null {
  const boundary = /boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType)
  const token = boundary?.[1] ?? boundary?.[2]
  if (!/^multipart\/form-data/i.test(contentType.trim()) || !token) return null
  const dash = Buffer.from(`--${token}`)
  const delimiter = Buffer.from(`\r\n--${token}`)
  const parts = new Map<string, FormPart>()
  let pos = body.indexOf(dash)
  if (pos < 0) return null
  pos += dash.length
  for (;;) {
    // After each boundary: "--" closes the body, CRLF opens a part.
    if (body[pos] === 0x2d && body[pos + 1] === 0x2d) return parts
    if (body[pos] !== 0x0d || body[pos + 1] !== 0x0a) return null
    pos += 2
    const headerEnd = body.indexOf('\r\n\r\n', pos)
    if (headerEnd < 0) return null
    const headers = body.subarray(pos, headerEnd).toString('utf8').split('\r\n')
    const contentStart = headerEnd + 4
    const next = body.indexOf(delimiter, contentStart)
    if (next < 0) return null
    let name: string | undefined
    const part: FormPart = { data: body.subarray(contentStart, next) }
    for (const line of headers) {
      const colon = line.indexOf(':')
      if (colon < 0) continue
      const key = line.slice(0, colon).trim().toLowerCase()
      const value = line.slice(colon + 1).trim()
      if (key === 'content-disposition') {
        name = /\bname="([^"]*)"/i.exec(value)?.[1]
        const filename = /\bfilename="([^"]*)"/i.exec(value)?.[1]
        if (filename !== undefined) part.filename = filename
      } else if (key === 'content-type') {
        part.contentType = value
      }
    }
    if (name === undefined) return null
    parts.set(name, part)
    pos = next + delimiter.length
  }
}

// ---- protobuf ----

/** `KeyValuePair {key=1 string, value=2 bytes, contenttype=3 string, filename=4 string}`. */
export type KeyValuePair = { key: string; value: Buffer; contenttype?: string; filename?: string }

/** `CommApiData {apiType=1 int32, openapiData=2 OpenApiData{pairs=1}, ..., appid=6 string}`. */
export type CommApiData = { apiType: number; pairs: KeyValuePair[]; appid?: string }

/** `CommOpenApiResp {respData=1 bytes, contentType=2 string, errorCode=3 int32, httpCode=4 uint32}`. */
export type CommOpenApiResp = {
  respData?: Buffer
  contentType?: string
  errorCode?: number
  httpCode?: number
}

/** `CommApiData.ApiType.OPEN_API`: the only kind `cloud.openapi.*` sends. */
export const API_TYPE_OPEN_API = 0

export class ProtobufError extends Error {}

/** A forward-only reader of protobuf wire format: just what the messages above need. */
class Reader {
  pos = 0
  constructor(private readonly buf: Buffer) {}

  get done(): boolean {
    return this.pos >= this.buf.length
  }

  varint(): bigint {
    let result = 0n
    let shift = 0n
    for (let i = 0; i < 10; i++) {
      const byte = this.buf[this.pos++]
      if (byte === undefined) throw new ProtobufError('truncated varint')
      result |= BigInt(byte & 0x7f) << shift
      if ((byte & 0x80) === 0) return result
      shift += 7n
    }
    throw new ProtobufError('varint too long')
  }

  bytes(): Buffer {
    const len = Number(this.varint())
    const end = this.pos + len
    if (end > this.buf.length) throw new ProtobufError('truncated length-delimited field')
    const out = this.buf.subarray(this.pos, end)
    this.pos = end
    return out
  }

  /** Skips a field of a wire type this decoder does not read (forward compatibility). */
  skip(wireType: number): void {
    if (wireType === 0) this.varint()
    else if (wireType === 1) this.pos += 8
    else if (wireType === 2) this.bytes()
    else if (wireType === 5) this.pos += 4
    else throw new ProtobufError(`unsupported wire type ${wireType}`)
    if (this.pos > this.buf.length) throw new ProtobufError('truncated field')
  }

  /** Reads fields until the end, handing (field number, wire type) to `onField`, which returns false to skip. */
  fields(onField: (field: number, wireType: number) => boolean): void {
    while (!this.done) {
      const tag = Number(this.varint())
      const field = tag >>> 3
      const wireType = tag & 7
      if (!onField(field, wireType)) this.skip(wireType)
    }
  }
}

function expectWire(actual: number, expected: number, what: string): void {
  if (actual !== expected)
    throw new ProtobufError(`${what}: wire type ${actual}, expected ${expected}`)
}

function decodeKeyValuePair(buf: Buffer): KeyValuePair {
  const r = new Reader(buf)
  const pair: KeyValuePair = { key: '', value: Buffer.alloc(0) }
  r.fields((field, wt) => {
    if (field < 1 || field > 4) return false
    expectWire(wt, 2, `KeyValuePair.${field}`)
    const data = r.bytes()
    if (field === 1) pair.key = data.toString('utf8')
    else if (field === 2) pair.value = data
    else if (field === 3) pair.contenttype = data.toString('utf8')
    else pair.filename = data.toString('utf8')
    return true
  })
  return pair
}

export function decodeCommApiData(buf: Buffer): CommApiData {
  const r = new Reader(buf)
  const msg: CommApiData = { apiType: 0, pairs: [] }
  r.fields((field, wt) => {
    if (field === 1) {
      expectWire(wt, 0, 'CommApiData.apiType')
      msg.apiType = Number(BigInt.asIntN(32, r.varint()))
      return true
    }
    if (field === 2) {
      expectWire(wt, 2, 'CommApiData.openapiData')
      const inner = new Reader(r.bytes())
      inner.fields((f, w) => {
        if (f !== 1) return false
        expectWire(w, 2, 'OpenApiData.pairs')
        msg.pairs.push(decodeKeyValuePair(inner.bytes()))
        return true
      })
      return true
    }
    if (field === 6) {
      expectWire(wt, 2, 'CommApiData.appid')
      msg.appid = r.bytes().toString('utf8')
      return true
    }
    // innerData/svrkitData/tokenData belong to other api types; the caller rejects those by apiType.
    return false
  })
  return msg
}

function varint(value: bigint): Buffer {
  // int32 negatives are sign-extended to 64 bits on the wire, hence BigInt.asUintN(64, ...).
  let v = BigInt.asUintN(64, value)
  const out: number[] = []
  do {
    let byte = Number(v & 0x7fn)
    v >>= 7n
    if (v !== 0n) byte |= 0x80
    out.push(byte)
  } while (v !== 0n)
  return Buffer.from(out)
}

function tag(field: number, wireType: number): Buffer {
  return varint(BigInt((field << 3) | wireType))
}

function lengthDelimited(field: number, data: Buffer): Buffer {
  return Buffer.concat([tag(field, 2), varint(BigInt(data.length)), data])
}

export function encodeCommOpenApiResp(msg: CommOpenApiResp): Buffer {
  const parts: Buffer[] = []
  if (msg.respData !== undefined) parts.push(lengthDelimited(1, msg.respData))
  if (msg.contentType !== undefined) parts.push(lengthDelimited(2, Buffer.from(msg.contentType)))
  if (msg.errorCode !== undefined) parts.push(tag(3, 0), varint(BigInt(msg.errorCode | 0)))
  if (msg.httpCode !== undefined) parts.push(tag(4, 0), varint(BigInt(msg.httpCode >>> 0)))
  return Buffer.concat(parts)
}

/** Encoders for the request side, used by tests that speak the wire without the SDK. */
export function encodeCommApiData(msg: CommApiData): Buffer {
  const pairs = msg.pairs.map((p) => {
    const fields = [lengthDelimited(1, Buffer.from(p.key)), lengthDelimited(2, p.value)]
    if (p.contenttype !== undefined) fields.push(lengthDelimited(3, Buffer.from(p.contenttype)))
    if (p.filename !== undefined) fields.push(lengthDelimited(4, Buffer.from(p.filename)))
    return lengthDelimited(1, Buffer.concat(fields))
  })
  const parts = [
    tag(1, 0),
    varint(BigInt(msg.apiType | 0)),
    lengthDelimited(2, Buffer.concat(pairs)),
  ]
  if (msg.appid !== undefined) parts.push(lengthDelimited(6, Buffer.from(msg.appid)))
  return Buffer.concat(parts)
}
