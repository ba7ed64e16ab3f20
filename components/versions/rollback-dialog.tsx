'use client'

import { useQuery, useQueryClient } from '@tanstack/react-query'
import type { FleetSummary, VersionSummary } from '@/server/contract'
import { LoaderCircle, RotateCcw, TriangleAlert, X } from 'lucide-react'
import { useEffect, useId, useRef, useState } from 'react'
import { ApiError } from '../api'
import { fleetQueries } from '../fleets/queries'
import { Button } from '../ui/button'
import { ErrorNotice } from '../ui/error-notice'
import { useToast } from '../ui/toast-context'
import { formatVersion } from './format-version'
import { versionQueries } from './queries'
import { RollbackDiff } from './rollback-diff'
import { useRollbackVersion } from './use-rollback-version'

type Props = Readonly<{
  fleet: FleetSummary
  target: VersionSummary
  active: VersionSummary | undefined
  /** The number the rollback will get: versions only move forward. */
  nextNumber: number
  onClose: () => void
  /** After the server created the new version (the dialog closes itself). */
  onRolledBack?: (created: VersionSummary) => void
}>

function isDraftConflict(error: unknown): boolean {
  return error instanceof ApiError && error.code === 'DRAFT.CONFLICT'
}

/**
 * The draft moved after the dialog opened (409 DRAFT.CONFLICT on If-Match): rolling back would
 * discard changes the operator has not seen. Going on needs a second, explicit choice.
 */
function DraftConflict({ fleet, confirmed, onConfirmedChange, disabled }: { fleet: FleetSummary; confirmed: boolean; onConfirmedChange: (value: boolean) => void; disabled: boolean }) {
  return (
    <div role="alert" data-testid="rollback-conflict" className="rounded-md border border-red-300 bg-red-50 p-3 text-sm text-red-900 dark:border-red-900 dark:bg-red-950/60 dark:text-red-100">
      <p className="flex items-center gap-2 font-medium">
        <TriangleAlert aria-hidden className="size-4 shrink-0" />
        The draft of <span className="font-mono">{fleet.name}</span> changed while you were reviewing this rollback
      </p>
      <p className="mt-1 text-red-800 dark:text-red-200">
        Someone saved changes to the draft after this dialog opened
        {fleet.pendingChanges > 0 ? `; it now has ${fleet.pendingChanges} uncommitted change${fleet.pendingChanges === 1 ? '' : 's'}` : ''}. A rollback resets the draft, so those
        changes would be lost. Nothing was rolled back.
      </p>
      <label className="mt-2.5 flex items-start gap-2 font-medium">
        <input
          type="checkbox"
          checked={confirmed}
          disabled={disabled}
          onChange={(e) => onConfirmedChange(e.target.checked)}
          className="mt-0.5 size-3.5 accent-red-600"
          data-testid="rollback-conflict-confirm"
        />
        Discard every uncommitted change in the draft and roll back anyway
      </label>
    </div>
  )
}

