'use client'

import { useInfiniteQuery, useQuery } from '@tanstack/react-query'
import { SearchX } from 'lucide-react'
import Link from 'next/link'
import { useState } from 'react'
import { ApiError } from '../api'
import { useCan } from '../auth/use-can'
import { useLiveStatus } from '../live/live-status-context'
import { useLiveEvent } from '../live/use-live-event'
import { Badge } from '../ui/badge'
import { EmptyState } from '../ui/empty-state'
import { ErrorNotice } from '../ui/error-notice'
import { RelativeTime } from '../ui/relative-time'
import { FleetPageHeader } from './fleet-page-header'
import { formatVersion } from './format-version'
import { versionQueries, type FleetStatus, type VersionListItem } from './queries'
import { RollbackDialog } from './rollback-dialog'
import { RolloutPanel } from './rollout-panel'
import { ServingBanner } from './serving-banner'
import { VersionHistoryTable } from './version-history-table'

function FleetNotFound({ fleet }: { fleet: string }) {
  return (
    <EmptyState icon={SearchX} title={`No fleet named “${fleet}”`} data-testid="fleet-not-found">
      <p>
        It may have been deleted or renamed.{' '}
        <Link href="/" className="text-accent underline-offset-2 hover:underline">
          See all fleets
        </Link>
        .
      </p>
    </EmptyState>
  )
}

/** Active version, what xDS serves, and the draft, in one line under the title (wrapping between items). */
function FleetStatusLine({ status }: { status: FleetStatus }) {
  const { serving } = status
  // Separators from sm up; on a phone the items wrap onto lines of their own.
  const item = 'inline-flex items-center gap-1.5 sm:border-l sm:border-line sm:pl-3 sm:first:border-l-0 sm:first:pl-0'
  return (
    <span className="flex flex-wrap items-center gap-x-3 gap-y-1" data-testid="fleet-status">
      <span className={item}>
        Active <span className="font-mono font-medium text-fg">{status.activeVersion ? formatVersion(status.activeVersion.number) : 'none'}</span>
      </span>
      {serving.servingVersion !== null ? (
        <span className={item} data-testid="fleet-serving" data-version={serving.servingVersion}>
          xDS serves <span className="font-mono font-medium text-fg">{formatVersion(serving.servingVersion)}</span>
          {serving.servingSince ? (
            <span>
              since <RelativeTime iso={serving.servingSince} />
            </span>
          ) : null}
        </span>
      ) : null}
      <span className={item}>
        Draft <span className="font-mono text-fg">r{status.draftRevision}</span>
        {status.pendingChanges === 0 ? (
          <span className="text-fg-subtle">in sync</span>
        ) : (
          <Badge tone="warning" data-testid="fleet-pending" data-count={status.pendingChanges}>
            {status.pendingChanges} pending
          </Badge>
        )}
      </span>
    </span>
  )
}

/**
 * /fleets/{fleet}/versions: the history with convergence, comparisons, rollbacks, and the live
 * rollout of whatever version becomes active while the page is open.
 */
export function VersionsPage({ fleet, follow }: { fleet: string; follow?: number }) {
  const status = useQuery(versionQueries.fleetStatus(fleet))
  const history = useInfiniteQuery(versionQueries.history(fleet))
  // The version whose rollout the panel follows: `?follow=<n>` (a commit or rollback made on another
  // page), a rollback made here or from the panel, or the newest version of the fleet (an event).
  const [followed, setFollowed] = useState<number | null>(follow ?? null)
  const [rollbackTarget, setRollbackTarget] = useState<VersionListItem | null>(null)
  // Rolling back needs the editor role on the fleet; a viewer sees the history without the buttons.
  const canRollBack = useCan('editor', fleet)

  // The tab's event feed refreshes the history, the fleet's status and its proxies by itself
  // (components/live/affected-queries.ts); the page only follows every new version of its fleet,
  // made here or anywhere else. The refetched history tells the version's parent.
  const feed = useLiveStatus()
  useLiveEvent('version.created', (event) => {
    if (event.fleet === fleet) setFollowed(event.version)
  })

  const versions = history.data?.pages.flat()
  const active = versions?.find((v) => v.active)
  const latest = versions?.[0]?.number ?? 0
  // What the history says of the followed version (origin, parent), once it shows it.
  const followedSummary = followed === null ? undefined : versions?.find((v) => v.number === followed)

  if (status.error instanceof ApiError && status.error.code === 'FLEET.NOT_FOUND') {
    return (
      <>
        <FleetPageHeader fleet={fleet} crumbs={[{ label: 'Versions' }]} title="Versions" />
        <div className="rounded-lg border border-line bg-surface">
          <FleetNotFound fleet={fleet} />
        </div>
      </>
    )
  }

  return (
    <>
      <FleetPageHeader
        fleet={fleet}
        crumbs={[{ label: 'Versions' }]}
        title={
          <>
            Versions of <span className="font-mono">{fleet}</span>
          </>
        }
        description={status.data ? <FleetStatusLine status={status.data} /> : 'Every commit and rollback is an immutable, numbered version; the active one is what the proxies are served.'}
      />
      <div className="space-y-4" data-testid="versions-page" data-feed={feed}>
        {status.error && !status.data ? <ErrorNotice title={`Could not load the fleet ${fleet}`} error={status.error} onRetry={() => void status.refetch()} /> : null}
        {status.data ? <ServingBanner serving={status.data.serving} /> : null}
        {followed !== null ? <RolloutPanel key={followed} fleet={fleet} version={followed} summary={followedSummary} onFollow={setFollowed} onDismiss={() => setFollowed(null)} /> : null}
        <VersionHistoryTable
          fleet={fleet}
          versions={versions}
          error={history.error}
          onRetry={() => void history.refetch()}
          hasOlder={history.hasNextPage}
          loadingOlder={history.isFetchingNextPage}
          onLoadOlder={() => void history.fetchNextPage()}
          onRollback={canRollBack ? setRollbackTarget : undefined}
        />
      </div>
      {rollbackTarget && status.data && canRollBack ? (
        <RollbackDialog
          fleet={status.data}
          target={rollbackTarget}
          active={active}
          nextNumber={latest + 1}
          onClose={() => setRollbackTarget(null)}
          onRolledBack={(created) => setFollowed(created.number)}
        />
      ) : null}
    </>
  )
}
