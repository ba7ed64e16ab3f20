'use client'

import { useQueryClient, type QueryKey } from '@tanstack/react-query'
import { useEffect, useState } from 'react'
import type { LegationEvent } from '@/server/contract'
import { affectedByBatch, EVERYTHING_LIVE, LIVE_EVENT_KINDS } from './affected-queries'
import { createBatcher, systemClock } from './batcher'

export type LiveStatus = 'connecting' | 'live' | 'reconnecting'

const EVENTS_URL = '/api/v1/events'
const MAX_RETRY_MS = 30_000
/** About three invalidation rounds a second at most, however many events arrive. */
export const LIVE_BATCH_INTERVAL_MS = 333
/** A refetch that hangs must not hold later updates back for longer than this. */
const MAX_FLUSH_WAIT_MS = 5_000

/**
 * Keeps React Query in step with the server's event feed (TkDodo, "Using WebSockets with React
 * Query"): events invalidate the queries they affect and those refetch. Events are batched (see
 * batcher.ts) so a burst of proxy status changes costs a few refetches, not one per event. Every
 * (re)connect also refreshes everything, because events sent while disconnected (or before the first
 * connect, after the server rendered the page) are gone.
 */
export function useLiveEvents(): LiveStatus {
  const queryClient = useQueryClient()
  const [status, setStatus] = useState<LiveStatus>('connecting')

  useEffect(() => {
    let source: EventSource | null = null
    let retryTimer: ReturnType<typeof setTimeout> | undefined
    let attempt = 0

    const invalidate = async (keys: readonly QueryKey[]): Promise<void> => {
      let timeout: ReturnType<typeof setTimeout> | undefined
      const refetched = Promise.all(keys.map((queryKey) => queryClient.invalidateQueries({ queryKey })))
      await Promise.race([refetched, new Promise<void>((resolve) => (timeout = setTimeout(resolve, MAX_FLUSH_WAIT_MS)))])
      clearTimeout(timeout)
    }

    const batcher = createBatcher<LegationEvent>({ minIntervalMs: LIVE_BATCH_INTERVAL_MS, clock: systemClock, flush: (events) => invalidate(affectedByBatch(events)) })

    const onEvent = (message: MessageEvent<string>): void => {
      try {
        batcher.push(JSON.parse(message.data) as LegationEvent)
      } catch {
        return
      }
    }

    const connect = (): void => {
      source = new EventSource(EVENTS_URL)
      for (const kind of LIVE_EVENT_KINDS) source.addEventListener(kind, onEvent)
      source.onopen = () => {
        attempt = 0
        setStatus('live')
        void invalidate(EVERYTHING_LIVE)
      }
      source.onerror = () => {
        setStatus('reconnecting')
        // While CONNECTING the browser retries by itself (the feed sends `retry: 2000`). CLOSED means
        // it gave up, e.g. on a 503 while the server starts, so retry here with backoff.
        if (source?.readyState !== EventSource.CLOSED) return
        source.close()
        const delay = Math.min(MAX_RETRY_MS, 1000 * 2 ** attempt++)
        retryTimer = setTimeout(connect, delay)
      }
    }

    connect()
    return () => {
      clearTimeout(retryTimer)
      batcher.dispose()
      source?.close()
    }
  }, [queryClient])

  return status
}
