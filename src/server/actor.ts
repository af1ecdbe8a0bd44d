// Resolves the caller (the platform-asserted openid) to their user record: the actor every action runs as.
import { callerOpenid, getDb } from './cloud'
import { findOne } from './db'
import { DomainError } from './errors'
import { COLLECTIONS, UserDoc } from './records'

export type Caller = { openid: string; user: UserDoc | null }

export async function resolveCaller(): Promise<Caller> {
  const openid = callerOpenid()
  if (!openid) throw new DomainError('UNAUTHENTICATED', '无法识别微信身份，请在微信中打开')
  const user = await findOne(
    UserDoc,
    getDb().collection(COLLECTIONS.users).where({ openid }).limit(1),
  )
  return { openid, user }
}
