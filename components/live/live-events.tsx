'use client'

import { useQueryClient } from '@tanstack/react-query'
import { useEffect, useState, type ReactNode } from 'react'
import { systemClock } from './clock'
import { createLiveFeed, type FeedSource, type LiveStatus } from './live-feed'
import { LiveFeedContext } from './use-live-event'
import { LiveStatusContext } from './live-status-context'

const openEventSource = (url: string): FeedSource => new EventSource(url)

/**
 * Opens the one event feed of the tab (live-feed.ts) and shares it: its status for the header's
 * indicator (useLiveStatus), its events for the pages that follow one kind themselves (useLiveEvent).
 * Query invalidation needs no subscription: every event refreshes the queries it affects.
 */
export function LiveEvents({ children }: { children: ReactNode }) {
  const queryClient = useQueryClient()
  const [status, setStatus] = useState<LiveStatus>('connecting')
  const [feed] = useState(() =>
    createLiveFeed({
      clock: systemClock,
      openSource: openEventSource,
      invalidate: (keys) => Promise.all(keys.map((queryKey) => queryClient.invalidateQueries({ queryKey }))),
      onStatus: setStatus,
    }),
  )
  useEffect(() => feed.start(), [feed])
  return (
    <LiveFeedContext value={feed}>
      <LiveStatusContext value={status}>{children}</LiveStatusContext>
    </LiveFeedContext>
  )
}
