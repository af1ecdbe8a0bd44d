// QR codes for invites, confirmations and household codes: scene tokens, the mini-program code image in private storage, temporary links.
import { randomBytes } from 'node:crypto'
import * as z from 'zod'
import { getCloud } from './cloud'

export type SceneKind = 'I' | 'C' | 'H'

/**
 * A fresh scene token: the kind letter, a dot, 20 random URL-safe characters (120 bits). It is the
 * only thing a QR code carries: never an id, a name or a phone (wxacode allows 32 characters).
 */
export function newScene(kind: SceneKind): string {
  return `${kind}.${randomBytes(15).toString('base64url')}`
}

const QrAnswer = z.object({ buffer: z.instanceof(Buffer) })
const UploadAnswer = z.object({ fileID: z.string() })
const TempUrlAnswer = z.object({
  fileList: z.array(
    z.object({ fileID: z.string(), tempFileURL: z.string().optional(), status: z.number() }),
  ),
})

/**
 * Makes the mini-program code that opens `page` with `scene` (`wxacode.getUnlimited`, unlimited in
 * number) and keeps the PNG in cloud storage, private; returns its file id.
 */
export async function storeQrImage(
  page: string,
  scene: string,
  cloudPath: string,
): Promise<string> {
  const cloud = getCloud()
  const getUnlimited = (
    cloud.openapi as { wxacode: { getUnlimited(a: unknown): Promise<unknown> } }
  ).wxacode.getUnlimited
  // checkPath false: the page may not be in the released version yet (a newly added page).
  const qr = QrAnswer.parse(await getUnlimited({ scene, page, checkPath: false }))
  const up = UploadAnswer.parse(await cloud.uploadFile({ cloudPath, fileContent: qr.buffer }))
  return up.fileID
}

/** A storage path for a QR image: the record's id and a random part (a regenerated code gets a new file). */
export function qrPath(folder: string, recordId: string): string {
  return `qrcodes/${folder}/${recordId}-${randomBytes(4).toString('hex')}.png`
}

/** How long a QR image link lasts (seconds): long enough to show, save or print it. */
export const QR_LINK_SECONDS = 2 * 60 * 60

/** Temporary links for stored files (missing or failed ones are absent from the map). */
export async function tempUrls(fileIds: readonly (string | null)[]): Promise<Map<string, string>> {
  const ids = [...new Set(fileIds.filter((f): f is string => !!f))]
  const out = new Map<string, string>()
  // getTempFileURL takes at most 50 files per call.
  for (let i = 0; i < ids.length; i += 50) {
    const res = TempUrlAnswer.parse(
      await getCloud().getTempFileURL({
        fileList: ids.slice(i, i + 50).map((fileID) => ({ fileID, maxAge: QR_LINK_SECONDS })),
      }),
    )
    for (const f of res.fileList)
      if (f.status === 0 && f.tempFileURL) out.set(f.fileID, f.tempFileURL)
  }
  return out
}

export async function tempUrl(fileId: string | null): Promise<string | null> {
  if (!fileId) return null
  return (await tempUrls([fileId])).get(fileId) ?? null
}
