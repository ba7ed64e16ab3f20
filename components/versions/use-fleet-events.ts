'use client'

import { useEffect, useEffectEvent, useState } from 'react'
import type { LegationEvent, LegationEventKind } from '@/server/contract'

const KINDS: readonly LegationEventKind[] = ['version.created', 'proxy.changed', 'snapshot.published', 'snapshot.rejected', 'draft.changed', 'fleet.updated', 'fleet.deleted']
const MAX_RETRY_MS = 30_000

/**
 * The event feed narrowed to one fleet (`/api/v1/events?fleet=`), for what the versions page
 * follows beyond the console-wide feed: proxy status and xDS snapshots. Events only notify
 * (TkDodo's "notify, then refetch"); `onOpen` runs on every (re)connect, since whatever happened
 * while disconnected is gone.
 */
export type FleetFeedStatus = 'connecting' | 'live' | 'reconnecting'

export function useFleetEvents(fleet: string, handlers: { onEvent: (event: LegationEvent) => void; onOpen?: () => void }): FleetFeedStatus {
  const [status, setStatus] = useState<FleetFeedStatus>('connecting')
  const onEvent = useEffectEvent((event: LegationEvent) => handlers.onEvent(event))
  const onOpen = useEffectEvent(() => handlers.onOpen?.())

  useEffect(() => {
    let source: EventSource | null = null
    let retryTimer: ReturnType<typeof setTimeout> | undefined
    let attempt = 0

    const onMessage = (message: MessageEvent<string>): void => {
      try {
        onEvent(JSON.parse(message.data) as LegationEvent)
      } catch {
        // Not one of ours; the feed only sends JSON.
      }
    }

    const connect = (): void => {
      source = new EventSource(`/api/v1/events?${new URLSearchParams({ fleet }).toString()}`)
      for (const kind of KINDS) source.addEventListener(kind, onMessage)
      source.onopen = () => {
        attempt = 0
        setStatus('live')
        onOpen()
      }
      source.onerror = () => {
        setStatus('reconnecting')
        // CONNECTING: the browser retries by itself (`retry: 2000`). CLOSED: it gave up; back off here.
        if (source?.readyState !== EventSource.CLOSED) return
        source.close()
        retryTimer = setTimeout(connect, Math.min(MAX_RETRY_MS, 1000 * 2 ** attempt++))
      }
    }

    connect()
    return () => {
      clearTimeout(retryTimer)
      source?.close()
    }
  }, [fleet])

  return status
}
