// Production build overrides (the default for `taro build`): minified; the only weapp build fit for a phone.
import type { UserConfigExport } from '@tarojs/cli'

export default {
  mini: {},
  h5: {},
} satisfies UserConfigExport<'webpack5'>
