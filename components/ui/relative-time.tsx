'use client'

import { formatRelativeTime, formatTimestamp } from './format-time'
import { useNow } from './use-now'

export function RelativeTime({ iso, className }: { iso: string; className?: string }) {
  const now = useNow()
  // The server and the browser may round differently across a minute boundary; the next tick settles it.
  return (
    <time dateTime={iso} title={formatTimestamp(iso)} className={className} suppressHydrationWarning>
      {formatRelativeTime(iso, now)}
    </time>
  )
}
