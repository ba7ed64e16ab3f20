import type { Clock } from './clock'

/**
 * Collects items and hands them over in batches, at most one batch per `minIntervalMs`, and never
 * while the previous batch is still being handled (Istio's debounce keeps a `free` flag for the
 * same reason: a push does not start while one runs). Used to turn a burst of `proxy.changed`
 * events into a few query invalidations: 10,000 proxies reconnecting must not mean 10,000 refetches.
 *
 * Pure apart from the injected clock, so tests drive time by hand.
 */
export type Batcher<T> = Readonly<{
  push: (item: T) => void
  /** Drops what is pending and stops; a batch in progress still finishes. */
  dispose: () => void
}>

export type BatcherOptions<T> = Readonly<{
  /** The shortest time between the starts of two batches (333 ms: about three a second). */
  minIntervalMs: number
  clock: Clock
  /** Handles one batch; the next batch waits until the returned promise settles. */
  flush: (items: T[]) => void | Promise<void>
}>

export function createBatcher<T>(options: BatcherOptions<T>): Batcher<T> {
  const { minIntervalMs, clock, flush } = options
  let pending: T[] = []
  let timer: unknown = null
  let flushing = false
  let disposed = false
  let lastStart = Number.NEGATIVE_INFINITY

  const schedule = (): void => {
    if (disposed || timer !== null || flushing || pending.length === 0) return
    const delay = Math.max(0, lastStart + minIntervalMs - clock.now())
    timer = clock.setTimeout(run, delay)
  }

  const run = (): void => {
    timer = null
    if (disposed || pending.length === 0) return
    const items = pending
    pending = []
    flushing = true
    lastStart = clock.now()
    let result: void | Promise<void>
    try {
      result = flush(items)
    } catch {
      result = undefined // a failed batch must not stop later ones
    }
    const done = (): void => {
      flushing = false
      schedule()
    }
    if (result && typeof result.then === 'function') result.then(done, done)
    else done()
  }

  return {
    push(item) {
      if (disposed) return
      pending.push(item)
      schedule()
    },
    dispose() {
      disposed = true
      pending = []
      if (timer !== null) clock.clearTimeout(timer)
      timer = null
    },
  }
}
