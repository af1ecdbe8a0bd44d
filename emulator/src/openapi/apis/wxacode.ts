// `wxacode.getUnlimited`: a real, scannable PNG QR code standing in for the mini-program code.
//
// A mini-program code opens the mini-program; locally there is only the h5 build, so the code encodes
// the h5 URL of the page with the scene in the query (`<publicUrl>/#/<page>?scene=<scene>`): a phone
// camera or a browser test can follow it the way WeChat would launch the page with `options.scene`.

import QRCode from 'qrcode'
import * as z from 'zod'
import { defineApi, WxApiError, type RegisteredApi } from '../registry'

// Documented limits: width 280..1280 px (430 by default); scene at most 32 visible characters from
// digits, letters and !#$&'()*+,/:;=?@-._~ (no %, so Chinese cannot be url-encoded into it).
export const WIDTH_MIN = 280
export const WIDTH_MAX = 1280
export const WIDTH_DEFAULT = 430
const SCENE = /^[0-9A-Za-z!#$&'()*+,/:;=?@\-._~]{1,32}$/
export const DEFAULT_PAGE = 'pages/index/index'

const invalidScene = () =>
  new WxApiError(40169, 'invalid length for scene, or the data is not json string')
const invalidPage = () => new WxApiError(41030, 'invalid page')
const invalidArgs = () => new WxApiError(40097, 'invalid args')

// JSON numbers may arrive as strings ("430") from hand-built calls; WeChat reads both.
const numeric = z.union([
  z.number(),
  z
    .string()
    .regex(/^-?\d+(\.\d+)?$/)
    .transform(Number),
])
const channel = numeric.pipe(z.number().int().min(0).max(255))

const getUnlimitedArgs = z.object({
  scene: z.string().optional(),
  page: z.string().optional(),
  check_path: z.boolean().optional(),
  env_version: z.enum(['release', 'trial', 'develop']).optional(),
  width: numeric.optional(),
  auto_color: z.boolean().optional(),
  line_color: z.object({ r: channel, g: channel, b: channel }).optional(),
  is_hyaline: z.boolean().optional(),
})

const hex = (n: number): string => n.toString(16).padStart(2, '0')

/** The URL the emulated code carries; exported so tests and the gateway agree on one format. */
export function wxacodeUrl(publicUrl: string, page: string, scene: string): string {
  return `${publicUrl.replace(/\/+$/, '')}/#/${page}?scene=${encodeURIComponent(scene)}`
}

export function wxacodeApis(deps: { publicUrl: () => string }): RegisteredApi[] {
  const getUnlimited = defineApi({
    name: 'wxacode.getUnlimited',
    args: getUnlimitedArgs,
    invalid: (issues) => {
      const field = issues[0]?.path[0]
      if (field === 'scene') return invalidScene()
      if (field === 'page') return invalidPage()
      return invalidArgs()
    },
    async run(args) {
      const scene = args.scene ?? ''
      if (!SCENE.test(scene)) throw invalidScene()
      const page = args.page === undefined || args.page === '' ? DEFAULT_PAGE : args.page
      // A page is a path as in app.json: no leading slash, no query (parameters go in the scene).
      // Such a path can exist in no mini-program, so it is refused whatever check_path says.
      if (!/^[\w-]+(\/[\w-]+)*$/.test(page)) throw invalidPage()
      // WeChat clamps rather than refuses an out-of-range width.
      const width = Math.round(
        Math.min(WIDTH_MAX, Math.max(WIDTH_MIN, args.width ?? WIDTH_DEFAULT)),
      )
      const lc = args.auto_color ? undefined : args.line_color
      const dark = lc ? `#${hex(lc.r)}${hex(lc.g)}${hex(lc.b)}ff` : '#000000ff'
      const png = await QRCode.toBuffer(wxacodeUrl(deps.publicUrl(), page, scene), {
        type: 'png',
        width,
        margin: 2,
        errorCorrectionLevel: 'M',
        color: { dark, light: args.is_hyaline ? '#ffffff00' : '#ffffffff' },
      })
      return { kind: 'buffer', contentType: 'image/png', data: png }
    },
  })
  return [getUnlimited]
}
