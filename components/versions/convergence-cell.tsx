import type { VersionConvergence } from '@/server/contract'
import { TriangleAlert } from 'lucide-react'
import { Badge } from '../ui/badge'
import { cn } from '../ui/cn'
import { formatConvergenceTimes } from './rollout-progress'

/** The cell's tooltip: every number it shows, in words. */
export function convergenceTitle(c: VersionConvergence): string {
  const parts = [`${c.onVersion} of ${c.proxies} ${c.proxies === 1 ? 'proxy' : 'proxies'} reached this version`]
  if (c.rejected > 0) parts.push(`${c.rejected} rejected it (NACK)`)
  const times = formatConvergenceTimes(c)
  if (times) parts.push(`time from the commit to each ACK, for the proxies connected at the commit: ${times}`)
  return parts.join('; ')
}

/**
 * n/N with a small bar (reached, rejected), a NACK marker with the number of proxies that rejected
 * the version, and its time to converge (p50 / max), from the rows recorded when each proxy reached
 * or rejected it: right for old versions too, and after the proxies have gone.
 */
export function ConvergenceCell({ convergence }: { convergence: VersionConvergence | null }) {
  if (!convergence) return <span className="text-fg-subtle">—</span>
  const c = convergence
  if (c.proxies === 0) {
    return (
      <span className="text-xs whitespace-nowrap text-fg-subtle" data-testid="version-convergence" data-on={0} data-total={0} data-rejected={0}>
        no proxies
      </span>
    )
  }
  const all = c.onVersion === c.proxies
  const times = formatConvergenceTimes(c, ['p50', 'max'])
  return (
    <div className="min-w-28" title={convergenceTitle(c)} data-testid="version-convergence" data-on={c.onVersion} data-total={c.proxies} data-rejected={c.rejected}>
      <div className="flex items-center gap-1.5 text-xs whitespace-nowrap tabular-nums">
        <span className={cn('font-medium', c.onVersion === 0 ? 'text-fg-subtle' : 'text-fg')}>
          {c.onVersion}/{c.proxies}
        </span>
        {c.rejected > 0 ? (
          <Badge tone="danger" className="px-1 py-0 text-[11px]" data-testid="version-nack-marker" data-count={c.rejected}>
            <TriangleAlert aria-hidden className="size-3" />
            NACK {c.rejected}
          </Badge>
        ) : (
          <span className="text-fg-subtle">{c.proxies === 1 ? 'proxy' : 'proxies'}</span>
        )}
      </div>
      <div className="mt-1 flex h-1 w-full overflow-hidden rounded-full bg-zinc-200 dark:bg-zinc-800" aria-hidden>
        <div className={cn('h-full', all ? 'bg-emerald-500' : 'bg-indigo-500')} style={{ width: `${(100 * c.onVersion) / c.proxies}%` }} />
        <div className="h-full bg-red-500" style={{ width: `${(100 * c.rejected) / c.proxies}%` }} />
      </div>
      {times ? (
        <p className="mt-0.5 text-[11px] whitespace-nowrap text-fg-subtle tabular-nums" data-testid="version-convergence-time">
          {times}
        </p>
      ) : null}
    </div>
  )
}
