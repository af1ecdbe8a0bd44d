// Ambient types for the Taro front end: mini-program APIs, style imports and build-time constants.
/// <reference types="miniprogram-api-typings" />
/// <reference types="@tarojs/taro" />

declare module '*.scss'
declare module '*.css'
declare module '*.png'
declare module '*.svg'

/** WeChat Cloud environment id for `Taro.cloud.init` (weapp); '' means the default environment. */
declare const SHOUHU_CLOUD_ENV: string
/** True in the h5 build: demo sign-in and the local emulator gateway instead of WeChat. */
declare const SHOUHU_LOCAL_MODE: boolean

declare namespace NodeJS {
  interface ProcessEnv {
    /** The Taro build target, replaced at build time so the other target's branch is removed. */
    TARO_ENV?: 'weapp' | 'h5'
  }
}
