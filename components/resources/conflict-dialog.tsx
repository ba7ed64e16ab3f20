'use client'

import { useQuery } from '@tanstack/react-query'
import { createTwoFilesPatch } from 'diff'
import { Copy, LoaderCircle } from 'lucide-react'
import { Dialog } from 'radix-ui'
import { useState } from 'react'
import type { DraftResourceView, ResourceJson } from '@/server/contract'
import { ApiError } from '../api'
import { PatchView } from '../diff/patch-view'
import { formatResource } from '../editor/parse-text'
import { Button } from '../ui/button'
import { ErrorNotice } from '../ui/error-notice'
import { RelativeTime } from '../ui/relative-time'
import { KIND_INFO, type ResourceKind } from './kinds'
import { draftQueries } from './queries'

type Props = Readonly<{
  fleet: string
  kind: ResourceKind
  name: string
  /** What this browser wants to save, as shown (secrets redacted). */
  mine: ResourceJson
  /** How a resource is shown (secrets: key material hidden). */
  display: (resource: ResourceJson) => ResourceJson
  pending: boolean
  onOverwrite: (theirs: DraftResourceView) => void
  onRecreate: () => void
  onLoadTheirs: (theirs: DraftResourceView) => void
  onClose: () => void
}>

/**
 * A save was refused with 409 DRAFT.CONFLICT: someone changed the resource after it was loaded.
 * Shows their version against this one, and lets the user keep theirs, overwrite it with theirs
 * in view, or go back to editing. Nothing typed is dropped unless "Load theirs" is chosen.
 */
export function ConflictDialog({ fleet, kind, name, mine, display, pending, onOverwrite, onRecreate, onLoadTheirs, onClose }: Props) {
  const theirs = useQuery({ ...draftQueries.resource(fleet, kind, name), staleTime: 0, refetchOnMount: 'always' })
  const [copied, setCopied] = useState(false)
  const deleted = theirs.error instanceof ApiError && theirs.error.code === 'RESOURCE.NOT_FOUND'
  const mineYaml = formatResource(mine, 'yaml')
  const patch = theirs.data ? createTwoFilesPatch(`theirs (r${theirs.data.revision})`, 'yours', formatResource(display(theirs.data.resource), 'yaml'), mineYaml, '', '', { context: 3 }) : ''
  const singular = KIND_INFO[kind].singular

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
                  still here; choose which version to keep.
                </>
              ) : (
                'Loading their version…'
              )}
            </Dialog.Description>
          </div>
          <div className="min-h-0 flex-1 space-y-3 overflow-y-auto px-5 py-4">
            {theirs.error && !deleted ? <ErrorNotice title="Could not load their version" error={theirs.error} onRetry={() => void theirs.refetch()} /> : null}
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
