'use client'

import { useQuery } from '@tanstack/react-query'
import { CircleX, Download, GitCommitVertical, Layers, type LucideIcon, PencilLine, Plug, RotateCcw, ShieldX, Unplug } from 'lucide-react'
import Link from 'next/link'
import { useState } from 'react'
import { proxyHref } from '../proxies/filters'
import { sectionHref } from '../shell/fleet-href'
import { cn } from '../ui/cn'
import { ErrorNotice } from '../ui/error-notice'
import { formatTimestamp } from '../ui/format-time'
import { Panel } from '../ui/panel'
import { RelativeTime } from '../ui/relative-time'
import { activityQueries, OVERVIEW_ACTIVITY_LIMIT, type ActivityFilter, type ActivityItem, type ActivityKind } from './queries'

const KIND: Record<ActivityKind, { icon: LucideIcon; label: string; tone: string }> = {
  commit: { icon: GitCommitVertical, label: 'commit', tone: 'text-accent' },
  rollback: { icon: RotateCcw, label: 'rollback', tone: 'text-amber-600 dark:text-amber-400' },
  import: { icon: Download, label: 'import', tone: 'text-accent' },
  draft: { icon: PencilLine, label: 'draft', tone: 'text-fg-subtle' },
  fleet: { icon: Layers, label: 'fleet', tone: 'text-fg-subtle' },
  nack: { icon: CircleX, label: 'NACK', tone: 'text-red-600 dark:text-red-400' },
  connected: { icon: Plug, label: 'connected', tone: 'text-emerald-600 dark:text-emerald-400' },
  disconnected: { icon: Unplug, label: 'disconnected', tone: 'text-fg-subtle' },
  refused: { icon: ShieldX, label: 'refused', tone: 'text-red-600 dark:text-red-400' },
}

const FILTERS: ReadonlyArray<{ value: ActivityFilter | null; label: string }> = [
  { value: null, label: 'All' },
  { value: 'changes', label: 'Changes' },
  { value: 'nacks', label: 'NACKs' },
  { value: 'connections', label: 'Connections' },
]

const EMPTY: Record<ActivityFilter | 'all', string> = {
  all: 'Nothing has happened yet. Commits, rollbacks, draft edits and proxies connecting or rejecting config show up here.',
  changes: 'No commits, rollbacks or draft edits yet.',
  nacks: 'No proxy has rejected config.',
  connections: 'No proxy has connected yet.',
}

/** The title of "×312" after a NACK the proxy repeated. */
function countTitle(item: ActivityItem): string {
  return `rejected ${item.count} times${item.firstAt ? `, the first at ${formatTimestamp(item.firstAt)}` : ''}`
}

/**
 * What happened lately across the fleets (or one fleet): changes people made and what proxies did.
 * Each kind of line has its own limit on the server, so a connection storm (one line) never pushes
 * a NACK out; the chips show one kind only (#11 item 7).
 */
export function RecentActivity({ fleet }: { fleet: string | null }) {
  const [filter, setFilter] = useState<ActivityFilter | null>(null)
  const { data: items, error, refetch } = useQuery(activityQueries.list(fleet, OVERVIEW_ACTIVITY_LIMIT, filter))
  const chips = (
    <div role="group" aria-label="Show activity of kind" className="flex items-center gap-0.5 rounded-lg bg-surface-muted p-0.5">
      {FILTERS.map((f) => {
        const pressed = filter === f.value
        return (
          <button
            key={f.value ?? 'all'}
            type="button"
            aria-pressed={pressed}
            data-testid={`activity-filter-${f.value ?? 'all'}`}
            onClick={() => setFilter(f.value)}
            className={cn(
              'inline-flex h-6 items-center rounded-md px-2 text-xs font-medium whitespace-nowrap transition-colors focus-visible:outline-2 focus-visible:outline-accent',
              pressed ? 'bg-surface text-fg shadow-xs ring-1 ring-line-strong' : 'text-fg-muted hover:bg-surface hover:text-fg',
            )}
          >
            {f.label}
          </button>
        )
      })}
    </div>
  )
  return (
    <Panel title="Recent activity" description={fleet ? <>in <span className="font-mono">{fleet}</span>, newest first</> : 'all fleets, newest first'} actions={chips} data-testid="activity-panel">
      {error && !items ? (
        <ErrorNotice className="m-4" title="Could not load the recent activity" error={error} onRetry={() => void refetch()} />
      ) : !items ? (
        <p className="px-4 py-6 text-sm text-fg-subtle">Loading activity…</p>
      ) : items.length === 0 ? (
        <p className="px-4 py-6 text-sm text-fg-muted" data-testid="activity-empty">
          {EMPTY[filter ?? 'all']}
        </p>
      ) : (
        <ol className="max-h-[26rem] divide-y divide-line overflow-auto">
          {items.map((item, i) => {
            const kind = KIND[item.kind] ?? KIND.fleet
            const Icon = kind.icon
            return (
              <li key={`${item.at}:${i}`} data-testid="activity-item" data-kind={item.kind} className="flex gap-2.5 px-4 py-2 text-[13px]">
                <Icon aria-hidden className={cn('mt-0.5 size-4 shrink-0', kind.tone)} />
                <div className="min-w-0 flex-1">
                  <p className={cn('break-words', item.kind === 'nack' && 'text-red-800 dark:text-red-300')}>
                    <span className="sr-only">{kind.label}: </span>
                    {item.message}
                    {/* A storm's message already counts its proxies; a repeated NACK's count is shown here. */}
                    {item.count && item.kind === 'nack' ? (
                      <span data-testid="activity-count" className="ml-1.5 rounded bg-surface-muted px-1 font-mono text-xs text-fg-muted" title={countTitle(item)}>
                        ×{item.count}
                      </span>
                    ) : null}
                  </p>
                  <p className="mt-0.5 text-xs text-fg-subtle">
                    <RelativeTime iso={item.at} />
                    {item.fleet && !fleet ? (
                      <>
                        {' · '}
                        <Link href={sectionHref('overview', item.fleet)} className="font-mono hover:text-accent hover:underline">
                          {item.fleet}
                        </Link>
                      </>
                    ) : null}
                    {item.actor ? ` · ${item.actor}` : null}
                    {item.nodeId ? (
                      <>
                        {' · '}
                        <Link href={proxyHref(item.nodeId)} className="font-mono hover:text-accent hover:underline">
                          {item.nodeId}
                        </Link>
                      </>
                    ) : null}
                  </p>
                </div>
              </li>
            )
          })}
        </ol>
      )}
    </Panel>
  )
}
