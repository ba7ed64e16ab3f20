'use client'

import { useQuery } from '@tanstack/react-query'
import { ResourceChangeCard } from '../diff/resource-change-card'
import { ErrorNotice } from '../ui/error-notice'
import { ChangeCounts } from './change-counts'
import { formatVersion } from './format-version'
import { versionQueries } from './queries'

/** What the rollback will change: the diff from the active version to the target. */
export function RollbackDiff({ fleet, from, to }: { fleet: string; from: number; to: number }) {
  const { data: diff, error, refetch } = useQuery(versionQueries.diff(fleet, from, to))
  return (
    <section aria-label="Changes" data-testid="rollback-diff" data-state={diff ? 'ready' : error ? 'error' : 'loading'}>
      <div className="mb-2 flex items-center justify-between gap-3">
        <h3 className="text-xs font-medium text-fg-muted">
          Changes from {formatVersion(from)} (active) to {formatVersion(to)}
        </h3>
        {diff ? <ChangeCounts counts={diff.counts} /> : null}
      </div>
      {error ? (
        <ErrorNotice title="Could not load the differences" error={error} onRetry={() => void refetch()} />
      ) : !diff ? (
        <p className="rounded-md border border-dashed border-line px-3 py-6 text-center text-sm text-fg-subtle">Loading the differences…</p>
      ) : diff.changes.length === 0 ? (
        <p className="rounded-md border border-dashed border-line px-3 py-6 text-center text-sm text-fg-muted" data-testid="rollback-no-changes">
          {formatVersion(to)} has the same content as the active version; there is nothing to roll back.
        </p>
      ) : (
        <div className="space-y-2">
          {diff.changes.map((change) => (
            <ResourceChangeCard key={`${change.type}/${change.name}`} change={change} />
          ))}
        </div>
      )}
    </section>
  )
}
