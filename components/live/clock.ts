/**
 * The time and timers of the browser's live pipeline (the feed's reconnect, the batcher, the wait
 * for a refetch). Everything takes it as a parameter, so tests move time by hand or with fake
 * timers (STYLE §5.6: inject the clock).
 */
export type Clock = Readonly<{
  now: () => number
  setTimeout: (fn: () => void, ms: number) => unknown
  clearTimeout: (handle: unknown) => void
}>

/** The real clock. It looks the timer functions up on each call, so fake timers installed later apply. */
export const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
}
