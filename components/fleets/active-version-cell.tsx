import type { VersionRef } from '@/server/contract'
import { RelativeTime } from '../ui/relative-time'
import { formatVersion } from '../versions/format-version'

export function ActiveVersionCell({ version }: { version: VersionRef | null }) {
  if (!version) {
    return (
      <span data-testid="fleet-active-version" data-version="" className="text-fg-subtle italic">
        nothing committed yet
      </span>
    )
  }
  return (
    <div data-testid="fleet-active-version" data-version={version.number} className="min-w-0">
      <div className="flex items-baseline gap-2">
        <span className="font-mono font-semibold">{formatVersion(version.number)}</span>
        <span className="truncate" title={version.message}>
          {version.message}
        </span>
      </div>
      <div className="text-xs text-fg-subtle">
        {version.author} · <RelativeTime iso={version.createdAt} />
      </div>
    </div>
  )
}
