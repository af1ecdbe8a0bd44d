// The emulator's openapi service, driven by the real wx-server-sdk over HTTP as cloud functions drive it.

import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { PNG } from 'pngjs'
import jsQR from 'jsqr'
import * as z from 'zod'
import { startHarness, rejection, PUBLIC_URL, type Harness } from './openapi-harness'
import { checkKeyword } from '../../emulator/src/openapi/apis/subscribe-rules'
import {
  decodeCommApiData,
  encodeCommApiData,
  encodeCommOpenApiResp,
  parseMultipart,
} from '../../emulator/src/openapi/wire'
import { createOpenApiService } from '../../emulator/src/openapi'
import { EmulatorClock } from '../../emulator/src/clock'

const TEMPLATE = 'tmpl-visit-reminder'
const OTHER_TEMPLATE = 'tmpl-other'
const templates = {
  [TEMPLATE]: {
    title: '走访提醒',
    fields: { thing1: '走访对象', time2: '走访时间', phrase3: '状态' },
  },
  [OTHER_TEMPLATE]: { fields: { thing1: '事项' } },
}
const USER = 'oUser_0000000000000000000001'
const SENDER = {
  functionName: 'api',
  openapiPermissions: ['subscribeMessage.send', 'wxacode.getUnlimited'],
}

const sendOk = z.object({
  errCode: z.literal(0),
  errMsg: z.literal('openapi.subscribeMessage.send:ok'),
})
const qrResult = z.object({
  errCode: z.literal(0),
  errMsg: z.literal('openapi.wxacode.getUnlimited:ok'),
  contentType: z.string(),
  buffer: z.instanceof(Buffer),
})

const goodData = {
  thing1: { value: '王小明（三年级）' },
  time2: { value: '2026年3月1日 15:00' },
  phrase3: { value: '待走访' },
}

let h: Harness

beforeAll(async () => {
  h = await startHarness({ templates })
})
afterAll(async () => {
  await h.close()
})
beforeEach(() => {
  h.service().reset()
  h.callAs(SENDER)
})

/** Reads the QR code in a PNG back to its text, as a phone camera would. */
function decodeQr(png: Buffer): { text: string; width: number; height: number } {
  const img = PNG.sync.read(png)
  const code = jsQR(new Uint8ClampedArray(img.data), img.width, img.height)
  if (!code) throw new Error('no QR code found in the image')
  return { text: code.data, width: img.width, height: img.height }
}

