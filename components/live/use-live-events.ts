'use client'

import { useQueryClient, type QueryKey } from '@tanstack/react-query'
import { useEffect, useState } from 'react'
import type { LegationEvent } from '@/server/events/types'
import { affectedQueries, EVERYTHING_LIVE, LIVE_EVENT_KINDS } from './affected-queries'

export type LiveStatus = 'connecting' | 'live' | 'reconnecting'

const EVENTS_URL = '/api/v1/events'
const MAX_RETRY_MS = 30_000

/**
 * Keeps React Query in step with the server's event feed (TkDodo, "Using WebSockets with React
 * Query"): each event invalidates the queries it affects and they refetch. Every (re)connect also
 * refreshes everything, because events sent while disconnected (or before the first connect, after
 * the server rendered the page) are gone.
 */
export function useLiveEvents(): LiveStatus {
  const queryClient = useQueryClient()
  const [status, setStatus] = useState<LiveStatus>('connecting')

  useEffect(() => {
    let source: EventSource | null = null
    let retryTimer: ReturnType<typeof setTimeout> | undefined
    let attempt = 0

    const invalidate = (keys: readonly QueryKey[]): void => {
      for (const queryKey of keys) void queryClient.invalidateQueries({ queryKey })
    }

    const onEvent = (message: MessageEvent<string>): void => {
      let event: LegationEvent
      try {
        event = JSON.parse(message.data) as LegationEvent
      } catch {
        return
      }
      invalidate(affectedQueries(event))
    }

    const connect = (): void => {
      source = new EventSource(EVENTS_URL)
      for (const kind of LIVE_EVENT_KINDS) source.addEventListener(kind, onEvent)
      source.onopen = () => {
        attempt = 0
        setStatus('live')
        invalidate(EVERYTHING_LIVE)
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
      source?.close()
    }
  }, [queryClient])

  return status
}
