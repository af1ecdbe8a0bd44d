// Babel for Taro (see docs/ARCHITECTURE "Verified toolchain"): React + TypeScript on the webpack5 runner.
module.exports = {
  presets: [['taro', { framework: 'react', ts: true, compiler: 'webpack5' }]],
}
