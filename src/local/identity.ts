// Who the h5 app acts as in local mode: the chosen openid, kept in Taro storage and sent to the gateway.
import Taro from '@tarojs/taro'

const STORAGE_KEY = 'shouhu.local.openid'
const LOCAL_OPENID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/

export function getLocalOpenid(): string | null {
  const value: unknown = Taro.getStorageSync(STORAGE_KEY)
  return typeof value === 'string' && LOCAL_OPENID_PATTERN.test(value) ? value : null
}

export function setLocalOpenid(openid: string): void {
  if (!LOCAL_OPENID_PATTERN.test(openid)) throw new Error('invalid local openid')
  Taro.setStorageSync(STORAGE_KEY, openid)
}

export function clearLocalOpenid(): void {
  Taro.removeStorageSync(STORAGE_KEY)
}

/** A never-registered WeChat user: `local-` and 16 random hex digits. */
export function newLocalOpenid(): string {
  const bytes = new Uint8Array(8)
  crypto.getRandomValues(bytes)
  return `local-${Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('')}`
}
