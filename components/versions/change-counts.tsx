import type { ChangeCounts as Counts } from '@/server/contract'
import { cn } from '../ui/cn'

/** "+1 ~2 −0": resources added, modified and removed; zeros in the subtle grey (still 4.5:1). */
export function ChangeCounts({ counts, className }: { counts: Counts; className?: string }) {
  const label = `${counts.added} added, ${counts.modified} modified, ${counts.removed} removed`
  return (
    <span className={cn('inline-flex gap-2 font-mono text-xs tabular-nums', className)} title={label} aria-label={label}>
      <span className={counts.added ? 'text-emerald-700 dark:text-emerald-400' : 'text-fg-subtle'}>+{counts.added}</span>
      <span className={counts.modified ? 'text-amber-700 dark:text-amber-400' : 'text-fg-subtle'}>~{counts.modified}</span>
      <span className={counts.removed ? 'text-red-700 dark:text-red-400' : 'text-fg-subtle'}>−{counts.removed}</span>
    </span>
  )
}
