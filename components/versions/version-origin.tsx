import type { VersionSummary } from '@/server/store/versions'
import { ArrowDownToLine, GitCommitHorizontal, RotateCcw } from 'lucide-react'

/** How a version came to be: a commit of the draft, a rollback to an older version, or an import. */
export function VersionOrigin({ version }: { version: Pick<VersionSummary, 'origin' | 'rollbackOf'> }) {
  const Icon = version.origin === 'ROLLBACK' ? RotateCcw : version.origin === 'IMPORT' ? ArrowDownToLine : GitCommitHorizontal
  const text = version.origin === 'ROLLBACK' ? `rollback of ${version.rollbackOf ?? '?'}` : version.origin === 'IMPORT' ? 'import' : 'commit'
  return (
    <span data-testid="version-origin" data-origin={version.origin} className="inline-flex items-center gap-1.5 whitespace-nowrap text-fg-muted">
      <Icon aria-hidden className="size-3.5 text-fg-subtle" />
      {text}
    </span>
  )
}
