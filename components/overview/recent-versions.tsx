'use client'

import { useQuery } from '@tanstack/react-query'
import { ArrowRight } from 'lucide-react'
import Link from 'next/link'
import { sectionHref } from '../shell/fleet-href'
import { Badge } from '../ui/badge'
import { cn } from '../ui/cn'
import { ErrorNotice } from '../ui/error-notice'
import { Panel } from '../ui/panel'
import { RelativeTime } from '../ui/relative-time'
import { formatVersion } from '../versions/format-version'
import { versionQueries } from '../versions/queries'

const SHOWN = 6

/** The newest versions of one fleet, read-only; comparing and rolling back happen on the Versions page. */
export function RecentVersions({ fleet }: { fleet: string }) {
  const { data: versions, error, refetch } = useQuery(versionQueries.list(fleet))
  const all = (
    <Link href={sectionHref('versions', fleet)} className="inline-flex items-center gap-1 text-xs font-medium text-accent hover:underline" data-testid="all-versions-link">
      All versions
      <ArrowRight aria-hidden className="size-3" />
    </Link>
  )
  return (
    <Panel
      title={
        <>
          Latest versions of <span className="font-mono">{fleet}</span>
        </>
      }
      actions={all}
      data-testid="versions-panel"
    >
      {error && !versions ? (
        <ErrorNotice className="m-4" title={`Could not load the versions of ${fleet}`} error={error} onRetry={() => void refetch()} />
      ) : !versions ? (
        <p className="px-4 py-6 text-sm text-fg-subtle">Loading versions…</p>
      ) : versions.length === 0 ? (
        <p className="px-4 py-6 text-sm text-fg-muted" data-testid="versions-empty">
          Nothing committed yet.{' '}
          <Link href={sectionHref('resources', fleet)} className="text-accent hover:underline">
            Add resources
          </Link>{' '}
          to the draft and commit them to create version 1.
        </p>
      ) : (
        <ol className="divide-y divide-line">
          {versions.slice(0, SHOWN).map((v) => (
            <li key={v.number} data-testid="version-row" data-version={v.number} data-active={v.active} className={cn('flex items-baseline gap-3 px-4 py-2 text-[13px]', v.active && 'bg-emerald-50/50 dark:bg-emerald-950/20')}>
              <span className="w-10 shrink-0 font-mono font-semibold">{formatVersion(v.number)}</span>
              <span className="min-w-0 flex-1">
                <span className="block truncate" title={v.message}>
                  {v.message}
                </span>
                <span className="block text-xs text-fg-subtle">
                  {v.author} · <RelativeTime iso={v.createdAt} />
                  {v.origin === 'ROLLBACK' && v.rollbackOf !== null ? ` · rollback of ${formatVersion(v.rollbackOf)}` : v.origin === 'IMPORT' ? ' · import' : ''}
                </span>
              </span>
              {v.active ? (
                <Badge tone="success" data-testid="version-active-badge">
                  active
                </Badge>
              ) : null}
            </li>
          ))}
        </ol>
      )}
    </Panel>
  )
}
