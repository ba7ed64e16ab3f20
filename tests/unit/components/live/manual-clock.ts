import type { Clock } from '../../../../components/live/clock'

/** Lets settled promises run their callbacks, as the event loop would between timers. */
export const settle = async (): Promise<void> => {
  for (let i = 0; i < 10; i++) await Promise.resolve()
}

/** A clock the test moves by hand: timers fire only inside advance(), in the order they are due. */
export function manualClock() {
  let now = 0
  let nextId = 1
  const timers = new Map<number, { at: number; fn: () => void }>()
  const clock: Clock = {
    now: () => now,
    setTimeout: (fn, ms) => {
      const id = nextId++
      timers.set(id, { at: now + ms, fn })
      return id
    },
    clearTimeout: (handle) => void timers.delete(handle as number),
  }
  const advance = async (ms: number): Promise<void> => {
    const until = now + ms
    for (;;) {
      await settle()
      const due = [...timers.entries()].filter(([, t]) => t.at <= until).sort((a, b) => a[1].at - b[1].at)[0]
      if (!due) break
      timers.delete(due[0])
      now = due[1].at
      due[1].fn()
    }
    now = until
  }
  return { clock, advance, pending: () => timers.size, now: () => now }
}
