// The emulator clock: real time by default, or real time shifted by an offset that tests and demos set.

export class EmulatorClock {
  private offsetMs = 0

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
  }

  /** Back to real time. */
  reset(): void {
    this.offsetMs = 0
  }

  get offset(): number {
    return this.offsetMs
  }
}
