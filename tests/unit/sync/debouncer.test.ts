import { afterEach, describe, expect, it } from 'vitest'
import { createKeyedDebouncer, type Clock, type KeyedDebouncer } from '../../../server/sync/debouncer'

// ---- a fake clock ----------------------------------------------------------------------

type Timer = { id: number; at: number; fn: () => void }

/** A Clock whose timers only fire in advance(), in time order (then in the order they were set). */
class FakeClock implements Clock {
  private time = 0
  private nextId = 1
  private timers: Timer[] = []

  readonly now = (): number => this.time

  readonly setTimeout = (fn: () => void, ms: number): unknown => {
    const timer = { id: this.nextId++, at: this.time + Math.max(0, ms), fn }
    this.timers.push(timer)
    return timer.id
  }

  readonly clearTimeout = (handle: unknown): void => {
    this.timers = this.timers.filter((t) => t.id !== handle)
  }

  /** Timers not yet fired or cleared. */
  get pending(): number {
    return this.timers.length
  }

  /** Moves time forward by `ms`, firing every timer that falls due on the way (including ones set by a firing timer). */
  advance(ms: number): void {
    const target = this.time + ms
    for (;;) {
      const due = this.timers.filter((t) => t.at <= target).sort((a, b) => a.at - b.at || a.id - b.id)[0]
      if (!due) break
      this.timers = this.timers.filter((t) => t !== due)
      this.time = due.at
      due.fn()
    }
    this.time = target
  }
}

describe('FakeClock', () => {
  it('fires due timers in time order and sets now() to each timer’s time', () => {
    const clock = new FakeClock()
    const fired: string[] = []
    clock.setTimeout(() => fired.push(`b@${clock.now()}`), 20)
    clock.setTimeout(() => fired.push(`a@${clock.now()}`), 10)
    const cancelled = clock.setTimeout(() => fired.push('never'), 5)
    clock.clearTimeout(cancelled)
    clock.advance(15)
    expect(fired).toEqual(['a@10'])
    clock.advance(10)
    expect(fired).toEqual(['a@10', 'b@20'])
    expect(clock.now()).toBe(25)
  })
})

// ---- helpers ---------------------------------------------------------------------------

type Deferred = { promise: Promise<void>; resolve: () => void; reject: (err: unknown) => void }

function deferred(): Deferred {
  let resolve!: () => void
  let reject!: (err: unknown) => void
  const promise = new Promise<void>((res, rej) => {
    resolve = res
    reject = rej
  })
  return { promise, resolve, reject }
}

/** Lets every queued promise callback (the debouncer's .catch/.finally) run. */
const flush = (): Promise<void> => new Promise((resolve) => setImmediate(resolve))

type Run = { key: string; at: number; done: Deferred }

/** A debouncer on a fake clock whose runs stay in flight until the test settles them. */
function harness(options: { quietMs?: number; maxDelayMs?: number } = {}) {
  const clock = new FakeClock()
  const runs: Run[] = []
  const errors: Array<{ key: string; err: unknown }> = []
  const active = new Map<string, number>()
  let maxConcurrentPerKey = 0
  const debouncer: KeyedDebouncer = createKeyedDebouncer({
    quietMs: options.quietMs ?? 10,
    maxDelayMs: options.maxDelayMs ?? 100,
    clock,
    run: (key) => {
      const done = deferred()
      runs.push({ key, at: clock.now(), done })
      const n = (active.get(key) ?? 0) + 1
      active.set(key, n)
      maxConcurrentPerKey = Math.max(maxConcurrentPerKey, n)
      return done.promise.finally(() => active.set(key, (active.get(key) ?? 1) - 1))
    },
    onError: (key, err) => errors.push({ key, err }),
  })
  const runsOf = (key: string): Run[] => runs.filter((r) => r.key === key)
  const last = (): Run => {
    const r = runs.at(-1)
    if (!r) throw new Error('no run yet')
    return r
  }
  return { clock, debouncer, runs, errors, runsOf, last, maxConcurrent: () => maxConcurrentPerKey }
}

/** Whether `promise` has settled once the queued callbacks have run. */
async function isSettled(promise: Promise<unknown>): Promise<boolean> {
  let settled = false
  void promise.then(
    () => (settled = true),
    () => (settled = true),
  )
  await flush()
  return settled
}