describe('subscribeMessage.send', () => {
  it('records a message and spends the one-time quota', async () => {
    h.service().grant(USER, TEMPLATE)
    expect(h.service().quota(USER, TEMPLATE)).toBe(1)
    h.clock.set(new Date('2026-03-01T01:00:00.000Z'))

    const res = await h.sdk.openapi.subscribeMessage.send({
      touser: USER,
      templateId: TEMPLATE,
      page: 'pages/visit/index?id=7',
      data: goodData,
      miniprogramState: 'developer',
      lang: 'zh_CN',
    })
    h.clock.reset()

    expect(sendOk.parse(res)).toEqual({ errCode: 0, errMsg: 'openapi.subscribeMessage.send:ok' })
    expect(h.service().quota(USER, TEMPLATE)).toBe(0)
    const [msg, ...rest] = h.service().messages({ touser: USER })
    expect(rest).toEqual([])
    expect(msg).toMatchObject({
      touser: USER,
      templateId: TEMPLATE,
      page: 'pages/visit/index?id=7',
      data: goodData,
      miniprogramState: 'developer',
      lang: 'zh_CN',
    })
    // Stamped by the emulator clock, not the wall clock.
    expect(msg?.sentAt.slice(0, 16)).toBe('2026-03-01T01:00')
    expect(msg?.id).toMatch(/\S/)
  })

  it('refuses a send without quota with 43101, as the SDK surfaces it', async () => {
    h.service().grant(USER, TEMPLATE)
    await h.sdk.openapi.subscribeMessage.send({
      touser: USER,
      templateId: TEMPLATE,
      data: goodData,
    })

    const err = await rejection(
      h.sdk.openapi.subscribeMessage.send({ touser: USER, templateId: TEMPLATE, data: goodData }),
    )
    expect(err.errCode).toBe(43101)
    expect(err.errMsg).toMatch(
      /^openapi\.subscribeMessage\.send:fail user refuse to accept the msg rid: [0-9a-f]{8}-[0-9a-f]{8}-[0-9a-f]{8}$/,
    )
    expect(err.message).toContain('errCode: 43101')
    expect(h.service().messages()).toHaveLength(1)
  })

  it('accumulates quota: each acceptance allows exactly one message, per template', async () => {
    h.service().grant(USER, TEMPLATE, 2)
    h.service().grant(USER, OTHER_TEMPLATE)
    await h.sdk.openapi.subscribeMessage.send({
      touser: USER,
      templateId: TEMPLATE,
      data: goodData,
    })
    await h.sdk.openapi.subscribeMessage.send({
      touser: USER,
      templateId: TEMPLATE,
      data: goodData,
    })
    expect(
      (
        await rejection(
          h.sdk.openapi.subscribeMessage.send({
            touser: USER,
            templateId: TEMPLATE,
            data: goodData,
          }),
        )
      ).errCode,
    ).toBe(43101)
    expect(h.service().quota(USER, OTHER_TEMPLATE)).toBe(1)
    expect(h.service().messages({ templateId: TEMPLATE })).toHaveLength(2)
  })

  it.each([
    [
      'thing longer than 20 characters',
      { thing1: { value: '一二三四五六七八九十一二三四五六七八九十一' } },
      'thing1',
      'invalid',
    ],
    [
      'phrase longer than 5 characters',
      { phrase3: { value: '正在走访中途' } },
      'phrase3',
      'invalid',
    ],
    ['phrase that is not Chinese', { phrase3: { value: 'done' } }, 'phrase3', 'invalid'],
    ['time with a full-width range sign', { time2: { value: '15:00～16:00' } }, 'time2', 'invalid'],
    ['empty value', { thing1: { value: '' } }, 'thing1', 'is empty'],
  ])('refuses a %s with 47003 and keeps the quota', async (_label, patch, key, wording) => {
    h.service().grant(USER, TEMPLATE)
    const err = await rejection(
      h.sdk.openapi.subscribeMessage.send({
        touser: USER,
        templateId: TEMPLATE,
        data: { ...goodData, ...patch },
      }),
    )
    expect(err.errCode).toBe(47003)
    expect(err.errMsg).toContain(`argument invalid! data.${key}.value ${wording}`)
    expect(h.service().quota(USER, TEMPLATE)).toBe(1)
    expect(h.service().messages()).toEqual([])
  })

  it('refuses keywords the template does not have, and missing ones, with 47003', async () => {
    h.service().grant(USER, TEMPLATE)
    const extra = await rejection(
      h.sdk.openapi.subscribeMessage.send({
        touser: USER,
        templateId: TEMPLATE,
        data: { ...goodData, thing9: { value: '多余' } },
      }),
    )
    expect(extra.errCode).toBe(47003)
    expect(extra.errMsg).toContain('data.thing9')
    const missing = await rejection(
      h.sdk.openapi.subscribeMessage.send({
        touser: USER,
        templateId: TEMPLATE,
        data: { thing1: goodData.thing1, time2: goodData.time2 },
      }),
    )
    expect(missing.errCode).toBe(47003)
    expect(missing.errMsg).toContain('data.phrase3.value is empty')
  })

  it('refuses an unknown template id with 40037', async () => {
    h.service().grant(USER, 'tmpl-nope')
    const err = await rejection(
      h.sdk.openapi.subscribeMessage.send({
        touser: USER,
        templateId: 'tmpl-nope',
        data: goodData,
      }),
    )
    expect(err.errCode).toBe(40037)
    expect(err.errMsg).toContain('invalid template_id')
    expect(h.service().quota(USER, 'tmpl-nope')).toBe(1)
  })

  it('refuses an empty or malformed touser with 40003', async () => {
    for (const touser of ['', 'not an openid!']) {
      const err = await rejection(
        h.sdk.openapi.subscribeMessage.send({ touser, templateId: TEMPLATE, data: goodData }),
      )
      expect(err.errCode).toBe(40003)
      expect(err.errMsg).toContain('invalid openid')
    }
    const missing = await rejection(
      h.sdk.openapi.subscribeMessage.send({ templateId: TEMPLATE, data: goodData }),
    )
    expect(missing.errCode).toBe(40003)
  })

  it('refuses a malformed miniprogramState with 47001', async () => {
    h.service().grant(USER, TEMPLATE)
    const err = await rejection(
      h.sdk.openapi.subscribeMessage.send({
        touser: USER,
        templateId: TEMPLATE,
        data: goodData,
        miniprogramState: 'production',
      }),
    )
    expect(err.errCode).toBe(47001)
  })
})

