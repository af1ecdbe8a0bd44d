// The emulator clock: real time by default, or real time shifted by an offset that tests and demos set.

export class EmulatorClock {
  private offsetMs = 0
  private listeners: Array<() => void> = []

  /** Called after every set or reset (timers use it so a jump does not replay the past). */
  onChange(listener: () => void): void {
    this.listeners.push(listener)
  }

  /** The emulator's "now" as epoch milliseconds. */
  nowMs(): number {
    return Date.now() + this.offsetMs
  }

  now(): Date {
    return new Date(this.nowMs())
  }

  /** Moves the clock so that "now" is `at`; time keeps running from there. */
  set(at: Date): void {
    this.offsetMs = at.getTime() - Date.now()
    for (const l of this.listeners) l()
  }

  /** Back to real time. */
  reset(): void {
    this.offsetMs = 0
    for (const l of this.listeners) l()
  }

  get offset(): number {
    return this.offsetMs
  }
}
