import { FileDiff, RotateCcw } from 'lucide-react'
import Link from 'next/link'
import { Badge } from '../ui/badge'
import { Button } from '../ui/button'
import { cn } from '../ui/cn'
import { RelativeTime } from '../ui/relative-time'
import { Td } from '../ui/table'
import { ChangeCounts } from './change-counts'
import { versionDiffHref, versionHref } from './compare-selection'
import { ConvergenceCell } from './convergence-cell'
import { formatVersion } from './format-version'
import type { VersionListItem } from './queries'
import { VersionOrigin } from './version-origin'

type Props = Readonly<{
  fleet: string
  version: VersionListItem
  selected: boolean
  onToggleCompare: (number: number) => void
  /** Unset: no rollback button (the caller is a viewer of the fleet). */
  onRollback?: ((version: VersionListItem) => void) | undefined
}>

export function VersionHistoryRow({ fleet, version, selected, onToggleCompare, onRollback }: Props) {
  const v = formatVersion(version.number)
  return (
    <tr
      data-testid="version-row"
      data-version={version.number}
      data-active={version.active}
      data-selected={selected}
      className={cn(selected ? 'bg-accent-soft/60' : version.active ? 'bg-emerald-50/50 dark:bg-emerald-950/20' : 'hover:bg-surface-muted/50')}
    >
      <Td className="w-px pr-0">
        <input
          type="checkbox"
          checked={selected}
          onChange={() => onToggleCompare(version.number)}
          aria-label={`Compare ${v}`}
          data-testid="compare-checkbox"
          className="size-3.5 cursor-pointer rounded accent-accent"
        />
      </Td>
      <Td className="whitespace-nowrap">
        <Link href={versionHref(fleet, version.number)} className="font-mono font-semibold hover:underline" data-testid="version-link">
          {v}
        </Link>
        {version.active ? (
          <Badge tone="success" className="ml-2" data-testid="version-active-badge">
            active
          </Badge>
        ) : null}
      </Td>
      <Td className="max-w-80 min-w-40">
        <span className="line-clamp-2" title={version.message}>
          {version.message}
        </span>
      </Td>
      <Td className="hidden whitespace-nowrap text-fg-muted md:table-cell">{version.author}</Td>
      <Td className="whitespace-nowrap text-fg-muted">
        <RelativeTime iso={version.createdAt} />
      </Td>
      <Td>
        <VersionOrigin version={version} fleet={fleet} />
      </Td>
      <Td>
        <ChangeCounts counts={version.changes} />
      </Td>
      <Td className="hidden text-right font-mono text-fg-muted tabular-nums md:table-cell">{version.resourceCount}</Td>
      <Td>
        <ConvergenceCell convergence={version.convergence} active={version.active} />
      </Td>
      <Td className="w-px">
        <div className="flex items-center justify-end gap-1.5">
          {version.parent !== null ? (
            <Link
              href={versionDiffHref(fleet, version.parent, version.number)}
              className="rounded p-1 text-fg-subtle hover:bg-surface-muted hover:text-fg"
              title={`What ${v} changed (diff from ${formatVersion(version.parent)})`}
              aria-label={`Diff ${formatVersion(version.parent)} → ${v}`}
              data-testid="diff-parent-link"
            >
              <FileDiff aria-hidden className="size-4" />
            </Link>
          ) : null}
          {version.active ? (
            <span className="w-[5.6rem] text-center text-xs whitespace-nowrap text-fg-subtle">serving</span>
          ) : !onRollback ? null : (
            <Button size="sm" data-testid="rollback-button" onClick={() => onRollback(version)} aria-label={`Roll back to ${v}`} className="w-[5.6rem]">
              <RotateCcw aria-hidden className="size-3.5" />
              Roll back
            </Button>
          )}
        </div>
      </Td>
    </tr>
  )
}