describe('permissions', () => {
  it('answers -604101 to a function whose config.json lacks the api', async () => {
    h.service().grant(USER, TEMPLATE)
    h.callAs({ functionName: 'reminders', openapiPermissions: ['wxacode.getUnlimited'] })
    const err = await rejection(
      h.sdk.openapi.subscribeMessage.send({ touser: USER, templateId: TEMPLATE, data: goodData }),
    )
    expect(err.errCode).toBe(-604101)
    // The exact text production shows: the SDK builds it from CommOpenApiResp.errorCode.
    expect(err.message).toBe(
      'errCode: -604101 function has no permission to call this API | errMsg: system error: error code: -604101',
    )
    expect(h.service().quota(USER, TEMPLATE)).toBe(1)
  })

  it('answers -604104 when the call does not come from a function', async () => {
    h.callAs({ functionName: null, openapiPermissions: [] })
    const err = await rejection(h.sdk.openapi.wxacode.getUnlimited({ scene: 'a=1' }))
    expect(err.errCode).toBe(-604104)
  })

  it('answers -604100 for a permitted api the emulator does not implement', async () => {
    h.callAs({ functionName: 'api', openapiPermissions: ['security.msgSecCheck'] })
    const err = await rejection(h.sdk.openapi.security.msgSecCheck({ content: 'hello' }))
    expect(err.errCode).toBe(-604100)
  })
})

describe('wxacode.getUnlimited', () => {
  it('returns a PNG QR code that opens the h5 page with the scene', async () => {
    const res = qrResult.parse(
      await h.sdk.openapi.wxacode.getUnlimited({ scene: 'c=42&v=x_1', page: 'pages/child/index' }),
    )
    expect(res.contentType).toBe('image/png')
    expect(res.buffer.subarray(1, 4).toString('latin1')).toBe('PNG')
    const qr = decodeQr(res.buffer)
    expect(qr.text).toBe(`${PUBLIC_URL}/#/pages/child/index?scene=c%3D42%26v%3Dx_1`)
    const url = new URL(qr.text.replace('/#/', '/'))
    expect(url.searchParams.get('scene')).toBe('c=42&v=x_1')
    // Default width 430 px.
    expect(Math.abs(qr.width - 430)).toBeLessThanOrEqual(1)
  })

  it('defaults the page and honours width within 280..1280, colour and transparency', async () => {
    const small = qrResult.parse(
      await h.sdk.openapi.wxacode.getUnlimited({ scene: 'x', width: 100 }),
    )
    const smallQr = decodeQr(small.buffer)
    expect(smallQr.text).toBe(`${PUBLIC_URL}/#/pages/index/index?scene=x`)
    expect(Math.abs(smallQr.width - 280)).toBeLessThanOrEqual(1)

    const big = qrResult.parse(
      await h.sdk.openapi.wxacode.getUnlimited({ scene: 'x', width: 5000 }),
    )
    expect(Math.abs(decodeQr(big.buffer).width - 1280)).toBeLessThanOrEqual(1)

    const styled = qrResult.parse(
      await h.sdk.openapi.wxacode.getUnlimited({
        scene: 'x',
        lineColor: { r: 0, g: 0, b: 128 },
        isHyaline: true,
      }),
    )
    const img = PNG.sync.read(styled.buffer)
    // The corner pixel is background: transparent when is_hyaline.
    expect(img.data[3]).toBe(0)
    const pixels = Array.from({ length: img.width * img.height }, (_, i) => i * 4)
    expect(
      pixels.some((i) => img.data[i] === 0 && img.data[i + 2] === 128 && img.data[i + 3] === 255),
    ).toBe(true)
    expect(decodeQr(styled.buffer).text).toBe(`${PUBLIC_URL}/#/pages/index/index?scene=x`)
  })

  it('refuses a scene over 32 characters, or with characters outside the documented set, with 40169', async () => {
    const scene32 = 'a'.repeat(32)
    qrResult.parse(await h.sdk.openapi.wxacode.getUnlimited({ scene: scene32 }))
    for (const scene of ['a'.repeat(33), '中文', 'a%20b', '']) {
      const err = await rejection(h.sdk.openapi.wxacode.getUnlimited({ scene }))
      expect(err.errCode).toBe(40169)
      expect(err.errMsg).toContain('invalid length for scene')
    }
  })

  it('refuses a page with a leading slash or a query with 41030', async () => {
    for (const page of ['/pages/index/index', 'pages/index/index?x=1']) {
      const err = await rejection(h.sdk.openapi.wxacode.getUnlimited({ scene: 'x', page }))
      expect(err.errCode).toBe(41030)
    }
  })
})

describe('persistence', () => {
  it('keeps messages and quotas across a restart, and reset clears them', async () => {
    h.service().grant(USER, TEMPLATE, 2)
    await h.sdk.openapi.subscribeMessage.send({
      touser: USER,
      templateId: TEMPLATE,
      data: goodData,
    })
    h.restart()
    expect(h.service().messages()).toHaveLength(1)
    expect(h.service().messages()[0]?.data).toEqual(goodData)
    expect(h.service().quota(USER, TEMPLATE)).toBe(1)
    // The restarted service keeps answering the SDK.
    await h.sdk.openapi.subscribeMessage.send({
      touser: USER,
      templateId: TEMPLATE,
      data: goodData,
    })
    expect(h.service().messages()).toHaveLength(2)
    h.service().reset()
    expect(h.service().messages()).toEqual([])
    expect(h.service().quota(USER, TEMPLATE)).toBe(0)
  })
})

