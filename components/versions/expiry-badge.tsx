'use client'

import { Timer } from 'lucide-react'
import type { VersionSummary } from '@/server/contract'
import { Badge } from '../ui/badge'
import { useNow } from '../ui/use-now'
import { formatVersion } from './format-version'

/** "4m 05s", "1h 02m", "12s": what is left of an expiring change. */
export function formatCountdown(ms: number): string {
  const s = Math.max(0, Math.ceil(ms / 1000))
  const h = Math.floor(s / 3600)
  const m = Math.floor((s % 3600) / 60)
  const sec = s % 60
  if (h > 0) return `${h}h ${String(m).padStart(2, '0')}m`
  if (m > 0) return `${m}m ${String(sec).padStart(2, '0')}s`
  return `${sec}s`
}

/**
 * An expiring change (#12 item 4): while it runs, a countdown to the rollback to its parent; then
 * how it ended (rolled back by Legation, or replaced by another version first).
 */
export function ExpiryBadge({ version }: { version: Pick<VersionSummary, 'expiry' | 'parent'> }) {
  const now = useNow(1000)
  const expiry = version.expiry
  if (!expiry) return null
  const back = version.parent === null ? 'the version before' : formatVersion(version.parent)
  if (expiry.outcome === 'rolled-back') {
    return (
      <Badge tone="neutral" className="ml-2" data-testid="expiry-badge" data-state="rolled-back" title={`Expired at ${new Date(expiry.expiresAt).toLocaleString()}; Legation rolled back to ${back}`}>
        <Timer aria-hidden className="size-3" /> expired{expiry.restoredBy === null ? '' : ` → ${formatVersion(expiry.restoredBy)}`}
      </Badge>
    )
  }
  if (expiry.outcome === 'superseded') {
    return (
      <Badge tone="neutral" className="ml-2" data-testid="expiry-badge" data-state="superseded" title="Another version replaced it before its time limit; nothing was rolled back">
        <Timer aria-hidden className="size-3" /> replaced before expiry
      </Badge>
    )
  }
  const left = Date.parse(expiry.expiresAt) - now
  return (
    <Badge tone="warning" className="ml-2" data-testid="expiry-badge" data-state="running" title={`At ${new Date(expiry.expiresAt).toLocaleString()} Legation rolls back to ${back} if this is still the active version`} suppressHydrationWarning>
      <Timer aria-hidden className="size-3" /> {left > 0 ? `expires in ${formatCountdown(left)}` : 'expiring…'}
    </Badge>
  )
}
