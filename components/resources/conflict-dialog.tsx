'use client'

import { useQuery } from '@tanstack/react-query'
import { createTwoFilesPatch } from 'diff'
import { Copy, GitMerge, LoaderCircle } from 'lucide-react'
import { Dialog } from 'radix-ui'
import { useMemo, useState } from 'react'
import type { DraftResourceView, ResourceJson } from '@/server/contract'
import { ApiError } from '../api'
import { PatchView } from '../diff/patch-view'
import { formatResource } from '../editor/parse-text'
import { Button } from '../ui/button'
import { ErrorNotice } from '../ui/error-notice'
import { RelativeTime } from '../ui/relative-time'
import { KIND_INFO, type ResourceKind } from './kinds'
import { draftQueries } from './queries'
import { mergeThreeWay, type MergeConflict, type MergeResult } from './three-way-merge'

type Props = Readonly<{
  fleet: string
  kind: ResourceKind
  name: string
  /** What this browser wants to save, as shown (secrets redacted). */
  mine: ResourceJson
  /** The revision the edit started from, as shown; null when not known here (no three-way merge then). */
  base: ResourceJson | null
  /** How a resource is shown (secrets: key material hidden). */
  display: (resource: ResourceJson) => ResourceJson
  pending: boolean
  onOverwrite: (theirs: DraftResourceView) => void
  onRecreate: () => void
  onLoadTheirs: (theirs: DraftResourceView) => void
  /** Saves the three-way merge over their revision (If-Match of theirs). */
  onSaveMerged: (merged: ResourceJson, theirs: DraftResourceView) => void
  onClose: () => void
}>

function shortValue(value: unknown): string {
  if (value === undefined) return 'removed'
  const text = JSON.stringify(value)
  return text.length > 60 ? `${text.slice(0, 59)}…` : text
}

function ConflictList({ conflicts }: { conflicts: readonly MergeConflict[] }) {
  return (
    <div className="rounded-md border border-amber-200 bg-amber-50 px-3 py-2 text-sm text-amber-900 dark:border-amber-900 dark:bg-amber-950/60 dark:text-amber-200" data-testid="merge-conflicts">
      <p className="font-medium">No automatic merge: you both changed {conflicts.length === 1 ? 'the same field' : `${conflicts.length} of the same fields`}.</p>
      <ul className="mt-1 space-y-0.5 text-xs">
        {conflicts.slice(0, 8).map((c) => (
          <li key={c.path} data-testid="merge-conflict" data-path={c.path}>
            <span className="font-mono">{c.path}</span>:{' '}
            {c.reason === 'list-lengths' ? 'you both changed this list, to different lengths' : `yours ${shortValue(c.mine)}, theirs ${shortValue(c.theirs)}`}
          </li>
        ))}
        {conflicts.length > 8 ? <li>… and {conflicts.length - 8} more</li> : null}
      </ul>
    </div>
  )
}

/**
 * A save was refused with 409 DRAFT.CONFLICT: someone changed the resource after it was loaded.
 * Shows their version against this one, and lets the user keep theirs, overwrite it with theirs
 * in view, or go back to editing. Nothing typed is dropped unless "Load theirs" is chosen.
 */
