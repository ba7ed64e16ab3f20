import type { SnapshotStatus } from '@/server/contract'
import { TriangleAlert } from 'lucide-react'
import { RelativeTime } from '../ui/relative-time'
import { IssueList } from '../ui/issue-list'
import { formatVersion } from './format-version'

/**
 * Shown when this replica refused to serve a version over xDS (its snapshot could not be built: a
 * reference missing, a resource protobuf cannot encode): the proxies keep the last good snapshot
 * (STYLE §5.5, Istio's "stick with previous version").
 */
export function ServingBanner({ serving }: { serving: SnapshotStatus }) {
  const rejected = serving.rejected
  if (!rejected) return null
  return (
    <div role="alert" data-testid="serving-rejected" data-version={rejected.version} className="flex items-start gap-3 rounded-lg border border-amber-300 bg-amber-50 px-4 py-3 text-sm text-amber-900 dark:border-amber-800 dark:bg-amber-950/60 dark:text-amber-100">
      <TriangleAlert aria-hidden className="mt-0.5 size-4 shrink-0" />
      <div className="min-w-0 flex-1">
        <p className="font-medium">
          {formatVersion(rejected.version)} is not served: its xDS snapshot failed the snapshot checks <RelativeTime iso={rejected.at} className="font-normal" />
        </p>
        <p className="mt-0.5 text-amber-800 dark:text-amber-200">
          The proxies keep {serving.servingVersion !== null ? formatVersion(serving.servingVersion) : 'their last good config'}. Fix the problems and commit again, or roll back.
        </p>
        <IssueList issues={rejected.issues} />
      </div>
    </div>
  )
}
