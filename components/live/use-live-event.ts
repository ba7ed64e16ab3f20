'use client'

import { createContext, useContext, useEffect, useEffectEvent } from 'react'
import type { LegationEventKind } from '@/server/contract'
import type { LiveEventOf, LiveFeed } from './live-feed'

export const LiveFeedContext = createContext<LiveFeed | null>(null)

/**
 * Runs `handler` for every event of `kind` on the tab's one event feed, in the batch the feed hands
 * over (see live-feed.ts). For what a page does beyond refetching: the queries an event affects are
 * refreshed without asking (affected-queries.ts).
 */
export function useLiveEvent<K extends LegationEventKind>(kind: K, handler: (event: LiveEventOf<K>) => void): void {
  const feed = useContext(LiveFeedContext)
  if (feed === null) throw new Error('useLiveEvent needs the event feed: render it inside <LiveEvents>')
  const onEvent = useEffectEvent((event: LiveEventOf<K>) => handler(event))
  useEffect(() => feed.subscribe(kind, (event) => onEvent(event)), [feed, kind])
}
