// Connects the mini-program to its WeChat Cloud environment; the local h5 build has no wx.cloud.
import Taro from '@tarojs/taro'

let initialised = false

/** Call once at launch, before any page calls the cloud. */
export function initCloud(): void {
  if (SHOUHU_LOCAL_MODE || initialised) return
  initialised = true
  Taro.cloud.init(
    SHOUHU_CLOUD_ENV ? { env: SHOUHU_CLOUD_ENV, traceUser: true } : { traceUser: true },
  )
}
