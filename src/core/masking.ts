// Masking of phone numbers and names, so screens and messages show no more of a person than needed.
import * as z from 'zod'

/**
 * '13812345678' → '138****5678' for a mainland mobile (the usual Chinese display). Anything else
 * (a landline, a foreign number) keeps its first 3 and last 2 characters when at least 7 long and is
 * masked whole when shorter, so a short value is never shown in full.
 */
export function maskPhone(phone: string): string {
  const value = phone.trim()
  if (/^1\d{10}$/.test(value)) return `${value.slice(0, 3)}****${value.slice(-4)}`
  if (value.length < 7) return '*'.repeat(value.length)
  return `${value.slice(0, 3)}${'*'.repeat(value.length - 5)}${value.slice(-2)}`
}

export const MOBILE_PHONE_MESSAGE = '请输入正确的11位手机号码'

/**
 * A mainland mobile number, normalised to 11 digits: spaces and hyphens people type ('138 1234 5678')
 * and a +86 / 0086 country prefix are removed before the check 1[3-9] + 9 digits.
 */
export const MobilePhoneSchema = z
  .string({ error: '请输入手机号码' })
  .transform((s) => s.replace(/[\s-]/g, '').replace(/^(\+86|0086)/, ''))
  .pipe(z.string().regex(/^1[3-9]\d{9}$/, MOBILE_PHONE_MESSAGE))

/**
 * Two-character surnames (复姓). Checked before the one-character rule, so '欧阳娜娜' → '娜娜'.
 * A name written with a joining double surname (张王小明, both parents' surnames) cannot be told
 * from a one-character surname and yields '王小明' — still not the full name.
 */
// prettier-ignore
export const COMPOUND_SURNAMES: readonly string[] = [
  '欧阳', '司马', '诸葛', '上官', '东方', '皇甫', '尉迟', '公孙', '慕容', '长孙', '宇文', '司徒',
  '夏侯', '令狐', '端木', '独孤', '南宫', '西门', '轩辕', '呼延', '赫连', '澹台', '公冶', '宗政',
  '濮阳', '淳于', '单于', '太叔', '申屠', '钟离', '闻人', '万俟', '司空', '司寇', '百里', '东郭',
  '左丘', '拓跋', '第五', '闾丘', '亓官', '公羊', '梁丘', '巫马', '乐正', '漆雕', '子车', '颛孙',
]

const HAN = /\p{Script=Han}/u
/** The middle dots used between parts of transliterated names (迪丽热巴·迪力木拉提). */
const NAME_SEPARATORS = /[·•・.．]/

/**
 * The part of a name a guardian confirmation or a reminder may show, so no message carries a full
 * name: '张小明' → '小明', '王芳' → '芳', '欧阳娜娜' → '娜娜', '司马光' → '光'. A transliterated name
 * with a middle dot ('迪丽热巴·迪力木拉提') gives its first part, the personal name; a name with no
 * Chinese characters gives its first word. One character is returned as is (nothing to remove).
 */
export function givenName(fullName: string): string {
  const name = fullName.trim()
  if (!HAN.test(name)) return name.split(/\s+/)[0] ?? ''
  const parts = name.split(NAME_SEPARATORS).map((p) => p.trim())
  if (parts.length > 1) return parts.find((p) => p.length > 0) ?? ''
  const compact = name.replace(/\s+/g, '')
  const chars = Array.from(compact)
  if (chars.length <= 1) return compact
  if (chars.length >= 3 && COMPOUND_SURNAMES.includes(chars.slice(0, 2).join(''))) {
    return chars.slice(2).join('')
  }
  return chars.slice(1).join('')
}
