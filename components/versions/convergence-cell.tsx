import type { VersionConvergence } from '@/server/contract'
import { cn } from '../ui/cn'
import { formatDuration } from './format-duration'

/**
 * "2/3 proxies" with a small bar, and for the active version "in 1.2 s" once every connected proxy
 * acknowledged it. An older version with the same content as the active one counts the same proxies
 * (they run its content), but its convergenceMs runs from its own creation to today's ACKs, so the
 * time is shown for the active version only.
 */
export function ConvergenceCell({ convergence, active }: { convergence: VersionConvergence | null; active: boolean }) {
  if (!convergence) return <span className="text-fg-subtle">—</span>
  if (convergence.proxies === 0) {
    return (
      <span className="text-xs whitespace-nowrap text-fg-subtle" data-testid="version-convergence" data-on={0} data-total={0}>
        no proxies
      </span>
    )
  }
  const all = convergence.onVersion === convergence.proxies
  const time = active && all && convergence.convergenceMs !== null ? formatDuration(convergence.convergenceMs) : null
  const label = `${convergence.onVersion} of ${convergence.proxies} connected proxies run this version${time !== null ? `; the last one acknowledged it ${time} after it was created` : ''}`
  return (
    <div className="min-w-24" title={label} data-testid="version-convergence" data-on={convergence.onVersion} data-total={convergence.proxies}>
      <div className="flex items-baseline gap-1.5 text-xs whitespace-nowrap tabular-nums">
        <span className={cn('font-medium', convergence.onVersion === 0 ? 'text-fg-subtle' : 'text-fg')}>
          {convergence.onVersion}/{convergence.proxies}
        </span>
        <span className="text-fg-subtle">{time !== null ? `in ${time}` : convergence.proxies === 1 ? 'proxy' : 'proxies'}</span>
      </div>
      <div className="mt-1 h-1 w-full overflow-hidden rounded-full bg-zinc-200 dark:bg-zinc-800" aria-hidden>
        <div className={cn('h-full', all ? 'bg-emerald-500' : 'bg-indigo-500')} style={{ width: `${(100 * convergence.onVersion) / convergence.proxies}%` }} />
      </div>
    </div>
  )
}
