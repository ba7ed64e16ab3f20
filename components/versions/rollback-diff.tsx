'use client'

import { useQuery } from '@tanstack/react-query'
import { DiffViewToggle } from '../diff/diff-view-toggle'
import { ResourceChangeList } from '../diff/resource-change-list'
import { useDiffViewFormat } from '../diff/use-diff-view-format'
import { ErrorNotice } from '../ui/error-notice'
import { ChangeCounts } from './change-counts'
import { formatVersion } from './format-version'
import { versionQueries } from './queries'

/** What the rollback will change: the diff from the active version to the target. */
export function RollbackDiff({ fleet, from, to }: { fleet: string; from: number; to: number }) {
  const { data: diff, error, refetch } = useQuery(versionQueries.diff(fleet, from, to))
  const [format, setFormat] = useDiffViewFormat()
  return (
    <section aria-label="Changes" data-testid="rollback-diff" data-state={diff ? 'ready' : error ? 'error' : 'loading'}>
      <div className="mb-2 flex flex-wrap items-center justify-between gap-x-3 gap-y-1.5">
        <h3 className="text-xs font-medium text-fg-muted">
          Changes from {formatVersion(from)} (active) to {formatVersion(to)}
        </h3>
        <div className="flex items-center gap-3">
          {diff ? <ChangeCounts counts={diff.counts} /> : null}
          {diff && diff.changes.length > 0 ? <DiffViewToggle value={format} onChange={setFormat} /> : null}
        </div>
      </div>
      {error ? (
        <ErrorNotice title="Could not load the differences" error={error} onRetry={() => void refetch()} />
      ) : !diff ? (
        <p className="rounded-md border border-dashed border-line px-3 py-6 text-center text-sm text-fg-subtle">Loading the differences…</p>
      ) : (
        <ResourceChangeList
          changes={diff.changes}
          format={format}
          empty={
            <p className="rounded-md border border-dashed border-line px-3 py-6 text-center text-sm text-fg-muted" data-testid="rollback-no-changes">
              {formatVersion(to)} has the same content as the active version; there is nothing to roll back.
            </p>
          }
        />
      )}
    </section>
  )
}