export function ConflictDialog({ fleet, kind, name, mine, base, display, pending, onOverwrite, onRecreate, onLoadTheirs, onSaveMerged, onClose }: Props) {
  const theirs = useQuery({ ...draftQueries.resource(fleet, kind, name), staleTime: 0, refetchOnMount: 'always' })
  const [copied, setCopied] = useState(false)
  const deleted = theirs.error instanceof ApiError && theirs.error.code === 'RESOURCE.NOT_FOUND'
  const mineYaml = formatResource(mine, 'yaml')
  const patch = theirs.data ? createTwoFilesPatch(`theirs (r${theirs.data.revision})`, 'yours', formatResource(display(theirs.data.resource), 'yaml'), mineYaml, '', '', { context: 3 }) : ''
  const singular = KIND_INFO[kind].singular
  // Their edit and this one, each against the revision this one started from (#15 "conflicts merge when they can").
  const merge: MergeResult | null = useMemo(() => (theirs.data && base ? mergeThreeWay(base, mine, display(theirs.data.resource)) : null), [theirs.data, base, mine, display])
  const theirsYaml = theirs.data ? formatResource(display(theirs.data.resource), 'yaml') : ''
  const mergedPatch = merge?.ok ? createTwoFilesPatch(`theirs (r${theirs.data?.revision ?? ''})`, 'merged', theirsYaml, formatResource(merge.merged, 'yaml'), '', '', { context: 3 }) : ''

  const copyMine = async (): Promise<void> => {
    try {
      await navigator.clipboard.writeText(mineYaml)
      setCopied(true)
    } catch {
      setCopied(false)
    }
  }

  return (
    <Dialog.Root open onOpenChange={(open) => !open && !pending && onClose()}>
      <Dialog.Portal>
        <Dialog.Overlay className="fixed inset-0 z-40 bg-zinc-950/50" />
        <Dialog.Content
          data-testid="conflict-dialog"
          className="fixed top-1/2 left-1/2 z-50 flex max-h-[calc(100vh-4rem)] w-[min(56rem,calc(100vw-2rem))] -translate-x-1/2 -translate-y-1/2 flex-col overflow-hidden rounded-lg border border-line bg-surface text-fg shadow-2xl"
        >
          <div className="border-b border-line px-5 py-3.5">
            <Dialog.Title className="text-base font-semibold">Someone else changed this {singular}</Dialog.Title>
            <Dialog.Description className="mt-1 text-sm text-fg-muted">
              {deleted ? (
                <>
                  <span className="font-mono">{name}</span> was deleted from the draft after you opened it. Your edits are still here.
                </>
              ) : theirs.data ? (
                <>
                  <span className="font-mono">{name}</span> is now at revision r{theirs.data.revision}, changed by <span className="font-medium text-fg">{theirs.data.updatedBy}</span> <RelativeTime iso={theirs.data.updatedAt} />. Your edits are
                  still here;{' '}
                  {merge?.ok ? 'you changed different fields, so both can be kept: save the merge below, or choose one version.' : 'choose which version to keep.'}
                </>
              ) : (
                'Loading their version…'
              )}
            </Dialog.Description>
          </div>
          <div className="min-h-0 flex-1 space-y-3 overflow-y-auto px-5 py-4">
            {theirs.error && !deleted ? <ErrorNotice title="Could not load their version" error={theirs.error} onRetry={() => void theirs.refetch()} /> : null}
            {merge?.ok ? (
              <div className="overflow-hidden rounded-md border border-line" data-testid="merge-result">
                <div className="flex items-center gap-1.5 border-b border-line bg-surface-muted/50 px-3 py-1.5 text-xs text-fg-muted">
                  <GitMerge aria-hidden className="size-3.5" />
                  Merged: their version (−) with your changes added (+)
                </div>
                <PatchView patch={mergedPatch} />
              </div>
            ) : null}
            {merge && !merge.ok ? <ConflictList conflicts={merge.conflicts} /> : null}
            {theirs.data && !base ? (
              <p className="text-xs text-fg-subtle" data-testid="merge-unavailable">
                {kind === 'secrets' ? 'Secrets are not merged: their key material is not shown here.' : 'No merge offered: the revision your edits started from is not known in this browser.'}
              </p>
            ) : null}
            {theirs.data ? (
              <div className="overflow-hidden rounded-md border border-line" data-testid="conflict-diff">
                <div className="border-b border-line bg-surface-muted/50 px-3 py-1.5 text-xs text-fg-muted">
                  Their version (−) against yours (+)
                </div>
                <PatchView patch={patch} />
              </div>
            ) : theirs.isPending ? (
              <p className="flex items-center gap-2 text-sm text-fg-subtle">
                <LoaderCircle aria-hidden className="size-4 animate-spin" /> Loading…
              </p>
            ) : null}
          </div>
          <div className="flex flex-wrap items-center justify-end gap-2 border-t border-line bg-surface-muted/40 px-5 py-3">
            <Button variant="ghost" onClick={() => void copyMine()} className="mr-auto">
              <Copy aria-hidden className="size-4" />
              {copied ? 'Copied as YAML' : 'Copy yours as YAML'}
            </Button>
            <Dialog.Close asChild>
              <Button autoFocus disabled={pending} data-testid="conflict-keep-editing">
                Keep editing
              </Button>
            </Dialog.Close>
            {theirs.data ? (
              <>
                <Button disabled={pending} onClick={() => onLoadTheirs(theirs.data)} data-testid="conflict-load-theirs">
                  Load theirs (discard yours)
                </Button>
                <Button variant="danger" disabled={pending} onClick={() => onOverwrite(theirs.data)} data-testid="conflict-overwrite">
                  {pending ? <LoaderCircle aria-hidden className="size-4 animate-spin" /> : null}
                  Overwrite with yours
                </Button>
                {merge?.ok ? (
                  <Button variant="primary" disabled={pending} onClick={() => onSaveMerged(merge.merged as ResourceJson, theirs.data)} data-testid="conflict-save-merged">
                    {pending ? <LoaderCircle aria-hidden className="size-4 animate-spin" /> : <GitMerge aria-hidden className="size-4" />}
                    Save merged
                  </Button>
                ) : null}
              </>
            ) : deleted ? (
              <Button variant="primary" disabled={pending} onClick={onRecreate} data-testid="conflict-recreate">
                Create it again with yours
              </Button>
            ) : null}
          </div>
        </Dialog.Content>
      </Dialog.Portal>
    </Dialog.Root>
  )
}
