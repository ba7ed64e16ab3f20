'use client'

import Link from 'next/link'
import { cn } from '../ui/cn'
import { KIND_INFO, RESOURCE_KINDS, resourceHrefs, type ResourceKind } from './kinds'

/** One tab per resource kind; each is its own URL (a route segment), so tabs are links. */
export function KindTabs({ fleet, current, counts }: { fleet: string; current: ResourceKind; counts: Partial<Record<ResourceKind, number>> }) {
  return (
    <nav aria-label="Resource kinds" className="mb-4 flex gap-1 overflow-x-auto border-b border-line" data-testid="kind-tabs">
      {RESOURCE_KINDS.map((kind) => {
        const active = kind === current
        const count = counts[kind]
        return (
          <Link
            key={kind}
            href={resourceHrefs.list(fleet, kind)}
            aria-current={active ? 'page' : undefined}
            data-kind={kind}
            className={cn(
              '-mb-px inline-flex items-center gap-2 border-b-2 px-3 py-2 text-sm font-medium whitespace-nowrap transition-colors focus-visible:outline-2 focus-visible:-outline-offset-2 focus-visible:outline-accent',
              active ? 'border-accent text-fg' : 'border-transparent text-fg-muted hover:border-line-strong hover:text-fg',
            )}
          >
            {KIND_INFO[kind].label}
            {count !== undefined ? <span className={cn('rounded-full px-1.5 text-[11px] tabular-nums', active ? 'bg-accent-soft text-accent' : 'bg-surface-muted text-fg-subtle')}>{count}</span> : null}
          </Link>
        )
      })}
    </nav>
  )
}
