'use client'

import { formatVersion } from './format-version'
import { useVersionDiff } from './version-diff-body'

/** What the rollback will change: the diff from the active version to the target. */
export function RollbackDiff({ fleet, from, to }: { fleet: string; from: number; to: number }) {
  const { state, summary, body } = useVersionDiff(fleet, from, to, {
    loadingClassName: 'rounded-md border border-dashed border-line',
    empty: (
      <p className="rounded-md border border-dashed border-line px-3 py-6 text-center text-sm text-fg-muted" data-testid="rollback-no-changes">
        {formatVersion(to)} has the same content as the active version; there is nothing to roll back.
      </p>
    ),
  })
  return (
    <section aria-label="Changes" data-testid="rollback-diff" data-state={state}>
      <div className="mb-2 flex flex-wrap items-center justify-between gap-x-3 gap-y-1.5">
        <h3 className="text-xs font-medium text-fg-muted">
          Changes from {formatVersion(from)} (active) to {formatVersion(to)}
        </h3>
        <div className="flex items-center gap-3">{summary}</div>
      </div>
      {body}
    </section>
  )
}
