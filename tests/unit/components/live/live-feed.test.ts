import type { QueryKey } from '@tanstack/react-query'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { LEGATION_EVENT_KINDS, type LegationEvent } from '@/server/contract'
import { affectedByBatch, EVERYTHING_LIVE } from '../../../../components/live/affected-queries'
import { reconnectDelay } from '../../../../components/live/backoff'
import { createLiveFeed, LATE_REFRESH_MS, LIVE_BATCH_INTERVAL_MS, MAX_FLUSH_WAIT_MS, MAX_LATE_WAIT_MS, type LiveStatus } from '../../../../components/live/live-feed'
import { events, FakeEventSource } from './fake-event-source'
import { manualClock } from './manual-clock'

/** A feed on a hand-moved clock, with fake EventSources and a record of what it invalidated. */
function setup(options: { invalidate?: (keys: readonly QueryKey[]) => Promise<unknown> } = {}) {
  const { clock, advance, pending } = manualClock()
  const sources: FakeEventSource[] = []
  const invalidated: QueryKey[][] = []
  const statuses: LiveStatus[] = []
  const feed = createLiveFeed({
    clock,
    openSource: (url) => {
      const source = new FakeEventSource(url)
      sources.push(source)
      return source
    },
    invalidate: (keys) => {
      invalidated.push([...keys])
      return options.invalidate ? options.invalidate(keys) : Promise.resolve()
    },
    onStatus: (status) => statuses.push(status),
  })
  const last = (): FakeEventSource => sources.at(-1)!
  /** Starts the feed and opens its connection; forgets the refresh every open makes. */
  const startOpen = (): (() => void) => {
    const stop = feed.start()
    last().open()
    invalidated.length = 0
    return stop
  }
  return { feed, clock, advance, pending, sources, invalidated, statuses, last, startOpen }
}

afterEach(() => vi.restoreAllMocks())

describe('createLiveFeed: one connection', () => {
  it('opens one EventSource on /api/v1/events (every fleet) and listens for every kind the contract has', () => {
    const { feed, sources } = setup()
    feed.start()
    expect(sources).toHaveLength(1)
    expect(sources[0]!.url).toBe('/api/v1/events')
    expect([...sources[0]!.listeners.keys()].toSorted()).toEqual([...LEGATION_EVENT_KINDS].toSorted())
  })

  it('is live once open, and then refreshes everything live, since events may have been missed', () => {
    const { feed, last, statuses, invalidated } = setup()
    feed.start()
    expect(invalidated).toEqual([])
    last().open()
    expect(statuses).toEqual(['live'])
    expect(invalidated).toEqual([EVERYTHING_LIVE])
  })

  it('lets the browser retry while the connection is CONNECTING, and says it is reconnecting', async () => {
    const { feed, last, sources, statuses, advance } = setup()
    feed.start()
    last().open()
    last().fail(false)
    await advance(60_000)
    expect(statuses).toEqual(['live', 'reconnecting'])
    expect(sources).toHaveLength(1)
    expect(last().closed).toBe(false)
  })

  it('when the browser gives up, reconnects itself, backing off, and starts over after a successful open', async () => {
    const { feed, last, sources, advance } = setup()
    feed.start()
    last().fail(true)
    for (const [n, delay] of [1_000, 2_000, 4_000].entries()) {
      expect(sources[n]!.closed).toBe(true)
      await advance(delay - 1)
      expect(sources).toHaveLength(n + 1)
      await advance(1)
      expect(sources).toHaveLength(n + 2)
      if (n < 2) last().fail(true)
    }
    last().open()
    last().fail(true)
    await advance(1_000)
    expect(sources).toHaveLength(5)
  })

  it('refreshes everything live when the server refuses a reconnect (a 401 there means the session ended), at each refusal', async () => {
    const { feed, last, invalidated, advance } = setup()
    feed.start()
    last().open()
    invalidated.length = 0
    last().fail(false) // the stream ended: the browser reconnects by itself, and nothing is refetched yet
    expect(invalidated).toEqual([])
    last().fail(true) // …and its reconnect was answered with an error
    expect(invalidated).toEqual([EVERYTHING_LIVE])
    await advance(1_000)
    last().fail(true)
    expect(invalidated).toEqual([EVERYTHING_LIVE, EVERYTHING_LIVE])
  })

  it('stops: closes the connection, cancels a pending reconnect, and opens nothing more', async () => {
    const { feed, last, sources, advance, pending } = setup()
    const stop = feed.start()
    last().fail(true)
    expect(pending()).toBe(1)
    stop()
    expect(pending()).toBe(0)
    await advance(60_000)
    expect(sources).toHaveLength(1)

    const stopAgain = feed.start()
    stopAgain()
    expect(sources).toHaveLength(2)
    expect(sources[1]!.closed).toBe(true)
  })
})

