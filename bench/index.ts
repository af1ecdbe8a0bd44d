// `npm run bench`: runs every benchmark and prints its figures (targets are stated beside each).
import { benchDatabase } from './emulator-db'

async function main(): Promise<void> {
  const log = (line: string) => console.log(line)
  log('# Emulator database (100,000 documents, through the real SDK over HTTP)')
  await benchDatabase(log)
}

main().catch((err: unknown) => {
  console.error(err)
  process.exit(1)
})
