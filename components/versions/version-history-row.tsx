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
import { ExpiryBadge } from './expiry-badge'
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

/**
 * Below md, the "Proxies on it" column sticks to the right edge of the table's scroller until the
 * row is scrolled to its end (then it sits before the actions, where it belongs). A sticky cell
 * needs a solid background, and a rule on its left to tell it from what passes under it.
 */
export const PINNED_CELL = 'max-md:sticky max-md:right-0 max-md:z-[1] max-md:bg-surface max-md:shadow-[inset_1px_0_0_var(--color-line)]'

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
        <ExpiryBadge version={version} />
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
      {/* On a phone the row scrolls sideways under this cell: how many proxies run the version stays in view (#15). */}
      <Td
        className={cn(
          PINNED_CELL,
          // The row's tint, solid: what scrolls under the cell must not show through.
          selected
            ? 'max-md:bg-[color-mix(in_srgb,var(--color-accent-soft)_60%,var(--color-surface))]'
            : version.active && 'max-md:bg-[color-mix(in_srgb,var(--color-emerald-50)_50%,var(--color-surface))] dark:max-md:bg-[color-mix(in_srgb,var(--color-emerald-950)_20%,var(--color-surface))]',
        )}
        data-testid="version-proxies-cell"
      >
        <ConvergenceCell convergence={version.convergence} />
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