describe('reconnectDelay', () => {
  it.each([
    [0, 1_000],
    [1, 2_000],
    [4, 16_000],
    [5, 30_000],
    [60, 30_000],
  ])('attempt %i waits %i ms', (attempt, ms) => {
    expect(reconnectDelay(attempt)).toBe(ms)
  })
})

describe('createLiveFeed: one batcher', () => {
  it('turns a burst of events into one round of invalidations, each key once', async () => {
    const { startOpen, last, invalidated, advance } = setup()
    startOpen()
    const burst = Array.from({ length: 500 }, (_, i) => events.proxyChanged('edge', [`n${i % 3}`]))
    for (const event of burst) last().emit(event)
    expect(invalidated).toEqual([]) // handed over on the next tick, not one by one
    await advance(0)
    expect(invalidated).toEqual([affectedByBatch(burst)])
  })

  it(`invalidates at most once per ${LIVE_BATCH_INTERVAL_MS} ms while events keep coming, and loses none`, async () => {
    const { startOpen, last, invalidated, advance } = setup()
    startOpen()
    last().emit(events.proxyChanged('edge', ['a']))
    await advance(0)
    last().emit(events.proxyChanged('edge', ['b']))
    await advance(LIVE_BATCH_INTERVAL_MS - 1)
    expect(invalidated).toHaveLength(1)
    await advance(1)
    expect(invalidated).toHaveLength(2)
    expect(invalidated[1]).toContainEqual(['proxies', 'node', 'b'])
  })

  it(`does not let a refetch that hangs hold later events back for more than ${MAX_FLUSH_WAIT_MS} ms`, async () => {
    const { startOpen, last, invalidated, advance } = setup({ invalidate: () => new Promise(() => undefined) })
    startOpen()
    last().emit(events.draftChanged('edge', 1))
    await advance(0)
    last().emit(events.draftChanged('edge', 2))
    await advance(MAX_FLUSH_WAIT_MS - 1)
    expect(invalidated).toHaveLength(1)
    await advance(1)
    expect(invalidated).toHaveLength(2)
  })

  it('ignores a message that is not JSON', async () => {
    const { startOpen, last, invalidated, advance } = setup()
    startOpen()
    last().send('proxy.changed', 'not json')
    last().emit(events.draftChanged('edge', 3))
    await advance(0)
    expect(invalidated).toEqual([affectedByBatch([events.draftChanged('edge', 3)])])
  })

  it('drops what is pending when stopped', async () => {
    const { startOpen, last, invalidated, advance } = setup()
    const stop = startOpen()
    last().emit(events.draftChanged('edge', 1))
    stop()
    await advance(10_000)
    expect(invalidated).toEqual([])
  })
})

