import type { VersionSummary } from '@/server/contract'
import { ArrowDownToLine, GitCommitHorizontal, RotateCcw } from 'lucide-react'
import Link from 'next/link'
import { versionHref } from './compare-selection'
import { formatVersion } from './format-version'

/** How a version came to be: a commit of the draft, a rollback ("rollback of v3", linked), or an import. */
export function VersionOrigin({ version, fleet }: { version: Pick<VersionSummary, 'origin' | 'rollbackOf'>; fleet: string }) {
  const Icon = version.origin === 'ROLLBACK' ? RotateCcw : version.origin === 'IMPORT' ? ArrowDownToLine : GitCommitHorizontal
  return (
    <span data-testid="version-origin" data-origin={version.origin} className="inline-flex items-center gap-1.5 whitespace-nowrap text-fg-muted">
      <Icon aria-hidden className="size-3.5 text-fg-subtle" />
      {version.origin === 'ROLLBACK' ? (
        <span>
          rollback of{' '}
          {version.rollbackOf !== null ? (
            <Link href={versionHref(fleet, version.rollbackOf)} className="font-mono text-fg hover:underline">
              {formatVersion(version.rollbackOf)}
            </Link>
          ) : (
            '?'
          )}
        </span>
      ) : version.origin === 'IMPORT' ? (
        'import'
      ) : (
        'commit'
      )}
    </span>
  )
}
