// Server time. Production reads the real clock; the local emulator shifts `Date` in function instances.
export type Clock = () => Date

export const systemClock: Clock = () => new Date()
