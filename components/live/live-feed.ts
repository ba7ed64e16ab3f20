import type { QueryKey } from '@tanstack/react-query'
import type { LegationEvent, LegationEventKind } from '@/server/contract'
import { affectedByBatch, EVERYTHING_LIVE, lateAffectedByBatch, LIVE_EVENT_KINDS } from './affected-queries'
import { reconnectDelay } from './backoff'
import { createBatcher } from './batcher'
import type { Clock } from './clock'

export type LiveStatus = 'connecting' | 'live' | 'reconnecting'

/** One event of the given kind, as the feed delivers it. */
export type LiveEventOf<K extends LegationEventKind> = Extract<LegationEvent, { kind: K }>

/** The part of the browser's EventSource the feed uses; tests pass a fake. */
export type FeedSource = {
  readonly readyState: number
  onopen: ((event: Event) => void) | null
  onerror: ((event: Event) => void) | null
  addEventListener: (kind: string, listener: (message: MessageEvent<string>) => void) => void
  close: () => void
}

/** EventSource.CLOSED: the browser gave up on the connection and will not retry by itself. */
const CLOSED = 2

export const EVENTS_URL = '/api/v1/events'
/** About three rounds of invalidations and listeners a second at most, however many events arrive. */
export const LIVE_BATCH_INTERVAL_MS = 333
/** A refetch that hangs must not hold later updates back for longer than this. */
export const MAX_FLUSH_WAIT_MS = 5_000
/**
 * Queries whose rows are written behind the event (affected-queries.ts lateAffectedQueries) are read
 * once more when the events naming them have been quiet this long (the rollout recorder writes every
 * 200 ms)…
 */
export const LATE_REFRESH_MS = 600
/** …and at the latest this long after the first of them, however busy the feed. */
export const MAX_LATE_WAIT_MS = 3_000

export type LiveFeedOptions = Readonly<{
  clock: Clock
  openSource: (url: string) => FeedSource
  /** Marks the queries under these keys stale and refetches the ones in use; settles when they have. */
  invalidate: (keys: readonly QueryKey[]) => Promise<unknown>
  onStatus: (status: LiveStatus) => void
}>

export type LiveFeed = Readonly<{
  /** Opens the connection; returns what closes it again (the shape a React effect wants). */
  start: () => () => void
  /** Calls `listener` with every event of `kind`, in the batch it arrives in; returns the unsubscribe. */
  subscribe: <K extends LegationEventKind>(kind: K, listener: (event: LiveEventOf<K>) => void) => () => void
}>

/**
 * The one live-update pipeline of a browser tab: one EventSource on GET /api/v1/events, one batcher,
 * one clock, one backoff. Events only notify (TkDodo, "Using WebSockets with React Query"): each
 * batch invalidates the queries its events affect (affected-queries.ts), which refetch, and is
 * handed to the pages that follow a kind of event themselves (the versions page follows
 * `version.created` to show the rollout). Batching turns a burst of `proxy.changed` into a few
 * refetches a second, not one per event; what is written behind an event is read once more when the
 * burst is over (LATE_REFRESH_MS). Every (re)connect refreshes everything live, because the
 * events sent while disconnected (or before the first connect, after the server rendered the page)
 * are gone; so does a reconnect the server refuses, whose reason only the refetches learn.
 */
export function createLiveFeed(options: LiveFeedOptions): LiveFeed {
  const { clock, openSource, invalidate, onStatus } = options
  const listeners = new Map<LegationEventKind, Set<(event: LegationEvent) => void>>()

  const refresh = async (keys: readonly QueryKey[]): Promise<void> => {
    if (keys.length === 0) return
    let timer: unknown
    const waited = new Promise<void>((resolve) => (timer = clock.setTimeout(resolve, MAX_FLUSH_WAIT_MS)))
    await Promise.race([invalidate(keys).catch(() => undefined), waited])
    clock.clearTimeout(timer)
  }

  const deliver = (events: readonly LegationEvent[]): void => {
    for (const event of events) {
      for (const listener of listeners.get(event.kind) ?? []) {
        try {
          listener(event)
        } catch (error) {
          // As EventTarget does: report a failing listener, and still run the others and the refetch.
          if (typeof globalThis.reportError === 'function') globalThis.reportError(error)
          else console.error(error)
        }
      }
    }
  }

  const start = (): (() => void) => {
    let source: FeedSource | null = null
    let retryTimer: unknown = null
    let attempt = 0
    let stopped = false
    // The late refresh: keys waiting for it, a debounce timer, and when the first of them came.
    const late = new Map<string, QueryKey>()
    let lateTimer: unknown = null
    let lateSince = 0
    const refreshLate = (): void => {
      lateTimer = null
      const keys = [...late.values()]
      late.clear()
      void refresh(keys)
    }
    const scheduleLate = (keys: readonly QueryKey[]): void => {
      if (keys.length === 0) return
      if (late.size === 0) lateSince = clock.now()
      for (const key of keys) late.set(JSON.stringify(key), key)
      if (lateTimer !== null) clock.clearTimeout(lateTimer)
      lateTimer = clock.setTimeout(refreshLate, Math.min(LATE_REFRESH_MS, Math.max(0, lateSince + MAX_LATE_WAIT_MS - clock.now())))
    }
    const batcher = createBatcher<LegationEvent>({
      minIntervalMs: LIVE_BATCH_INTERVAL_MS,
      clock,
      flush: (events) => {
        deliver(events)
        scheduleLate(lateAffectedByBatch(events))
        return refresh(affectedByBatch(events))
      },
    })

    const onMessage = (message: MessageEvent<string>): void => {
      let event: LegationEvent
      try {
        event = JSON.parse(message.data) as LegationEvent
      } catch {
        return // not one of ours: the feed only sends JSON
      }
      batcher.push(event)
    }

    const connect = (): void => {
      retryTimer = null
      if (stopped) return
      const current = openSource(EVENTS_URL)
      source = current
      for (const kind of LIVE_EVENT_KINDS) current.addEventListener(kind, onMessage)
      current.onopen = () => {
        attempt = 0
        onStatus('live')
        void refresh(EVERYTHING_LIVE)
      }
      current.onerror = () => {
        onStatus('reconnecting')
        // While CONNECTING the browser retries by itself (the feed sends `retry: 2000`). CLOSED means
        // it gave up, e.g. on a 503 while the server starts, so retry here, backing off.
        if (current.readyState !== CLOSED || stopped) return
        current.close()
        // The server answered the reconnect, with an error: 401 once the session has ended (the
        // feed checks it at every heartbeat and ends the stream), 503 while the server starts. The
        // queries in use refetch, and their answers say which: a 401 takes the tab to the sign-in
        // page (components/api.ts), and otherwise what the page shows is no older than the outage.
        void invalidate(EVERYTHING_LIVE).catch(() => undefined)
        retryTimer = clock.setTimeout(connect, reconnectDelay(attempt++))
      }
    }

    connect()
    return () => {
      stopped = true
      if (retryTimer !== null) clock.clearTimeout(retryTimer)
      if (lateTimer !== null) clock.clearTimeout(lateTimer)
      late.clear()
      batcher.dispose()
      source?.close()
    }
  }

  const subscribe: LiveFeed['subscribe'] = (kind, listener) => {
    const forKind = listeners.get(kind) ?? new Set()
    listeners.set(kind, forKind)
    // A wrapper of its own, so that subscribing one function twice needs two unsubscribes.
    const entry = (event: LegationEvent): void => listener(event as LiveEventOf<typeof kind>)
    forKind.add(entry)
    return () => void forKind.delete(entry)
  }

  return { start, subscribe }
}
