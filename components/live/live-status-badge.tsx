'use client'

import { cn } from '../ui/cn'
import { useLiveStatus } from './live-status-context'

const LABEL = { connecting: 'Connecting…', live: 'Live', reconnecting: 'Reconnecting…' } as const
const TITLE = {
  connecting: 'Opening the event feed',
  live: 'Changes made anywhere appear here without reloading',
  reconnecting: 'The event feed dropped; retrying. What you see may be out of date.',
} as const

export function LiveStatusBadge() {
  const status = useLiveStatus()
  return (
    <span data-testid="live-status" data-state={status} title={TITLE[status]} className="inline-flex items-center gap-1.5 text-xs font-medium text-fg-muted">
      <span
        aria-hidden
        className={cn(
          'size-2 rounded-full',
          status === 'live' && 'bg-emerald-500',
          status === 'connecting' && 'animate-pulse bg-zinc-400',
          status === 'reconnecting' && 'animate-pulse bg-amber-500',
        )}
      />
      {LABEL[status]}
    </span>
  )
}
