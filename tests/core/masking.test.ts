// Masking of phone numbers and names: what a screen or a message may show of a person.
import { describe, expect, it } from 'vitest'
import {
  givenName,
  maskPhone,
  MOBILE_PHONE_MESSAGE,
  MobilePhoneSchema,
} from '../../src/core/masking'

describe('maskPhone', () => {
  it.each([
    ['13812345678', '138****5678'],
    [' 19912345678 ', '199****5678'],
    // not a mainland mobile: first 3 and last 2 kept
    ['0571-87654321', '057********21'],
    ['+85291234567', '+85*******67'],
    ['1234567', '123**67'],
    // too short to show any of it
    ['123456', '******'],
    ['110', '***'],
    ['', ''],
  ])('given %j, when masked, then %j', (phone, masked) => {
    expect(maskPhone(phone)).toBe(masked)
  })

  it('given a mobile, when masked, then the middle four digits are gone', () => {
    expect(maskPhone('13812345678')).not.toContain('1234')
  })
})

describe('MobilePhoneSchema', () => {
  it.each<[string, unknown, string | null]>([
    ['a mobile', '13812345678', '13812345678'],
    ['typed with spaces', '138 1234 5678', '13812345678'],
    ['typed with hyphens', '138-1234-5678', '13812345678'],
    ['with +86', '+86 138 1234 5678', '13812345678'],
    ['with 0086', '008613812345678', '13812345678'],
    ['a 19x number', '19912345678', '19912345678'],
    ['starting 12', '12812345678', null],
    ['starting 10', '10012345678', null],
    ['10 digits', '1381234567', null],
    ['12 digits', '138123456789', null],
    ['a landline', '057187654321', null],
    ['letters', '1381234567a', null],
    ['empty', '', null],
  ])('given %s (%j), when parsed, then %s', (_name, input, expected) => {
    const result = MobilePhoneSchema.safeParse(input)
    if (expected === null) {
      expect(result.success).toBe(false)
      expect(result.error?.issues[0]?.message).toBe(MOBILE_PHONE_MESSAGE)
    } else {
      expect(result.data).toBe(expected)
    }
  })

  it('given something that is not text, then the message asks for a phone number in Chinese', () => {
    expect(MobilePhoneSchema.safeParse(13812345678).error?.issues[0]?.message).toBe(
      '请输入手机号码',
    )
    expect(MOBILE_PHONE_MESSAGE).toMatch(/[\u4e00-\u9fa5]/)
  })
})

describe('givenName', () => {
  it.each([
    // one-character surname
    ['张小明', '小明'],
    ['王芳', '芳'],
    ['李', '李'],
    [' 陈 静 ', '静'],
    // compound surnames (复姓)
    ['欧阳娜娜', '娜娜'],
    ['司马光', '光'],
    ['诸葛亮', '亮'],
    ['上官婉儿', '婉儿'],
    ['东方明珠', '明珠'],
    ['皇甫嵩', '嵩'],
    ['尉迟恭', '恭'],
    ['公孙胜', '胜'],
    ['慕容复', '复'],
    ['长孙无忌', '无忌'],
    ['宇文泰', '泰'],
    ['司徒雷登', '雷登'],
    ['夏侯惇', '惇'],
    ['令狐冲', '冲'],
    // a two-character name that starts like a compound surname is a surname plus a given name
    ['欧阳', '阳'],
    // a double-barrelled name cannot be told apart: the first character is still removed
    ['张王小明', '王小明'],
    // transliterated names: the personal name comes first
    ['迪丽热巴·迪力木拉提', '迪丽热巴'],
    ['阿依古丽•买买提', '阿依古丽'],
    // names outside the Han script: the first word
    ['Alice Smith', 'Alice'],
    ['', ''],
  ])('given the full name %j, when shortened, then %j', (full, given) => {
    expect(givenName(full)).toBe(given)
  })

  it.each(['张小明', '欧阳娜娜', '王芳', '司马光'])(
    'given %s, then the result is never the full name',
    (full) => {
      expect(givenName(full)).not.toBe(full)
      expect(full.endsWith(givenName(full))).toBe(true)
    },
  )
})
