// Package sizes of the production weapp build in dist/: prints main and subpackage sizes, fails over the limits.
// Usage: NODE_ENV=production npm run build:weapp && npm run size
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs'
import path from 'node:path'

/** The main package limit this project holds itself to (WeChat's hard limit is 2 MB). */
const MAIN_PACKAGE_LIMIT_KB = 1024
/** The guardian's independent confirm subpackage: opened straight from a scan, so kept small (issue 5). */
const CONFIRM_SUBPACKAGE_LIMIT_KB = 300
/** WeChat's limits: each subpackage ≤ 2 MB, the whole mini-program ≤ 20 MB. */
const SUBPACKAGE_LIMIT_KB = 2048
const TOTAL_LIMIT_KB = 20 * 1024

/** DevTools project files Taro copies into dist/; they are not part of the uploaded package. */
const NOT_UPLOADED = new Set(['project.config.json', 'project.private.config.json'])

interface SubpackageDecl {
  root: string
  independent?: boolean
}

interface PackageSize {
  name: string
  bytes: number
  files: { file: string; bytes: number }[]
}

function listFiles(dir: string, base = dir): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name)
    if (entry.isDirectory()) return listFiles(full, base)
    return [path.relative(base, full).split(path.sep).join('/')]
  })
}

function readSubpackages(appJsonPath: string): SubpackageDecl[] {
  const appJson = JSON.parse(readFileSync(appJsonPath, 'utf8')) as {
    subPackages?: SubpackageDecl[]
    subpackages?: SubpackageDecl[]
  }
  return (appJson.subPackages ?? appJson.subpackages ?? []).map((sub) => ({
    ...sub,
    root: sub.root.replace(/^\.?\//, '').replace(/\/?$/, '/'),
  }))
}

function measure(distDir: string): { main: PackageSize; subpackages: PackageSize[] } {
  const subs = readSubpackages(path.join(distDir, 'app.json'))
  const main: PackageSize = { name: 'main', bytes: 0, files: [] }
  const subpackages: PackageSize[] = subs.map((sub) => ({
    name: sub.independent ? `${sub.root} (independent)` : sub.root,
    bytes: 0,
    files: [],
  }))

  for (const file of listFiles(distDir)) {
    if (NOT_UPLOADED.has(file)) continue
    const bytes = statSync(path.join(distDir, file)).size
    const index = subs.findIndex((sub) => file.startsWith(sub.root))
    const pkg = index === -1 ? main : subpackages[index]!
    pkg.bytes += bytes
    pkg.files.push({ file, bytes })
  }
  return { main, subpackages }
}

const kb = (bytes: number): string => (bytes / 1024).toFixed(1)

function main(): void {
  const distDir = path.resolve(process.cwd(), 'dist')
  if (!existsSync(path.join(distDir, 'app.json'))) {
    console.error('dist/app.json not found: run `NODE_ENV=production npm run build:weapp` first.')
    process.exit(1)
  }

  const { main: mainPkg, subpackages } = measure(distDir)
  const total = mainPkg.bytes + subpackages.reduce((sum, sub) => sum + sub.bytes, 0)
  const failures: string[] = []

  console.log(`main package: ${kb(mainPkg.bytes)} KB (limit ${MAIN_PACKAGE_LIMIT_KB} KB)`)
  for (const { file, bytes } of [...mainPkg.files].sort((a, b) => b.bytes - a.bytes).slice(0, 5)) {
    console.log(`  ${kb(bytes).padStart(8)} KB  ${file}`)
  }
  if (mainPkg.bytes > MAIN_PACKAGE_LIMIT_KB * 1024)
    failures.push(`main package over ${MAIN_PACKAGE_LIMIT_KB} KB`)

  for (const sub of subpackages) {
    const limit = sub.name.startsWith('confirm/')
      ? CONFIRM_SUBPACKAGE_LIMIT_KB
      : SUBPACKAGE_LIMIT_KB
    console.log(`subpackage ${sub.name}: ${kb(sub.bytes)} KB (limit ${limit} KB)`)
    if (sub.bytes > limit * 1024) failures.push(`subpackage ${sub.name} over ${limit} KB`)
  }
  if (subpackages.length === 0) console.log('subpackages: none')

  console.log(`total: ${kb(total)} KB (limit ${TOTAL_LIMIT_KB} KB)`)
  if (total > TOTAL_LIMIT_KB * 1024) failures.push(`total over ${TOTAL_LIMIT_KB} KB`)

  if (failures.length > 0) {
    console.error(`size check FAILED: ${failures.join('; ')}`)
    process.exit(1)
  }
  console.log('size check passed')
}

main()