export function RollbackDialog({ fleet, target, active, nextNumber, onClose, onRolledBack }: Props) {
  const dialogRef = useRef<HTMLDialogElement>(null)
  const cancelRef = useRef<HTMLButtonElement>(null)
  const titleId = useId()
  const [message, setMessage] = useState('')
  const [discardConfirmed, setDiscardConfirmed] = useState(false)
  // If-Match is the draft the operator saw when the dialog opened. The fleet prop is live (events
  // refresh it), so reading its revision at confirm time would wave through a change made meanwhile.
  const [seenDraftRevision] = useState(fleet.draftRevision)
  const toast = useToast()
  const queryClient = useQueryClient()
  const rollback = useRollbackVersion(fleet.name)
  // Same options as <RollbackDiff>, so this reads the one cached diff.
  const diff = useQuery({ ...versionQueries.diff(fleet.name, active?.number ?? 0, target.number), enabled: active !== undefined })
  const nothingToDo = diff.data !== undefined && diff.data.changes.length === 0
  const conflict = isDraftConflict(rollback.error)
  const canConfirm = !rollback.isPending && (active === undefined || (diff.isSuccess && !nothingToDo)) && (!conflict || discardConfirmed)

  useEffect(() => {
    const dialog = dialogRef.current
    if (dialog && !dialog.open) dialog.showModal()
    cancelRef.current?.focus()
  }, [])

  const confirm = (): void => {
    // After a conflict and the second confirmation, the operator chose to discard whatever the draft
    // holds: send no If-Match. Otherwise If-Match is the draft revision shown when the dialog opened.
    const draftRevision = conflict ? undefined : seenDraftRevision
    rollback.mutate(
      { number: target.number, message: message.trim() || undefined, draftRevision },
      {
        onSuccess: (created) => {
          toast({ tone: 'success', title: `${formatVersion(created.number)} is now active`, description: `${fleet.name} rolled back to the content of ${formatVersion(target.number)}.` })
          onRolledBack?.(created)
          dialogRef.current?.close()
        },
        onError: (error) => {
          setDiscardConfirmed(false)
          // Show the draft as it is now (pending changes) next to the conflict.
          if (isDraftConflict(error)) void queryClient.invalidateQueries({ queryKey: fleetQueries.all() })
        },
      },
    )
  }

  return (
    <dialog
      ref={dialogRef}
      aria-labelledby={titleId}
      data-testid="rollback-dialog"
      onClose={onClose}
      // Escape must not hide a request that is still running.
      onCancel={(e) => rollback.isPending && e.preventDefault()}
      className="m-auto max-h-[calc(100vh-4rem)] w-[min(60rem,calc(100vw-2rem))] flex-col overflow-hidden rounded-lg border border-line bg-surface p-0 text-fg shadow-2xl open:flex"
    >
      <header className="flex items-start justify-between gap-4 border-b border-line px-5 py-3.5">
        <div>
          <h2 id={titleId} className="text-base font-semibold">
            Roll back <span className="font-mono">{fleet.name}</span> to {formatVersion(target.number)}?
          </h2>
          <p className="mt-0.5 text-sm text-fg-muted">
            This creates {formatVersion(nextNumber)} with the content of {formatVersion(target.number)} (“{target.message}”) and makes it active; the fleet&apos;s proxies
            receive it at once. History is kept, and the draft is reset to the same content.
          </p>
        </div>
        <button type="button" onClick={() => dialogRef.current?.close()} disabled={rollback.isPending} className="rounded p-1 text-fg-subtle hover:bg-surface-muted hover:text-fg" aria-label="Close">
          <X aria-hidden className="size-4" />
        </button>
      </header>

      <div className="min-h-0 flex-1 space-y-4 overflow-y-auto px-5 py-4">
        {fleet.pendingChanges > 0 && !conflict ? (
          <p className="flex items-start gap-2 rounded-md border border-amber-200 bg-amber-50 px-3 py-2 text-sm text-amber-900 dark:border-amber-900 dark:bg-amber-950/60 dark:text-amber-200" data-testid="rollback-pending-warning">
            <TriangleAlert aria-hidden className="mt-0.5 size-4 shrink-0" />
            The draft has {fleet.pendingChanges} uncommitted change{fleet.pendingChanges === 1 ? '' : 's'}; rolling back replaces the draft and discards them.
          </p>
        ) : null}
        {conflict ? <DraftConflict fleet={fleet} confirmed={discardConfirmed} onConfirmedChange={setDiscardConfirmed} disabled={rollback.isPending} /> : null}
        {active ? <RollbackDiff fleet={fleet.name} from={active.number} to={target.number} /> : <p className="text-sm text-fg-muted">The fleet has no active version to compare with.</p>}
        <label className="block">
          <span className="text-xs font-medium text-fg-muted">Message (optional)</span>
          <input
            value={message}
            onChange={(e) => setMessage(e.target.value)}
            maxLength={2000}
            placeholder={`Roll back to version ${target.number}`}
            className="mt-1 block h-8 w-full rounded-md border border-line-strong bg-surface px-2.5 text-sm placeholder:text-fg-subtle focus-visible:outline-2 focus-visible:outline-offset-1 focus-visible:outline-accent"
            data-testid="rollback-message"
          />
        </label>
        {rollback.error && !conflict ? (
          <ErrorNotice title={rollback.error instanceof ApiError && rollback.error.code === 'VERSION.ALREADY_ACTIVE' ? 'Nothing to roll back' : 'The rollback was refused'} error={rollback.error} />
        ) : null}
      </div>

      <footer className="flex items-center justify-end gap-2 border-t border-line bg-surface-muted/40 px-5 py-3">
        <Button ref={cancelRef} onClick={() => dialogRef.current?.close()} disabled={rollback.isPending}>
          Cancel
        </Button>
        {conflict ? (
          <Button variant="danger" onClick={confirm} disabled={!canConfirm} data-testid="rollback-confirm" data-force="true">
            {rollback.isPending ? <LoaderCircle aria-hidden className="size-4 animate-spin" /> : <RotateCcw aria-hidden className="size-4" />}
            {rollback.isPending ? 'Rolling back…' : `Discard draft changes and roll back`}
          </Button>
        ) : (
          <Button variant="primary" onClick={confirm} disabled={!canConfirm} data-testid="rollback-confirm">
            {rollback.isPending ? <LoaderCircle aria-hidden className="size-4 animate-spin" /> : <RotateCcw aria-hidden className="size-4" />}
            {rollback.isPending ? 'Rolling back…' : `Roll back to ${formatVersion(target.number)}`}
          </Button>
        )}
      </footer>
    </dialog>
  )
}