describe('createLiveFeed: the late refresh (rows written behind the event)', () => {
  const versionsOf = (fleet: string) => ['versions', fleet, 'list']
  /** The proxies lists filtered by onActive read the same rows. */
  const onActiveLists = ['proxies', 'list', 'on-active']

  it(`reads a fleet's versions once more ${LATE_REFRESH_MS} ms after its last proxy.changed`, async () => {
    const { startOpen, last, invalidated, advance } = setup()
    startOpen()
    last().emit(events.proxyChanged('edge', ['a']))
    await advance(0)
    expect(invalidated).toHaveLength(1)
    last().emit(events.proxyChanged('edge', ['b']))
    last().emit(events.proxyChanged('demo', ['c']))
    await advance(LIVE_BATCH_INTERVAL_MS)
    expect(invalidated).toHaveLength(2)
    // Quiet from here: one late round for both fleets, LATE_REFRESH_MS after the last batch.
    await advance(LATE_REFRESH_MS - 1)
    expect(invalidated).toHaveLength(2)
    await advance(1)
    expect(invalidated).toEqual([expect.anything(), expect.anything(), [versionsOf('edge'), onActiveLists, versionsOf('demo')]])
    await advance(60_000)
    expect(invalidated).toHaveLength(3)
  })

  it(`does not wait longer than ${MAX_LATE_WAIT_MS} ms while events keep coming`, async () => {
    const { startOpen, last, invalidated, advance } = setup()
    startOpen()
    for (let t = 0; t < MAX_LATE_WAIT_MS + 1_000; t += 400) {
      last().emit(events.proxyChanged('edge', ['a']))
      await advance(400)
    }
    expect(invalidated.filter((keys) => JSON.stringify(keys) === JSON.stringify([versionsOf('edge'), onActiveLists]))).toHaveLength(1)
  })

  it('has nothing late for other events, and drops what is pending when stopped', async () => {
    const { startOpen, last, invalidated, advance } = setup()
    const stop = startOpen()
    last().emit(events.draftChanged('edge', 1))
    last().emit(events.proxyChanged(null, ['x']))
    await advance(10_000)
    expect(invalidated).toHaveLength(1)
    last().emit(events.proxyChanged('edge', ['a']))
    await advance(LIVE_BATCH_INTERVAL_MS)
    expect(invalidated).toHaveLength(2)
    stop()
    await advance(10_000)
    expect(invalidated).toHaveLength(2)
  })
})

describe('createLiveFeed: subscribers', () => {
  it('hands each event to the listeners of its kind, in order, in the batch, before the refetch', async () => {
    const { feed, startOpen, last, invalidated, advance } = setup()
    const seen: Array<{ fleet: string; version: number; invalidatedBefore: number }> = []
    feed.subscribe('version.created', (event) => seen.push({ fleet: event.fleet, version: event.version, invalidatedBefore: invalidated.length }))
    startOpen()
    last().emit(events.proxyChanged('edge', ['a']))
    last().emit(events.versionCreated('edge', 7))
    last().emit(events.versionCreated('demo', 2))
    expect(seen).toEqual([])
    await advance(0)
    expect(seen).toEqual([
      { fleet: 'edge', version: 7, invalidatedBefore: 0 },
      { fleet: 'demo', version: 2, invalidatedBefore: 0 },
    ])
    expect(invalidated).toHaveLength(1)
  })

  it('stops calling a listener once it unsubscribes; the others and the refetch go on', async () => {
    const { feed, startOpen, last, invalidated, advance } = setup()
    const first: LegationEvent[] = []
    const second: LegationEvent[] = []
    const unsubscribe = feed.subscribe('draft.changed', (event) => first.push(event))
    feed.subscribe('draft.changed', (event) => second.push(event))
    startOpen()
    unsubscribe()
    last().emit(events.draftChanged('edge', 4))
    await advance(0)
    expect(first).toEqual([])
    expect(second).toEqual([events.draftChanged('edge', 4)])
    expect(invalidated).toHaveLength(1)
  })

  it('reports a listener that throws, and still runs the other listeners and the refetch', async () => {
    const reported = vi.spyOn(console, 'error').mockImplementation(() => undefined)
    const { feed, startOpen, last, invalidated, advance } = setup()
    const boom = new Error('listener failed')
    const after: LegationEvent[] = []
    feed.subscribe('version.created', () => {
      throw boom
    })
    feed.subscribe('version.created', (event) => after.push(event))
    startOpen()
    last().emit(events.versionCreated('edge', 8))
    await advance(0)
    expect(reported).toHaveBeenCalledWith(boom)
    expect(after).toHaveLength(1)
    expect(invalidated).toHaveLength(1)
  })

  it('keeps its listeners across a restart (React runs an effect twice in development)', async () => {
    const { feed, last, sources, advance } = setup()
    const seen: number[] = []
    feed.subscribe('version.created', (event) => seen.push(event.version))
    const stop = feed.start()
    stop()
    feed.start()
    expect(sources.map((s) => s.closed)).toEqual([true, false])
    last().open()
    last().emit(events.versionCreated('edge', 9))
    await advance(0)
    expect(seen).toEqual([9])
  })
})
