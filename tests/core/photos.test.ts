// Photo rules: where a photo may be, what counts as one, and that the storage rules say the same.
import fs from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { ContactsLogInput } from '../../src/core/contacts'
import {
  isOwnPhotoFileId,
  PHOTO_EXTENSIONS,
  PHOTO_MAX_BYTES,
  PHOTO_TYPES,
  photoCloudPath,
  photoTypeOf,
  photoTypeOfPath,
} from '../../src/core/photos'

const NAME = 'AbCdEfGhIjKlMnOpQrSt_-12'
const ID = (p: string) => `cloud://env-1.bucket-1/${p}`

describe('isOwnPhotoFileId', () => {
  it.each<[string, string, boolean]>([
    ['the caller’s own photo', ID(`contact-photos/u1/${NAME}.jpg`), true],
    ['a webp', ID(`contact-photos/u1/${NAME}.webp`), true],
    ['another user’s folder', ID(`contact-photos/u2/${NAME}.jpg`), false],
    ['another environment', `cloud://env-2.bucket-1/contact-photos/u1/${NAME}.jpg`, false],
    ['another folder', ID(`qrcodes/u1/${NAME}.png`), false],
    ['a subfolder', ID(`contact-photos/u1/x/${NAME}.png`), false],
    ['a short name', ID('contact-photos/u1/abc.png'), false],
    ['a pdf', ID(`contact-photos/u1/${NAME}.pdf`), false],
    ['not a file id', `https://example.com/contact-photos/u1/${NAME}.jpg`, false],
  ])('%s', (_name, fileID, ok) => {
    expect(isOwnPhotoFileId(fileID, 'env-1', 'u1')).toBe(ok)
  })

  it('accepts what photoCloudPath makes', () => {
    expect(isOwnPhotoFileId(ID(photoCloudPath('u1', NAME, 'image/png')), 'env-1', 'u1')).toBe(true)
    expect(() => photoCloudPath('u1', 'short', 'image/png')).toThrow()
  })
})

describe('photoTypeOf', () => {
  it('knows jpeg, png and webp by their first bytes, and nothing else', () => {
    expect(photoTypeOf(new Uint8Array([0xff, 0xd8, 0xff, 0xe1]))).toBe('image/jpeg')
    expect(photoTypeOf(new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0]))).toBe(
      'image/png',
    )
    expect(photoTypeOf(new TextEncoder().encode('RIFF\0\0\0\0WEBPVP8 '))).toBe('image/webp')
    expect(photoTypeOf(new TextEncoder().encode('GIF89a'))).toBeNull()
    expect(photoTypeOf(new TextEncoder().encode('%PDF-1.7'))).toBeNull()
    expect(photoTypeOfPath('a/b.JPEG')).toBe('image/jpeg')
    expect(photoTypeOfPath('a/b.gif')).toBeNull()
  })
})

describe('the log input’s photos', () => {
  const base = {
    childId: 'c1',
    duty: 'home_visit',
    occurredAt: '2026-03-09T19:30:00+08:00',
    mode: 'in_person',
    learned: { mood: '开心' },
  }
  it('defaults to none, takes up to four distinct file ids', () => {
    expect(ContactsLogInput.parse(base).photos).toEqual([])
    const four = [1, 2, 3, 4].map((n) => ID(`contact-photos/u1/${NAME}${n}.jpg`))
    expect(ContactsLogInput.parse({ ...base, photos: four }).photos).toEqual(four)
    const five = ContactsLogInput.safeParse({ ...base, photos: [...four, ID('x.jpg')] })
    expect(five.error?.issues[0]?.message).toBe('最多添加4张照片')
    const twice = ContactsLogInput.safeParse({ ...base, photos: [four[0], four[0]] })
    expect(twice.error?.issues[0]?.message).toBe('同一张照片添加了两次')
    const url = ContactsLogInput.safeParse({ ...base, photos: ['https://x/y.jpg'] })
    expect(url.error?.issues[0]?.path).toEqual(['photos', 0])
  })
})

describe('database/storage-rules.json', () => {
  it('allows exactly what the app uploads: the same folder, names, types and size', () => {
    const file = path.join(__dirname, '..', '..', 'database', 'storage-rules.json')
    const rules = JSON.parse(fs.readFileSync(file, 'utf8')) as {
      clientWrite: Array<{ path: string; maxBytes: number; contentTypes: string[] }>
    }
    expect(rules.clientWrite).toHaveLength(1)
    const rule = rules.clientWrite[0]
    expect(rule?.maxBytes).toBe(PHOTO_MAX_BYTES)
    expect(rule?.contentTypes).toEqual([...PHOTO_TYPES])
    const re = new RegExp((rule?.path ?? '').split('{openid}').join('u1'))
    for (const t of PHOTO_TYPES) expect(re.test(photoCloudPath('u1', NAME, t))).toBe(true)
    expect(re.test(photoCloudPath('u2', NAME, 'image/png'))).toBe(false)
    expect(Object.values(PHOTO_EXTENSIONS)).toEqual(['jpg', 'png', 'webp'])
  })
})
