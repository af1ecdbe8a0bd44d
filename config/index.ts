// Taro build configuration shared by the weapp (the product) and h5 (local mode) targets.
import { createRequire } from 'node:module'
import path from 'node:path'
import { defineConfig, type UserConfigExport } from '@tarojs/cli'
import devConfig from './dev'
import prodConfig from './prod'

// html-webpack-plugin is Taro's own dependency (not ours): load the copy its webpack5 runner uses.
const requireFromRunner = createRequire(
  createRequire(__filename).resolve('@tarojs/webpack5-runner'),
)
const HtmlWebpackPlugin = requireFromRunner(
  'html-webpack-plugin',
) as typeof import('html-webpack-plugin')

/** 750 keeps rpx 1:1 with design pixels; 32 design px is 16 CSS px on a 375-wide phone. */
const DESIGN_WIDTH = 750

/** Where each target's build goes: both live in the repo root, so they must not share a folder. */
const OUTPUT_ROOT = { weapp: 'dist', h5: 'dist-h5' } as const

export default defineConfig<'webpack5'>(async (merge) => {
  const taroEnv = process.env.TARO_ENV === 'h5' ? 'h5' : 'weapp'
  const isH5 = taroEnv === 'h5'

  const baseConfig: UserConfigExport<'webpack5'> = {
    projectName: 'shouhu',
    date: '2025-11-29',
    designWidth: DESIGN_WIDTH,
    // WeChat templates cannot recurse, so Taro unrolls one template per component per nesting level;
    // 8 levels (Taro's default is 16) shrinks base.wxml by a third, which every package carries —
    // including the guardian's independent confirm subpackage. Deeper trees continue through `comp`.
    baseLevel: 8,
    deviceRatio: {
      640: 2.34 / 2,
      750: 1,
      375: 2,
      828: 1.81 / 2,
    },
    sourceRoot: 'src',
    outputRoot: OUTPUT_ROOT[taroEnv],
    plugins: [],
    defineConstants: {
      // The WeChat Cloud environment id; empty means the mini-program's default environment.
      SHOUHU_CLOUD_ENV: JSON.stringify(process.env.SHOUHU_CLOUD_ENV ?? ''),
      // The h5 build is always local mode (demo sign-in, the emulator gateway); weapp never is.
      SHOUHU_LOCAL_MODE: JSON.stringify(isH5),
    },
    alias: {
      '@': path.resolve(__dirname, '..', 'src'),
    },
    copy: { patterns: [], options: {} },
    framework: 'react',
    compiler: 'webpack5',
    cache: { enable: false },
    mini: {
      postcss: {
        pxtransform: { enable: true, config: {} },
      },
    },
    h5: {
      // Relative asset paths + hash router: the build works from any static server or sub-folder.
      publicPath: './',
      staticDirectory: 'static',
      router: { mode: 'hash' },
      output: {
        filename: 'js/[name].[contenthash:8].js',
        chunkFilename: 'js/[name].[contenthash:8].js',
      },
      miniCssExtractPluginOption: {
        ignoreOrder: true,
        filename: 'css/[name].[contenthash:8].css',
        chunkFilename: 'css/[name].[contenthash:8].css',
      },
      postcss: {
        autoprefixer: { enable: true, config: {} },
      },
      webpackChain(chain) {
        // A local tool served from disk: webpack's web-performance size hints are noise here.
        chain.performance.hints(false)
        // Taro only emits index.html when src/index.html exists; the template lives here instead,
        // with the same root-font-size script Taro would inject for rem-based pxtransform.
        chain.plugin('htmlWebpackPlugin').use(HtmlWebpackPlugin, [
          {
            filename: 'index.html',
            template: path.resolve(__dirname, 'h5', 'index.html'),
            script: remRootScript(DESIGN_WIDTH),
          },
        ])
      },
    },
  }

  if (process.env.NODE_ENV === 'development') {
    return merge({}, baseConfig, devConfig)
  }
  return merge({}, baseConfig, prodConfig)
})

/**
 * Taro's h5 pxtransform turns design px into rem with a root size of 40px per 750 design px
 * (baseFontSize 20, deviceRatio[750] = 1); this script sets the root size from the viewport,
 * clamped to Taro's defaults (20px..40px), exactly as Taro's own html plugin does.
 */
function remRootScript(designWidth: number): string {
  const rootValue = 40
  const min = 20
  const max = 40
  return `!function(n){function f(){var e=n.document.documentElement,r=e.getBoundingClientRect(),w=Math.min.apply(Math,[r.width,r.height].filter(Boolean)),x=${rootValue}*w/${designWidth};e.style.fontSize=x>=${max}?"${max}px":x<=${min}?"${min}px":x+"px"}n.addEventListener("resize",function(){f();setTimeout(f,500)}),f()}(window);`
}
