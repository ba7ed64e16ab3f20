'use client'

import { useInfiniteQuery, useQuery } from '@tanstack/react-query'
import type { VersionSummary } from '@/server/contract'
import { LoaderCircle } from 'lucide-react'
import { ErrorNotice } from '../ui/error-notice'
import { formatVersion } from './format-version'
import { versionQueries } from './queries'
import { RollbackDialog } from './rollback-dialog'

/**
 * The rollback dialog (rollback-dialog.tsx) for version `number` of `fleet`, from anywhere that
 * knows only the number (a NACK's "last accepted version"): it loads the fleet, the version and the
 * history's newest page (the active version, and the number the rollback will get) first, showing
 * progress or a failure where it was opened.
 */
export function VersionRollbackDialog({ fleet, number, onClose, onRolledBack }: { fleet: string; number: number; onClose: () => void; onRolledBack: (created: VersionSummary) => void }) {
  const status = useQuery(versionQueries.fleetStatus(fleet))
  const target = useQuery(versionQueries.detail(fleet, number))
  const history = useInfiniteQuery(versionQueries.history(fleet))
  const versions = history.data?.pages.flat()
  const latest = versions?.[0]?.number
  const error = status.error ?? target.error ?? history.error
  if (status.data && target.data && latest !== undefined) {
    return <RollbackDialog fleet={status.data} target={target.data} active={versions?.find((v) => v.active)} nextNumber={latest + 1} onClose={onClose} onRolledBack={onRolledBack} />
  }
  if (error) return <ErrorNotice className="w-full" title={`Could not prepare the rollback to ${formatVersion(number)}`} error={error} onRetry={() => void Promise.all([status.refetch(), target.refetch(), history.refetch()])} />
  return (
    <span className="inline-flex items-center gap-1.5 text-xs text-fg-muted" data-testid="rollback-loading">
      <LoaderCircle aria-hidden className="size-3.5 animate-spin" /> Loading {formatVersion(number)}…
    </span>
  )
}
