/** Time is injected so tests drive it with a fake clock (Istio writes debounce as a free function for the same reason). */
export type Clock = Readonly<{
  now: () => number
  setTimeout: (fn: () => void, ms: number) => unknown
  clearTimeout: (handle: unknown) => void
}>

export const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
}

export type KeyedDebouncer = Readonly<{
  trigger: (key: string) => void
  /** Resolves when nothing is pending or running. */
  idle: () => Promise<void>
  stop: () => void
}>

/**
 * Istio's debounce, per key: a run starts after `quietMs` without a new trigger, or `maxDelayMs`
 * after the first trigger of a burst at the latest. Triggers during a run are merged into one more
 * run after it finishes; a key never runs twice at once.
 */
export function createKeyedDebouncer(options: { quietMs: number; maxDelayMs: number; clock?: Clock; run: (key: string) => Promise<void>; onError?: (key: string, err: unknown) => void }): KeyedDebouncer {
  const clock = options.clock ?? systemClock
  type Entry = { firstAt: number; timer: unknown; running: boolean; dirty: boolean }
  const entries = new Map<string, Entry>()
  const idleWaiters: Array<() => void> = []
  let stopped = false

  const maybeIdle = (): void => {
    if (entries.size > 0) return
    for (const resolve of idleWaiters.splice(0)) resolve()
  }

  const schedule = (key: string, entry: Entry): void => {
    if (entry.timer !== undefined) clock.clearTimeout(entry.timer)
    const wait = Math.max(0, Math.min(options.quietMs, entry.firstAt + options.maxDelayMs - clock.now()))
    entry.timer = clock.setTimeout(() => fire(key), wait)
  }

  const fire = (key: string): void => {
    const entry = entries.get(key)
    if (!entry || stopped) return
    entry.timer = undefined
    entry.running = true
    entry.dirty = false
    options
      .run(key)
      .catch((err: unknown) => options.onError?.(key, err))
      .finally(() => {
        entry.running = false
        if (entry.dirty && !stopped) {
          entry.firstAt = clock.now()
          schedule(key, entry)
        } else {
          entries.delete(key)
          maybeIdle()
        }
      })
  }

  return {
    trigger(key) {
      if (stopped) return
      const existing = entries.get(key)
      if (existing?.running) {
        existing.dirty = true
        return
      }
      const entry = existing ?? { firstAt: clock.now(), timer: undefined, running: false, dirty: false }
      entries.set(key, entry)
      schedule(key, entry)
    },
    idle: () => (entries.size === 0 ? Promise.resolve() : new Promise<void>((resolve) => idleWaiters.push(resolve))),
    /** Cancels what is pending; a run in progress finishes (idle() waits for it). */
    stop() {
      stopped = true
      for (const [key, entry] of entries) {
        if (entry.timer !== undefined) clock.clearTimeout(entry.timer)
        if (!entry.running) entries.delete(key)
      }
      maybeIdle()
    },
  }
}
