// The one place server code touches wx-server-sdk: initialisation, the database handle, the caller's identity.
import cloud from 'wx-server-sdk'

let initialised = false

export function getCloud(): typeof cloud {
  if (!initialised) {
    // DYNAMIC_CURRENT_ENV is a symbol the SDK resolves to the function's own environment; its typings say string.
    cloud.init({ env: cloud.DYNAMIC_CURRENT_ENV as unknown as string })
    initialised = true
  }
  return cloud
}

export type Database = ReturnType<typeof cloud.database>

export function getDb(): Database {
  return getCloud().database()
}

/** The caller's WeChat openid as the platform asserts it; never taken from the request body. */
export function callerOpenid(): string | null {
  const ctx = getCloud().getWXContext() as { OPENID?: unknown }
  return typeof ctx.OPENID === 'string' && ctx.OPENID ? ctx.OPENID : null
}

/** The cloud environment this function runs in (the host part of its storage file ids). */
export function currentEnv(): string {
  const ctx = getCloud().getWXContext() as { ENV?: unknown }
  if (typeof ctx.ENV !== 'string' || !ctx.ENV)
    throw new Error('no cloud environment in the context')
  return ctx.ENV
}
