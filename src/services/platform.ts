// Every difference between WeChat and the local h5 build the pages meet: scan, share, subscribe, phone call, network.
// In h5 each has an honest local equivalent, so browser tests can run every flow end to end.
import Taro from '@tarojs/taro'
import { getLocalOpenid } from '../local/identity'

// ------------------------------------------------------------------------------- scan

/** What a scan produced: the scene carried by a mini-program code, or the raw text of a plain QR code. */
export type ScanOutcome =
  | { kind: 'scanned'; scene: string | null; text: string }
  | { kind: 'cancelled' }
  /** h5: no camera API; the page offers "open the link / paste the code" instead. */
  | { kind: 'unsupported' }

/** Opens the camera (weapp). A mini-program code answers with `path` (`pages/x/index?scene=…`). */
export async function scanCode(): Promise<ScanOutcome> {
  if (SHOUHU_LOCAL_MODE) return { kind: 'unsupported' }
  try {
    const res = await Taro.scanCode({ onlyFromCamera: true, scanType: ['qrCode'] })
    const text = res.path || res.result || ''
    return { kind: 'scanned', scene: sceneFromText(text), text }
  } catch {
    return { kind: 'cancelled' }
  }
}

/**
 * The scene of a pasted or scanned code: `…?scene=TOKEN` (a mini-program path or an h5 link, URL-encoded
 * once as WeChat passes it) or a bare token. Null when the text holds neither.
 */
export function sceneFromText(text: string): string | null {
  const trimmed = text.trim()
  const match = /[?&]scene=([^&#\s]+)/.exec(trimmed)
  if (match?.[1]) return safeDecode(match[1])
  return /^[A-Za-z0-9_-]{4,32}$/.test(trimmed) ? trimmed : null
}

/** The scene a page was opened with: `scene` in the query (weapp passes it URL-encoded). */
export function sceneFromParams(params: Partial<Record<string, string>>): string | null {
  const raw = params.scene ?? params.token
  return raw ? safeDecode(raw) : null
}

function safeDecode(value: string): string {
  try {
    return decodeURIComponent(value)
  } catch {
    return value
  }
}

// ------------------------------------------------------------------------------- share

/**
 * A link to a page of this app: in h5 an address the browser opens directly (hash router); in weapp
 * the page path a share card or a code opens.
 */
export function appLink(pagePath: string, query: Record<string, string>): string {
  const search = Object.entries(query)
    .map(([k, v]) => `${k}=${encodeURIComponent(v)}`)
    .join('&')
  const path = `/${pagePath.replace(/^\//, '')}${search ? `?${search}` : ''}`
  if (!SHOUHU_LOCAL_MODE) return path
  const { origin, pathname } = window.location
  return `${origin}${pathname}#${path}`
}

/** Copies text (h5 share: copy the link). Resolves false when the clipboard refused. */
export async function copyText(text: string): Promise<boolean> {
  try {
    if (SHOUHU_LOCAL_MODE && typeof navigator !== 'undefined' && navigator.clipboard) {
      await navigator.clipboard.writeText(text)
    } else {
      await Taro.setClipboardData({ data: text })
    }
    return true
  } catch {
    return false
  }
}

/** True where a share button can open a WeChat chat (a `<Button openType="share">` with onShareAppMessage). */
export const CAN_SHARE_CARD = !SHOUHU_LOCAL_MODE

// ------------------------------------------------------------------------------- phone

/** Starts a call (weapp's dialer; a tel: link in h5). */
export function makePhoneCall(phone: string): void {
  const phoneNumber = phone.replace(/[^\d+]/g, '')
  if (SHOUHU_LOCAL_MODE) {
    window.location.href = `tel:${phoneNumber}`
    return
  }
  void Taro.makePhoneCall({ phoneNumber }).catch(() => undefined)
}

// ------------------------------------------------------------------------------- subscribe

/** Template ids the person accepted (a one-time subscription each). */
export async function requestSubscribe(templateIds: readonly string[]): Promise<string[]> {
  if (templateIds.length === 0) return []
  if (SHOUHU_LOCAL_MODE) return localGrant(templateIds)
  try {
    const res = (await Taro.requestSubscribeMessage({
      tmplIds: [...templateIds],
      entityIds: [],
    })) as unknown as Record<string, string>
    return templateIds.filter((id) => res[id] === 'accept')
  } catch {
    return []
  }
}

/**
 * h5: no WeChat dialog; accepting is simulated by telling the emulator the user granted each template
 * (what WeChat itself records when someone taps 允许), so `subscribeMessage.send` has a quota.
 */
async function localGrant(templateIds: readonly string[]): Promise<string[]> {
  const openid = getLocalOpenid()
  if (!openid) return []
  const accepted: string[] = []
  for (const templateId of templateIds) {
    try {
      const res = await fetch('/__emulator/grant', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ openid, templateId, count: 1 }),
      })
      if (res.ok) accepted.push(templateId)
    } catch {
      /* offline: not accepted */
    }
  }
  return accepted
}

// ------------------------------------------------------------------------------- network

/** Whether the device believes it has a connection now (a hint: a request can still fail). */
export async function isOnline(): Promise<boolean> {
  if (SHOUHU_LOCAL_MODE) return typeof navigator === 'undefined' ? true : navigator.onLine
  try {
    const res = await Taro.getNetworkType()
    return res.networkType !== 'none'
  } catch {
    return true
  }
}

/** Calls `onOnline` each time the connection comes back. Returns the unsubscribe function. */
export function onNetworkRestored(onOnline: () => void): () => void {
  if (SHOUHU_LOCAL_MODE) {
    const listener = () => onOnline()
    window.addEventListener('online', listener)
    return () => window.removeEventListener('online', listener)
  }
  const listener = (res: { isConnected: boolean }) => {
    if (res.isConnected) onOnline()
  }
  Taro.onNetworkStatusChange(listener)
  return () => Taro.offNetworkStatusChange(listener)
}
