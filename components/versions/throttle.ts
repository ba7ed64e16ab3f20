/** The timer functions a throttle uses; tests pass fake ones (STYLE §5.6: inject the clock). */
export type ThrottleClock = Readonly<{
  now: () => number
  setTimeout: (fn: () => void, ms: number) => unknown
  clearTimeout: (handle: unknown) => void
}>

const REAL_CLOCK: ThrottleClock = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
}

export type Throttle = Readonly<{ trigger: () => void; cancel: () => void }>

/**
 * Runs `run` at most once per `intervalMs`: the first trigger after a quiet period runs at once, the
 * triggers that arrive sooner collapse into one trailing run at the end of the interval. A burst of
 * `proxy.changed` events (one per status flush and fleet) thus becomes a few refetches per second,
 * and the last change is never lost.
 */
export function createThrottle(run: () => void, intervalMs: number, clock: ThrottleClock = REAL_CLOCK): Throttle {
  let lastRun = -Infinity
  let timer: unknown = null
  const fire = (): void => {
    timer = null
    lastRun = clock.now()
    run()
  }
  return {
    trigger() {
      if (timer !== null) return
      const wait = lastRun + intervalMs - clock.now()
      if (wait <= 0) fire()
      else timer = clock.setTimeout(fire, wait)
    },
    cancel() {
      if (timer !== null) clock.clearTimeout(timer)
      timer = null
    },
  }
}
