'use client'

import { useQuery } from '@tanstack/react-query'
import { CircleX, Download, GitCommitVertical, Layers, type LucideIcon, PencilLine, Plug, RotateCcw, ShieldX, Unplug } from 'lucide-react'
import Link from 'next/link'
import { proxyHref } from '../proxies/filters'
import { sectionHref } from '../shell/fleet-href'
import { cn } from '../ui/cn'
import { ErrorNotice } from '../ui/error-notice'
import { Panel } from '../ui/panel'
import { RelativeTime } from '../ui/relative-time'
import { activityQueries, OVERVIEW_ACTIVITY_LIMIT, type ActivityKind } from './queries'

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

/** What happened lately across the fleets (or one fleet): changes people made and what proxies did. */
export function RecentActivity({ fleet }: { fleet: string | null }) {
  const { data: items, error, refetch } = useQuery(activityQueries.list(fleet, OVERVIEW_ACTIVITY_LIMIT))
  return (
    <Panel title="Recent activity" description={fleet ? <>in <span className="font-mono">{fleet}</span>, newest first</> : 'all fleets, newest first'} data-testid="activity-panel">
      {error && !items ? (
        <ErrorNotice className="m-4" title="Could not load the recent activity" error={error} onRetry={() => void refetch()} />
      ) : !items ? (
        <p className="px-4 py-6 text-sm text-fg-subtle">Loading activity…</p>
      ) : items.length === 0 ? (
        <p className="px-4 py-6 text-sm text-fg-muted">Nothing has happened yet. Commits, rollbacks, draft edits and proxies connecting or rejecting config show up here.</p>
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
