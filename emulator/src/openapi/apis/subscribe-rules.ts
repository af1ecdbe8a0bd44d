// WeChat's documented value rules for subscription-message keywords, checked by the keyword's type prefix.
//
// Source: the subscribeMessage.send docs, "订阅消息参数值内容限制说明" (thing1, number2, ... each keyword's
// name is its type followed by a number). Lengths count characters (a Chinese character is one).
// Where the docs leave room (e.g. a `time` holding only a date) the rule follows what production accepts
// in practice, so the emulator does not reject messages the real platform would deliver.

/** Why a keyword value is refused; production's errmsg wording differs for the two. */
export type FieldProblem = 'empty' | 'invalid'

const chars = (s: string): number => Array.from(s).length

const HAN = /^\p{Script=Han}$/u
const ASCII_LETTER_OR_DIGIT = /^[A-Za-z0-9]$/
/** ASCII punctuation and symbols (everything printable that is neither a letter, a digit nor a space). */
const ASCII_SYMBOLS = '!-/:-@\\[-`{-~'

function isValidDate(y: number, m: number, d: number): boolean {
  const t = new Date(Date.UTC(y, m - 1, d))
  return t.getUTCFullYear() === y && t.getUTCMonth() === m - 1 && t.getUTCDate() === d
}

const DATE_CN = /^(\d{4})年(\d{1,2})月(\d{1,2})日/
const DATE_SEP = /^(\d{4})([-/.])(\d{1,2})\2(\d{1,2})/
const CLOCK = /^(\d{1,2}):(\d{2})(?::(\d{2}))?$/

/** Reads a leading date (`2019年10月1日` or `2019-10-01`); returns the rest, or null when there is none. */
function takeDate(s: string): string | null {
  const cn = DATE_CN.exec(s)
  const sep = cn ? null : DATE_SEP.exec(s)
  const m = cn ?? sep
  if (!m) return null
  const [y, mo, d] = cn ? [cn[1], cn[2], cn[3]] : [m[1], m[3], m[4]]
  if (!isValidDate(Number(y), Number(mo), Number(d))) return null
  return s.slice(m[0].length)
}

function isClock(s: string): boolean {
  const m = CLOCK.exec(s)
  if (!m) return false
  return Number(m[1]) <= 23 && Number(m[2]) <= 59 && (m[3] === undefined || Number(m[3]) <= 59)
}

/** One point in time: `[date][ ][clock]`; `needDate`/`needClock` say which part the type demands. */
function isPoint(s: string, needDate: boolean, needClock: boolean): boolean {
  const afterDate = takeDate(s)
  if (afterDate === null) return !needDate && isClock(s)
  const rest = afterDate.trim()
  if (rest === '') return !needClock
  return isClock(rest)
}

/** A point or a range of two points joined by a half-width `~` (the full-width ～ is refused in production). */
function isPointOrRange(s: string, needDate: boolean, needClock: boolean): boolean {
  const ends = s.split('~')
  if (ends.length > 2) return false
  return ends.every((e) => isPoint(e.trim(), needDate, needClock))
}

function isCarNumber(s: string): boolean {
  const cs = Array.from(s)
  if (cs.length > 8) return false
  return cs.every((c, i) => {
    const edge = i === 0 || i === cs.length - 1
    return ASCII_LETTER_OR_DIGIT.test(c) || (edge && HAN.test(c))
  })
}

function isName(s: string): boolean {
  // Mixed Chinese and letters counts as a Chinese name: 10 characters; a pure Latin name gets 20.
  if (/\p{Script=Han}/u.test(s)) return chars(s) <= 10 && /^[\p{Script=Han}A-Za-z·• ]+$/u.test(s)
  return chars(s) <= 20 && new RegExp(`^[A-Za-z ${ASCII_SYMBOLS}]+$`).test(s)
}

const rules: Record<string, (value: string) => boolean> = {
  // 20 characters of anything: Chinese, digits, letters, symbols.
  thing: (v) => chars(v) <= 20,
  // Up to 32 digits, decimals allowed.
  number: (v) => v.length <= 32 && /^\d+(\.\d+)?$/.test(v),
  letter: (v) => /^[A-Za-z]{1,32}$/.test(v),
  symbol: (v) => chars(v) <= 5 && /^[^\p{L}\p{N}\s]+$/u.test(v),
  // Digits, letters or symbols (ASCII, so Chinese is refused, as production does).
  character_string: (v) => v.length <= 32 && new RegExp(`^[A-Za-z0-9${ASCII_SYMBOLS}]+$`).test(v),
  // 24-hour time, optionally with a date; production also accepts a date alone. `~` joins a range.
  time: (v) => isPointOrRange(v, false, false),
  // A date, optionally with a 24-hour time. `~` joins a range.
  date: (v) => isPointOrRange(v, true, false),
  // One currency symbol, up to 10 digits, decimals, an optional trailing 元.
  amount: (v) => /^[¥￥$€£]?\d{1,10}(\.\d+)?元?$/.test(v),
  // Up to 17 digits and symbols, e.g. +86-0766-66888866.
  phone_number: (v) =>
    v.length <= 17 && /\d/.test(v) && new RegExp(`^[0-9 ${ASCII_SYMBOLS}]+$`).test(v),
  // Up to 8; the first and last may be Chinese, the rest letters or digits (粤A8Z888挂).
  car_number: isCarNumber,
  name: isName,
  // Up to 5 Chinese characters only (配送中).
  phrase: (v) => /^\p{Script=Han}{1,5}$/u.test(v),
}

/** The keyword's type: `thing` of `thing12`, `character_string` of `character_string3`. */
export function keywordType(key: string): string | null {
  const m = /^([a-z_]+?)(\d+)$/.exec(key)
  const type = m?.[1]
  return type !== undefined && type in rules ? type : null
}

/** Checks one keyword's value; null when WeChat would accept it. */
export function checkKeyword(key: string, value: string): FieldProblem | null {
  if (value.trim() === '') return 'empty'
  const type = keywordType(key)
  const rule = type === null ? undefined : rules[type]
  if (!rule) return 'invalid'
  return rule(value) ? null : 'invalid'
}