let current: ReturnType<typeof harness> | undefined
const setup = (options?: { quietMs?: number; maxDelayMs?: number }): ReturnType<typeof harness> => (current = harness(options))
afterEach(() => {
  // Settle anything left in flight so no promise outlives its test.
  for (const r of current?.runs ?? []) r.done.resolve()
  current?.debouncer.stop()
  current = undefined
})

// ---- createKeyedDebouncer --------------------------------------------------------------

describe('createKeyedDebouncer', () => {
  describe('debouncing', () => {
    it('runs a single trigger once, quietMs after it', () => {
      const h = setup({ quietMs: 10 })
      h.debouncer.trigger('a')
      h.clock.advance(9)
      expect(h.runs).toHaveLength(0)
      h.clock.advance(1)
      expect(h.runs.map((r) => [r.key, r.at])).toEqual([['a', 10]])
    })

    it('merges a burst of triggers within quietMs into one run, quietMs after the last one', () => {
      const h = setup({ quietMs: 10, maxDelayMs: 100 })
      for (const gap of [0, 3, 3, 3]) {
        h.clock.advance(gap)
        h.debouncer.trigger('a')
      }
      // last trigger at t=9
      h.clock.advance(9)
      expect(h.runs).toHaveLength(0)
      h.clock.advance(1)
      expect(h.runs.map((r) => r.at)).toEqual([19])
      h.clock.advance(1000)
      expect(h.runs).toHaveLength(1)
    })

    it('runs at maxDelayMs after the first trigger at the latest when triggers keep arriving', () => {
      const h = setup({ quietMs: 10, maxDelayMs: 50 })
      h.debouncer.trigger('a')
      for (let t = 5; t < 50; t += 5) {
        h.clock.advance(5)
        h.debouncer.trigger('a')
        expect(h.runs).toHaveLength(0)
      }
      h.clock.advance(5)
      expect(h.runs.map((r) => r.at)).toEqual([50])
    })

    it('starts a new burst after a run: the next trigger waits quietMs again', async () => {
      const h = setup({ quietMs: 10, maxDelayMs: 50 })
      h.debouncer.trigger('a')
      h.clock.advance(10)
      h.last().done.resolve()
      await flush()
      h.clock.advance(100)
      h.debouncer.trigger('a')
      h.clock.advance(9)
      expect(h.runs).toHaveLength(1)
      h.clock.advance(1)
      expect(h.runs.map((r) => r.at)).toEqual([10, 120])
    })
  })

  describe('a trigger during a run', () => {
    it('causes exactly one more run, quietMs after the first finishes, never two at once', async () => {
      const h = setup({ quietMs: 10, maxDelayMs: 100 })
      h.debouncer.trigger('a')
      h.clock.advance(10)
      expect(h.runs).toHaveLength(1)

      // Three triggers while the run is in flight, and plenty of time passing.
      for (let i = 0; i < 3; i++) {
        h.debouncer.trigger('a')
        h.clock.advance(200)
      }
      expect(h.runs).toHaveLength(1)

      h.runs[0]!.done.resolve()
      await flush()
      const finishedAt = h.clock.now()
      h.clock.advance(9)
      expect(h.runs).toHaveLength(1)
      h.clock.advance(1)
      expect(h.runs.map((r) => r.at)).toEqual([10, finishedAt + 10])

      h.runs[1]!.done.resolve()
      await flush()
      h.clock.advance(1000)
      expect(h.runs).toHaveLength(2)
      expect(h.maxConcurrent()).toBe(1)
    })

    it('causes no extra run when nothing was triggered during it', async () => {
      const h = setup()
      h.debouncer.trigger('a')
      h.clock.advance(10)
      h.last().done.resolve()
      await flush()
      h.clock.advance(1000)
      expect(h.runs).toHaveLength(1)
      expect(h.clock.pending).toBe(0)
    })
  })

  describe('keys', () => {
    it('debounces and runs separate keys independently', async () => {
      const h = setup({ quietMs: 10, maxDelayMs: 100 })
      h.debouncer.trigger('a')
      h.clock.advance(5)
      h.debouncer.trigger('b')
      h.clock.advance(5)
      expect(h.runs.map((r) => [r.key, r.at])).toEqual([['a', 10]])

      // 'a' is still running: 'b' is not held up by it, and a trigger of 'b' doesn't touch 'a'.
      h.clock.advance(5)
      expect(h.runs.map((r) => [r.key, r.at])).toEqual([
        ['a', 10],
        ['b', 15],
      ])
      h.runsOf('b')[0]!.done.resolve()
      await flush()
      h.debouncer.trigger('b')
      h.clock.advance(10)
      expect(h.runsOf('b')).toHaveLength(2)
      expect(h.runsOf('a')).toHaveLength(1)
    })
  })

  describe('errors', () => {
    it('reports a rejected run to onError with its key and keeps running later triggers', async () => {
      const h = setup()
      const boom = new Error('build failed')
      h.debouncer.trigger('a')
      h.clock.advance(10)
      h.last().done.reject(boom)
      await flush()
      expect(h.errors).toEqual([{ key: 'a', err: boom }])

      h.debouncer.trigger('a')
      h.clock.advance(10)
      expect(h.runsOf('a')).toHaveLength(2)
      h.last().done.resolve()
      await flush()
      expect(h.errors).toHaveLength(1)
      expect(await isSettled(h.debouncer.idle())).toBe(true)
    })

    it('still runs once more after a rejected run that was triggered again meanwhile', async () => {
      const h = setup()
      h.debouncer.trigger('a')
      h.clock.advance(10)
      h.debouncer.trigger('a')
      h.last().done.reject(new Error('x'))
      await flush()
      h.clock.advance(10)
      expect(h.runsOf('a')).toHaveLength(2)
      expect(h.errors.map((e) => e.key)).toEqual(['a'])
    })
  })

  describe('idle()', () => {
    it('resolves at once when nothing was triggered', async () => {
      const h = setup()
      expect(await isSettled(h.debouncer.idle())).toBe(true)
    })

    it('waits for the pending timer and the run, and resolves when the run finishes', async () => {
      const h = setup()
      h.debouncer.trigger('a')
      const idle = h.debouncer.idle()
      expect(await isSettled(idle)).toBe(false)
      h.clock.advance(10)
      expect(await isSettled(idle)).toBe(false)
      h.last().done.resolve()
      expect(await isSettled(idle)).toBe(true)
    })

    it('waits for the extra run caused by a trigger during a run', async () => {
      const h = setup()
      h.debouncer.trigger('a')
      h.clock.advance(10)
      h.debouncer.trigger('a')
      const idle = h.debouncer.idle()
      h.runs[0]!.done.resolve()
      expect(await isSettled(idle)).toBe(false)
      h.clock.advance(10)
      expect(h.runs).toHaveLength(2)
      expect(await isSettled(idle)).toBe(false)
      h.runs[1]!.done.resolve()
      expect(await isSettled(idle)).toBe(true)
    })

    it('waits for every key', async () => {
      const h = setup()
      h.debouncer.trigger('a')
      h.debouncer.trigger('b')
      const idle = h.debouncer.idle()
      h.clock.advance(10)
      h.runsOf('a')[0]!.done.resolve()
      expect(await isSettled(idle)).toBe(false)
      h.runsOf('b')[0]!.done.resolve()
      expect(await isSettled(idle)).toBe(true)
    })
  })

  describe('stop()', () => {
    it('cancels pending runs and resolves idle()', async () => {
      const h = setup()
      h.debouncer.trigger('a')
      h.debouncer.trigger('b')
      const idle = h.debouncer.idle()
      h.debouncer.stop()
      expect(h.clock.pending).toBe(0)
      h.clock.advance(1000)
      expect(h.runs).toHaveLength(0)
      expect(await isSettled(idle)).toBe(true)
    })

    it('ignores triggers after stop', () => {
      const h = setup()
      h.debouncer.stop()
      h.debouncer.trigger('a')
      h.clock.advance(1000)
      expect(h.runs).toHaveLength(0)
    })

    it('does not schedule the extra run of a trigger that arrived during a run in flight', async () => {
      const h = setup()
      h.debouncer.trigger('a')
      h.clock.advance(10)
      h.debouncer.trigger('a')
      h.debouncer.stop()
      h.last().done.resolve()
      await flush()
      h.clock.advance(1000)
      expect(h.runs).toHaveLength(1)
      expect(h.clock.pending).toBe(0)
    })
  })
})
