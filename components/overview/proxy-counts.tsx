import Link from 'next/link'
import type { ProxyState } from '@/server/contract'
import { cn } from '../ui/cn'
import type { FleetProxyCounts } from '../proxies/types'
import { proxiesHref } from '../proxies/filters'

const SEGMENTS: ReadonlyArray<{ state: ProxyState; label: string; bar: string; text: string }> = [
  { state: 'SYNCED', label: 'SYNCED', bar: 'bg-emerald-500', text: 'text-emerald-700 dark:text-emerald-400' },
  { state: 'STALE', label: 'STALE', bar: 'bg-amber-400', text: 'text-amber-700 dark:text-amber-400' },
  { state: 'NACKED', label: 'NACKED', bar: 'bg-red-500', text: 'text-red-700 dark:text-red-400' },
  { state: 'NOT_SENT', label: 'NOT SENT', bar: 'bg-zinc-400', text: 'text-fg-muted' },
  { state: 'DISCONNECTED', label: 'disconnected', bar: 'bg-zinc-300 dark:bg-zinc-600', text: 'text-fg-subtle' },
]

/**
 * "3 connected" over a bar split by state, then each non-zero state as text (linked to the
 * filtered proxies list), so the colours are never the only way to read it.
 */
export function ProxyCounts({ fleet, counts }: { fleet: string | null; counts: FleetProxyCounts | undefined }) {
  const total = counts?.total ?? 0
  const connected = total - (counts?.DISCONNECTED ?? 0)
  if (!counts || total === 0) {
    return (
      <span data-testid="fleet-proxies" data-connected={0} className="text-xs text-fg-subtle">
        no proxies yet
      </span>
    )
  }
  return (
    <div data-testid="fleet-proxies" data-connected={connected} data-nacked={counts.NACKED} className="min-w-0">
      <div className="flex items-baseline gap-2">
        <Link href={proxiesHref('', { fleet })} className="text-[13px] font-medium hover:text-accent hover:underline">
          {connected} connected
        </Link>
      </div>
      <div aria-hidden className="mt-1 flex h-1.5 w-40 max-w-full overflow-hidden rounded-full bg-surface-muted">
        {SEGMENTS.map((s) => (counts[s.state] > 0 ? <span key={s.state} className={s.bar} style={{ width: `${(counts[s.state] / total) * 100}%` }} /> : null))}
      </div>
      <div className="mt-1 flex flex-wrap gap-x-2 text-[11px]">
        {SEGMENTS.filter((s) => counts[s.state] > 0).map((s) => (
          <Link key={s.state} href={proxiesHref('', { fleet, state: s.state })} className={cn('tabular-nums hover:underline', s.text, s.state === 'NACKED' && 'font-semibold')} data-testid={`fleet-proxies-${s.state}`}>
            {counts[s.state]} {s.label}
          </Link>
        ))}
      </div>
    </div>
  )
}
