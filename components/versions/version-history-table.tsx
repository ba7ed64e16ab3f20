'use client'

import { ArrowRight, ChevronDown, GitCompareArrows, LoaderCircle } from 'lucide-react'
import { useState } from 'react'
import { Button } from '../ui/button'
import { ErrorNotice } from '../ui/error-notice'
import { Panel } from '../ui/panel'
import { Table, TableBody, TableHead, Th } from '../ui/table'
import { compareRange, toggleCompareSelection, versionDiffHref } from './compare-selection'
import { formatVersion } from './format-version'
import { LinkButton } from './link-button'
import type { VersionListItem } from './queries'
import { VersionHistoryRow } from './version-history-row'
import { VersionsEmpty } from './versions-empty'

type Props = Readonly<{
  fleet: string
  /** Every page loaded so far, flattened; undefined until the first one arrives. */
  versions: VersionListItem[] | undefined
  error: unknown
  onRetry: () => void
  hasOlder: boolean
  loadingOlder: boolean
  onLoadOlder: () => void
  /** Unset: the caller may not roll back (a viewer of the fleet), and no row offers it. */
  onRollback?: ((version: VersionListItem) => void) | undefined
}>

/** The fleet's history, newest first, paged backwards; tick two versions to compare them. */
export function VersionHistoryTable({ fleet, versions, error, onRetry, hasOlder, loadingOlder, onLoadOlder, onRollback }: Props) {
  const [selected, setSelected] = useState<number[]>([])
  const range = compareRange(selected)

  const compare = (
    <div className="flex items-center gap-2" data-testid="compare-bar">
      <span className="hidden text-xs text-fg-subtle sm:inline">{selected.length === 0 ? 'Tick two versions to compare them' : selected.length === 1 ? `${formatVersion(selected[0]!)} and…` : null}</span>
      {selected.length > 0 ? (
        <Button size="sm" variant="ghost" onClick={() => setSelected([])}>
          Clear
        </Button>
      ) : null}
      {range ? (
        <LinkButton size="sm" href={versionDiffHref(fleet, range.from, range.to)} data-testid="compare-link" className="border-accent/40 text-accent">
          <GitCompareArrows aria-hidden className="size-3.5" />
          Compare {formatVersion(range.from)} <ArrowRight aria-hidden className="size-3" /> {formatVersion(range.to)}
        </LinkButton>
      ) : (
        <Button size="sm" disabled>
          <GitCompareArrows aria-hidden className="size-3.5" />
          Compare
        </Button>
      )}
    </div>
  )

  return (
    <Panel
      title="History"
      description={versions && versions.length > 0 ? `${versions.length} version${versions.length === 1 ? '' : 's'} shown, newest first · rolling back adds a new version with older content` : undefined}
      actions={versions && versions.length > 1 ? compare : undefined}
      data-testid="versions-panel"
    >
      {error && !versions ? (
        <ErrorNotice className="m-4" title={`Could not load the versions of ${fleet}`} error={error} onRetry={onRetry} />
      ) : !versions ? (
        <p className="px-4 py-6 text-sm text-fg-subtle">Loading versions…</p>
      ) : versions.length === 0 ? (
        <VersionsEmpty fleet={fleet} />
      ) : (
        <>
          <Table>
            <TableHead>
              <tr>
                <Th className="w-px pr-0">
                  <span className="sr-only">Compare</span>
                </Th>
                <Th>Version</Th>
                <Th>Message</Th>
                <Th className="hidden md:table-cell">Author</Th>
                <Th>Created</Th>
                <Th>Origin</Th>
                <Th>Changes</Th>
                <Th className="hidden text-right md:table-cell">Resources</Th>
                <Th className="max-md:sticky max-md:right-0 max-md:z-[2] max-md:bg-surface-muted max-md:shadow-[inset_1px_0_0_var(--color-line)]">Proxies on it</Th>
                <Th>
                  <span className="sr-only">Actions</span>
                </Th>
              </tr>
            </TableHead>
            <TableBody>
              {versions.map((version) => (
                <VersionHistoryRow
                  key={version.number}
                  fleet={fleet}
                  version={version}
                  selected={selected.includes(version.number)}
                  onToggleCompare={(n) => setSelected((s) => toggleCompareSelection(s, n))}
                  onRollback={onRollback}
                />
              ))}
            </TableBody>
          </Table>
          <footer className="flex items-center justify-center border-t border-line px-4 py-2.5 text-xs text-fg-subtle">
            {hasOlder ? (
              <Button size="sm" variant="ghost" onClick={onLoadOlder} disabled={loadingOlder} data-testid="load-older">
                {loadingOlder ? <LoaderCircle aria-hidden className="size-3.5 animate-spin" /> : <ChevronDown aria-hidden className="size-3.5" />}
                {loadingOlder ? 'Loading…' : `Older than ${formatVersion(versions.at(-1)!.number)}`}
              </Button>
            ) : (
              <span data-testid="history-start">{versions.at(-1)!.number === 1 ? 'v1 is the first version of this fleet' : 'No older versions'}</span>
            )}
          </footer>
        </>
      )}
    </Panel>
  )
}
