// Bundles each cloudfunctions/<fn>/index.ts into index.js as WeChat deploys it (wx-server-sdk stays external).
import { build } from 'esbuild'
import fs from 'node:fs'
import path from 'node:path'

export const FUNCTIONS_DIR = path.resolve(__dirname, '..', 'cloudfunctions')

export async function buildFunctions(opts: { minify?: boolean } = {}): Promise<string[]> {
  const names = fs
    .readdirSync(FUNCTIONS_DIR, { withFileTypes: true })
    .filter((d) => d.isDirectory() && fs.existsSync(path.join(FUNCTIONS_DIR, d.name, 'index.ts')))
    .map((d) => d.name)
  await Promise.all(
    names.map((name) =>
      build({
        entryPoints: [path.join(FUNCTIONS_DIR, name, 'index.ts')],
        outfile: path.join(FUNCTIONS_DIR, name, 'index.js'),
        bundle: true,
        platform: 'node',
        // WeChat Cloud offers Node 16 and later runtimes.
        target: 'node16',
        format: 'cjs',
        external: ['wx-server-sdk'],
        minify: opts.minify ?? false,
        legalComments: 'none',
        logLevel: 'warning',
      }),
    ),
  )
  return names
}

if (require.main === module) {
  buildFunctions()
    .then((names) => console.log(`built functions: ${names.join(', ')}`))
    .catch((err: unknown) => {
      console.error(err)
      process.exit(1)
    })
}
