// Timer triggers: each function's config.json cron (7 fields, UTC+8 as WeChat reads it) fires on the emulator clock.
import { CronExpressionParser } from 'cron-parser'
import type { EmulatorClock } from '../clock'
import type { TimerTrigger } from './config'
import { discoverFunctions } from './config'

export type TimerFire = { functionName: string; trigger: TimerTrigger; at: Date }

/** WeChat's cron has a 7th field (year); cron-parser takes six. Returns the six and a year matcher. */
export function parseWeChatCron(expr: string): {
  sixFields: string
  yearMatches: (year: number) => boolean
} {
  const fields = expr.trim().split(/\s+/)
  if (fields.length !== 7)
    throw new Error(`timer cron must have 7 fields (sec min hour day month week year): "${expr}"`)
  const year = fields.pop() as string
  const years = year === '*' ? null : new Set(year.split(',').map(Number))
  return { sixFields: fields.join(' '), yearMatches: (y) => years === null || years.has(y) }
}

/** The first fire time strictly after `after`, or null. Crons are read in China time (UTC+8), as WeChat does. */
export function nextFire(expr: string, after: Date): Date | null {
  const { sixFields, yearMatches } = parseWeChatCron(expr)
  const it = CronExpressionParser.parse(sixFields, { currentDate: after, tz: 'Asia/Shanghai' })
  for (let i = 0; i < 1000; i++) {
    const next = it.next().toDate()
    const chinaYear = new Date(next.getTime() + 8 * 3600_000).getUTCFullYear()
    if (yearMatches(chinaYear)) return next
  }
  return null
}

export class TimerScheduler {
  private lastCheckMs: number
  private handle: NodeJS.Timeout | null = null

  constructor(
    private readonly functionsDir: string,
    private readonly clock: EmulatorClock,
    private readonly fire: (f: TimerFire) => Promise<void>,
    private readonly tickMs = 1000,
  ) {
    this.lastCheckMs = clock.nowMs()
    clock.onChange(() => this.clockMoved())
  }

  start(): void {
    if (this.handle) return
    this.handle = setInterval(() => void this.tick(), this.tickMs)
    this.handle.unref()
  }

  stop(): void {
    if (this.handle) clearInterval(this.handle)
    this.handle = null
  }

  /** After the clock is set, only fire times after the new "now" count: a jump does not replay the past. */
  clockMoved(): void {
    this.lastCheckMs = this.clock.nowMs()
  }

  /** Fires every trigger whose next time after the last check has come; each trigger at most once a tick. */
  async tick(): Promise<void> {
    const now = this.clock.nowMs()
    const since = this.lastCheckMs
    this.lastCheckMs = now
    if (now <= since) return
    const due: TimerFire[] = []
    for (const def of discoverFunctions(this.functionsDir).values()) {
      for (const trigger of def.config.triggers) {
        const at = nextFire(trigger.config, new Date(since))
        if (at && at.getTime() <= now) due.push({ functionName: def.name, trigger, at })
      }
    }
    for (const f of due) await this.fire(f)
  }
}
