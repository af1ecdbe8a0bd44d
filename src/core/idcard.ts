// Mainland resident ID numbers (居民身份证号码, GB 11643-1999): validation, what they encode, masking.
import * as z from 'zod'
import { chinaDate } from './time'

export type Sex = 'male' | 'female'

export type IdNumberError =
  'length' | 'format' | 'region' | 'birth_date' | 'future_birth_date' | 'checksum'

/** What a person is told, one problem at a time, in the order the checks run. */
export const ID_NUMBER_MESSAGES: Record<IdNumberError, string> = {
  length: '身份证号码应为18位',
  format: '身份证号码应为17位数字加1位数字或X',
  region: '身份证号码的地区代码无效',
  birth_date: '出生日期无效',
  future_birth_date: '出生日期不能晚于今天',
  checksum: '校验位不正确',
}

export type IdNumberCheck =
  { ok: true; value: string; birthDate: string; sex: Sex } | { ok: false; error: IdNumberError }

/**
 * Province-level codes of GB/T 2260 (the first two digits), plus 71 (Taiwan), 81/82 (Hong Kong,
 * Macao) and 83 (Taiwan residents), which appear on residence permits issued on the same format.
 */
const PROVINCE_CODES = new Set([
  11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37, 41, 42, 43, 44, 45, 46, 50, 51, 52,
  53, 54, 61, 62, 63, 64, 65, 71, 81, 82, 83,
])

/** ISO 7064 MOD 11-2 weights, 2^(17-i) mod 11, and the check character for each remainder. */
const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
const CHECK_CHARS = '10X98765432'

/** The check character the first 17 digits call for. */
export function idCheckChar(first17: string): string {
  let sum = 0
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * (WEIGHTS[i] ?? 0)
  return CHECK_CHARS[sum % 11] ?? ''
}

/**
 * Checks an ID number. Surrounding spaces are trimmed and a lowercase x upper-cased (phones often
 * offer only the lowercase letter). The birth date must be a real date from 1900-01-01 on; with
 * `today` it must also not be after today's China date.
 */
export function checkIdNumber(raw: string, today?: Date): IdNumberCheck {
  const value = raw.trim().toUpperCase()
  if (value.length !== 18) return { ok: false, error: 'length' }
  if (!/^\d{17}[\dX]$/.test(value)) return { ok: false, error: 'format' }
  if (!PROVINCE_CODES.has(Number(value.slice(0, 2)))) return { ok: false, error: 'region' }
  const birthDate = `${value.slice(6, 10)}-${value.slice(10, 12)}-${value.slice(12, 14)}`
  if (!isRealDate(birthDate) || birthDate < '1900-01-01') return { ok: false, error: 'birth_date' }
  // 'YYYY-MM-DD' strings compare in calendar order.
  if (today && birthDate > chinaDate(today)) return { ok: false, error: 'future_birth_date' }
  if (idCheckChar(value) !== value[17]) return { ok: false, error: 'checksum' }
  return { ok: true, value, birthDate, sex: Number(value[16]) % 2 === 1 ? 'male' : 'female' }
}

function idNumberField(today?: Date) {
  return z.string({ error: '请输入身份证号码' }).transform((raw, ctx) => {
    const check = checkIdNumber(raw, today)
    if (!check.ok) {
      ctx.addIssue({ code: 'custom', message: ID_NUMBER_MESSAGES[check.error], input: raw })
      return z.NEVER
    }
    return check.value
  })
}

/**
 * The ID number as it crosses the wire, normalised. Without a clock it cannot refuse a birth date
 * in the future; a handler re-checks with `idNumberSchema(now)`.
 */
export const IdNumberSchema = idNumberField()

/** Full check, including "born no later than today" against the clock the caller passes. */
export function idNumberSchema(today: Date) {
  return idNumberField(today)
}

/** The birth date an ID number encodes ('YYYY-MM-DD', a calendar date, not an instant), or null. */
export function birthDateFromId(id: string): string | null {
  const check = checkIdNumber(id)
  return check.ok ? check.birthDate : null
}

/** The sex an ID number encodes (17th digit odd: male), or null when the number is invalid. */
export function sexFromId(id: string): Sex | null {
  const check = checkIdNumber(id)
  return check.ok ? check.sex : null
}

/**
 * '330102200801011234' → '3301**********1234': the first 4 (province and city) and last 4 stay
 * visible, enough for a person to tell two children apart. A value shorter than 12 characters is
 * not an ID number and is masked completely, so masking never reveals a short value whole.
 */
export function maskIdNumber(id: string): string {
  const value = id.trim().toUpperCase()
  if (value.length < 12) return '*'.repeat(value.length)
  return `${value.slice(0, 4)}${'*'.repeat(value.length - 8)}${value.slice(-4)}`
}

function isRealDate(date: string): boolean {
  const [y, m, d] = date.split('-').map(Number)
  if (y === undefined || m === undefined || d === undefined) return false
  const t = new Date(Date.UTC(y, m - 1, d))
  return t.getUTCFullYear() === y && t.getUTCMonth() === m - 1 && t.getUTCDate() === d
}