describe('wire', () => {
  it('matches what wx-server-sdk 4.0.2 sends: multipart wx.openApi with snake_case JSON pairs', async () => {
    h.service().grant(USER, TEMPLATE)
    const before = h.requests.length
    await h.sdk.openapi.subscribeMessage.send({
      touser: USER,
      templateId: TEMPLATE,
      miniprogramState: 'trial',
      data: goodData,
    })
    const req = h.requests[before]
    if (!req) throw new Error('no request captured')
    expect(h.requests).toHaveLength(before + 1)
    expect(req.url).toMatch(/^\/admin\?env=test-env/)
    const form = parseMultipart(req.body, req.contentType)
    if (!form) throw new Error('not multipart')
    expect(form.get('action')?.data.toString()).toBe('wx.openApi')
    expect(form.get('apiName')?.data.toString()).toBe('subscribeMessage.send')
    expect(form.get('envName')?.data.toString()).toBe('test-env')
    expect(form.get('requestData')?.contentType).toBe('application/octet-stream')
    const data = decodeCommApiData(form.get('requestData')?.data ?? Buffer.alloc(0))
    expect(data.apiType).toBe(0)
    expect(
      Object.fromEntries(data.pairs.map((p) => [p.key, JSON.parse(p.value.toString())])),
    ).toEqual({
      touser: USER,
      template_id: TEMPLATE,
      miniprogram_state: 'trial',
      data: goodData,
    })
  })

  it('round-trips its own codec and answers malformed requests with a TCB error', async () => {
    const msg = {
      apiType: 0,
      appid: 'wx123',
      pairs: [
        { key: 'scene', value: Buffer.from('"a"') },
        { key: 'media', value: Buffer.from([1, 2]), contenttype: 'image/png', filename: 'x.png' },
      ],
    }
    expect(decodeCommApiData(encodeCommApiData(msg))).toEqual(msg)
    // Negative int32 is a 10-byte sign-extended varint; bytes as protobufjs (the SDK's codec) writes them.
    expect(encodeCommOpenApiResp({ errorCode: -604101 }).toString('hex')).toBe(
      '18bb90dbffffffffffff01',
    )

    const answer = await h
      .service()
      .handleHttp(
        { body: Buffer.from('{"action":"wx.openApi"}'), contentType: 'application/json' },
        { functionName: 'api', openapiPermissions: [] },
      )
    expect(answer.headers['content-type']).toBe('application/json; charset=utf-8')
    expect(JSON.parse(answer.body.toString())).toMatchObject({ code: 'INVALID_PARAM' })
  })
})

describe('keyword rules', () => {
  it.each([
    ['thing1', '张三的走访记录 #3', null],
    ['thing1', '一二三四五六七八九十一二三四五六七八九十', null],
    ['number1', '12.50', null],
    ['number1', '-1', 'invalid'],
    ['letter1', 'ABCdef', null],
    ['letter1', 'AB1', 'invalid'],
    ['symbol1', '!?#', null],
    ['symbol1', '!!!!!!', 'invalid'],
    ['character_string1', 'ORDER-2026_001', null],
    ['character_string1', '订单1', 'invalid'],
    ['time1', '15:01', null],
    ['time1', '2019年10月1日 15:01', null],
    ['time1', '2019-10-01 15:01~2019-10-01 16:00', null],
    ['time1', '25:01', 'invalid'],
    ['date1', '2019年10月1日', null],
    ['date1', '2019-10-01 15:01', null],
    ['date1', '2019-02-30', 'invalid'],
    ['date1', '15:01', 'invalid'],
    ['amount1', '¥100.50', null],
    ['amount1', '100元', null],
    ['amount1', '一百元', 'invalid'],
    ['phone_number1', '+86-0766-66888866', null],
    ['phone_number1', '+86-0766-668888661234', 'invalid'],
    ['car_number1', '粤A8Z888挂', null],
    ['car_number1', '粤A8中888挂', 'invalid'],
    ['name1', '欧阳娜娜', null],
    ['name1', 'John Smith', null],
    ['name1', '一二三四五六七八九十一', 'invalid'],
    ['phrase1', '配送中', null],
    ['phrase1', '   ', 'empty'],
    ['unknown1', 'x', 'invalid'],
  ])('%s = %j → %s', (key, value, expected) => {
    expect(checkKeyword(key, value)).toBe(expected)
  })

  it('rejects a template config with a keyword of no known type', () => {
    expect(() =>
      createOpenApiService({
        dataDir: '/nonexistent-never-created',
        clock: new EmulatorClock(),
        publicUrl: () => PUBLIC_URL,
        templates: { t: { fields: { foo1: 'x' } } },
      }),
    ).toThrow(/foo1/)
  })
})
