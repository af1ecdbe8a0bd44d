// Mainland resident ID numbers: validation with Chinese messages, birth date and sex, masking.
//
// The samples are constructed, not real people's numbers. Their check characters were computed
// independently of the code under test (ISO 7064 MOD 11-2, by hand in Python); 11010519491231002X
// is the worked example of GB 11643-1999 itself.
import { describe, expect, it } from 'vitest'
import {
  birthDateFromId,
  checkIdNumber,
  ID_NUMBER_MESSAGES,
  idCheckChar,
  IdNumberSchema,
  idNumberSchema,
  maskIdNumber,
  sexFromId,
  type IdNumberError,
  type Sex,
} from '../../src/core/idcard'

const cn = (s: string) => new Date(`${s}+08:00`)
const TODAY = cn('2026-03-20T09:00')

describe('checkIdNumber — valid numbers', () => {
  it.each<[string, string, string, Sex]>([
    // given the number, then normalised value, birth date, sex
    ['11010519491231002X', '11010519491231002X', '1949-12-31', 'female'],
    ['11010519491231002x', '11010519491231002X', '1949-12-31', 'female'],
    ['  330102200801011238 ', '330102200801011238', '2008-01-01', 'male'],
    ['440304201202290064', '440304201202290064', '2012-02-29', 'female'],
    ['510107201506153217', '510107201506153217', '2015-06-15', 'male'],
    ['522623201003100026', '522623201003100026', '2010-03-10', 'female'],
    ['620102190001010010', '620102190001010010', '1900-01-01', 'male'],
    ['810000201001010027', '810000201001010027', '2010-01-01', 'female'],
  ])('given %j, when checked, then valid as %s, born %s, %s', (raw, value, birthDate, sex) => {
    expect(checkIdNumber(raw, TODAY)).toEqual({ ok: true, value, birthDate, sex })
  })
})

describe('checkIdNumber — invalid numbers, one reason each', () => {
  it.each<[string, string, IdNumberError]>([
    ['17 characters', '33010220080101123', 'length'],
    ['19 characters', '3301022008010112380', 'length'],
    ['an old 15-digit number', '330102080101123', 'length'],
    ['empty', '', 'length'],
    ['a letter inside', '3301022008O1011238', 'format'],
    ['X not at the end', '33010220080101X238', 'format'],
    ['inner spaces', '330102 20080101123', 'format'],
    ['full-width digits', '３３０１０２２００８０１０１１２３８', 'format'],
    ['province 99', '990102200801010019', 'region'],
    ['province 00', '000102200801010010', 'region'],
    ['29 Feb in a common year (2023)', '330102202302290016', 'birth_date'],
    ['month 13', '330102200813011238', 'birth_date'],
    ['day 00', '330102200801001238', 'birth_date'],
    ['31 April', '330102200804311238', 'birth_date'],
    ['born in 1899', '110105189912310015', 'birth_date'],
    ['born in 2027, after today', '110105202701010016', 'future_birth_date'],
    ['wrong check digit (1234 instead of 1238)', '330102200801011234', 'checksum'],
    ['the standard example with 0 for X', '110105194912310020', 'checksum'],
    ['two digits swapped', '330102200801011328', 'checksum'],
  ])('given %s (%j), when checked, then refused for %s', (_name, raw, error) => {
    expect(checkIdNumber(raw, TODAY)).toEqual({ ok: false, error })
  })

  it.each<[string, Date, boolean]>([
    [
      '00:30 on the birth day, China time (UTC still the day before)',
      new Date('2026-03-19T16:30:00Z'),
      true,
    ],
    ['23:59 the evening before, China time', cn('2026-03-19T23:59'), false],
  ])('given a child born 2026-03-20 checked at %s, then valid is %s', (_name, today, ok) => {
    expect(checkIdNumber('330102202603200010', today)).toEqual(
      ok
        ? { ok: true, value: '330102202603200010', birthDate: '2026-03-20', sex: 'male' }
        : { ok: false, error: 'future_birth_date' },
    )
  })

  it('given no today, then a future birth date is not refused (nothing to compare with)', () => {
    expect(checkIdNumber('110105202701010016').ok).toBe(true)
  })
})

describe('idCheckChar (ISO 7064 MOD 11-2)', () => {
  it.each([
    ['11010519491231002', 'X'],
    ['33010220080101123', '8'],
    ['62010219000101001', '0'],
    ['11010120280229001', '5'],
  ])('given the first 17 digits %s, then the check character is %s', (first17, check) => {
    expect(idCheckChar(first17)).toBe(check)
  })
})

describe('IdNumberSchema', () => {
  it.each<[string, unknown, string | true]>([
    ['a valid number with lowercase x', '11010519491231002x', true],
    ['17 digits', '33010220080101123', '身份证号码应为18位'],
    ['29 Feb 2023', '330102202302290016', '出生日期无效'],
    ['a wrong check digit', '330102200801011234', '校验位不正确'],
    ['an unknown province', '990102200801010019', '身份证号码的地区代码无效'],
    ['a number, not a string', 11010519491231, '请输入身份证号码'],
    ['nothing', undefined, '请输入身份证号码'],
  ])('given %s, when parsed, then %s', (_name, input, expected) => {
    const result = IdNumberSchema.safeParse(input)
    if (expected === true) {
      expect(result.success).toBe(true)
    } else {
      expect(result.success).toBe(false)
      expect(result.error?.issues).toHaveLength(1)
      expect(result.error?.issues[0]?.message).toBe(expected)
    }
  })

  it('given a lowercase x and spaces, when parsed, then the stored value is normalised', () => {
    expect(IdNumberSchema.parse(' 11010519491231002x ')).toBe('11010519491231002X')
  })

  it('given a clock, when a birth date after today is parsed, then refused in Chinese', () => {
    const result = idNumberSchema(TODAY).safeParse('110105202701010016')
    expect(result.error?.issues[0]?.message).toBe('出生日期不能晚于今天')
    // the constant schema has no clock and lets it through; the handler re-checks with one
    expect(IdNumberSchema.safeParse('110105202701010016').success).toBe(true)
  })

  it('every refusal has a Chinese message', () => {
    for (const message of Object.values(ID_NUMBER_MESSAGES))
      expect(message).toMatch(/[\u4e00-\u9fa5]/)
  })
})

describe('birthDateFromId / sexFromId', () => {
  it.each<[string, string | null, Sex | null]>([
    ['11010519491231002X', '1949-12-31', 'female'],
    ['330102200801011238', '2008-01-01', 'male'],
    ['110101202802290015', '2028-02-29', 'male'],
    ['330102200801011234', null, null],
    ['330102202302290016', null, null],
    ['not an id', null, null],
  ])('given %s, then born %s, sex %s', (id, birthDate, sex) => {
    expect(birthDateFromId(id)).toBe(birthDate)
    expect(sexFromId(id)).toBe(sex)
  })
})

describe('maskIdNumber', () => {
  it.each([
    ['330102200801011234', '3301**********1234'],
    ['11010519491231002x', '1101**********002X'],
    [' 330102200801011238 ', '3301**********1238'],
    // a 15-digit old number keeps the same 4 + 4
    ['330102080101123', '3301*******1123'],
    // too short to be an ID number: nothing shown
    ['12345678', '********'],
    ['12345678901', '***********'],
    ['', ''],
  ])('given %j, when masked, then %j', (id, masked) => {
    expect(maskIdNumber(id)).toBe(masked)
  })

  it('given any 18-character number, then its birth date digits are hidden', () => {
    expect(maskIdNumber('330102200801011238')).not.toContain('20080101')
  })
})
