import { describe, expect, it } from 'vitest'
import { createBatcher } from '../../../../components/live/batcher'
import { manualClock } from './manual-clock'

describe('createBatcher', () => {
  it('hands over the first item at once (next tick), not after a full interval', async () => {
    const { clock, advance } = manualClock()
    const batches: number[][] = []
    const b = createBatcher<number>({ minIntervalMs: 333, clock, flush: (items) => void batches.push(items) })
    b.push(1)
    expect(batches).toEqual([])
    await advance(0)
    expect(batches).toEqual([[1]])
  })

  it('merges a burst into one batch per interval', async () => {
    const { clock, advance } = manualClock()
    const batches: number[][] = []
    const b = createBatcher<number>({ minIntervalMs: 333, clock, flush: (items) => void batches.push(items) })
    b.push(1)
    await advance(0)
    for (let i = 2; i <= 5; i++) {
      b.push(i)
      await advance(50)
    }
    // 200 ms after the first batch: the rest waits for the interval to pass.
    expect(batches).toEqual([[1]])
    await advance(133)
    expect(batches).toEqual([[1], [2, 3, 4, 5]])
  })

  it('flushes at most about three times a second under a steady stream of events', async () => {
    const { clock, advance } = manualClock()
    const starts: number[] = []
    let total = 0
    const b = createBatcher<number>({
      minIntervalMs: 333,
      clock,
      flush: (items) => {
        starts.push(clock.now())
        total += items.length
      },
    })
    for (let i = 0; i < 1000; i++) {
      b.push(i) // an event every millisecond for a second
      await advance(1)
    }
    await advance(400)
    expect(total).toBe(1000) // nothing lost
    // Batches start at 0, 333, 666 and 999 ms while the events arrive, then one more for the last event.
    expect(starts.filter((t) => t < 1000)).toHaveLength(4)
    expect(starts).toHaveLength(5)
    for (let i = 1; i < starts.length; i++) expect(starts[i]! - starts[i - 1]!).toBeGreaterThanOrEqual(333)
  })

  it('does not start a batch while the previous one is still running, and keeps what arrived meanwhile', async () => {
    const { clock, advance } = manualClock()
    const batches: number[][] = []
    let finish: () => void = () => undefined
    const b = createBatcher<number>({
      minIntervalMs: 100,
      clock,
      flush: (items) => {
        batches.push(items)
        return new Promise<void>((resolve) => (finish = resolve))
      },
    })
    b.push(1)
    await advance(0)
    b.push(2)
    b.push(3)
    await advance(1000) // the first refetch is slow
    expect(batches).toEqual([[1]])
    finish()
    await advance(0)
    expect(batches).toEqual([[1], [2, 3]])
  })

  it('goes on after a batch that failed', async () => {
    const { clock, advance } = manualClock()
    const batches: number[][] = []
    const b = createBatcher<number>({
      minIntervalMs: 10,
      clock,
      flush: (items) => {
        batches.push(items)
        if (items[0] === 1) throw new Error('boom')
        if (items[0] === 2) return Promise.reject(new Error('boom'))
      },
    })
    b.push(1)
    await advance(0)
    b.push(2)
    await advance(10)
    b.push(3)
    await advance(10)
    expect(batches).toEqual([[1], [2], [3]])
  })

  it('is idle when nothing arrives, and drops what is pending on dispose', async () => {
    const { clock, advance, pending } = manualClock()
    const batches: number[][] = []
    const b = createBatcher<number>({ minIntervalMs: 333, clock, flush: (items) => void batches.push(items) })
    await advance(5000)
    expect(pending()).toBe(0)
    b.push(1)
    await advance(0)
    b.push(2)
    b.dispose()
    expect(pending()).toBe(0)
    await advance(1000)
    b.push(3)
    await advance(1000)
    expect(batches).toEqual([[1]])
  })
})
