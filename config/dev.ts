// Development build overrides (`NODE_ENV=development`): unminified, verbose. Never uploaded to a phone.
import type { UserConfigExport } from '@tarojs/cli'

export default {
  logger: { quiet: false, stats: true },
  mini: {},
  h5: {},
} satisfies UserConfigExport<'webpack5'>
