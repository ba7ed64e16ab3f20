'use client'

import { useQuery, useQueryClient } from '@tanstack/react-query'
import type { DraftDiff, FleetSummary, VersionSummary } from '@/server/contract'
import { LoaderCircle, RotateCcw, TriangleAlert, X } from 'lucide-react'
import { useEffect, useId, useRef, useState } from 'react'
import { ApiError } from '../api'
import { fleetQueries } from '../fleets/queries'
import { draftQueries } from '../resources/queries'
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

/**
 * Refusals that mean "the draft is not the one you reviewed": it moved after the dialog showed it
 * (409 DRAFT.CONFLICT on If-Match), or (should the dialog ever send no If-Match) it has pending
 * changes nobody agreed to discard (409 DRAFT.PENDING_CHANGES).
 */
function isDraftRefusal(error: unknown): boolean {
  return error instanceof ApiError && (error.code === 'DRAFT.CONFLICT' || error.code === 'DRAFT.PENDING_CHANGES')
}

const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`

/**
 * The draft's uncommitted changes, as shown when the dialog loaded them: a rollback resets the draft,
 * so the operator must tick that these are to be discarded. The rollback then carries If-Match of
 * exactly this draft revision (#16 item 5): an edit saved meanwhile is refused, never lost.
 */
function PendingDraftChanges({ draft, confirmed, onConfirmedChange, disabled }: { draft: DraftDiff; confirmed: boolean; onConfirmedChange: (value: boolean) => void; disabled: boolean }) {
  const count = draft.changes.length
  return (
    <section
      aria-label="Uncommitted draft changes"
      data-testid="rollback-pending"
      data-revision={draft.draftRevision}
      data-count={count}
      className="rounded-md border border-amber-200 bg-amber-50 p-3 text-sm text-amber-900 dark:border-amber-900 dark:bg-amber-950/60 dark:text-amber-100"
    >
      <p className="flex items-start gap-2 font-medium" data-testid="rollback-pending-warning">
        <TriangleAlert aria-hidden className="mt-0.5 size-4 shrink-0" />
        The draft has {plural(count, 'uncommitted change')}; rolling back replaces the draft and discards {count === 1 ? 'it' : 'them'}:
      </p>
      <ul className="mt-2 max-h-40 space-y-0.5 overflow-y-auto pl-6">
        {draft.changes.map((c) => (
          <li key={`${c.type}/${c.name}`} data-testid="rollback-pending-change" data-type={c.type} data-name={c.name} data-change={c.change} className="flex items-baseline gap-2">
            <span className="w-16 shrink-0 text-xs uppercase tracking-wide opacity-80">{c.change}</span>
            <span className="text-xs opacity-80">{c.type}</span>
            <span className="min-w-0 truncate font-mono">{c.name}</span>
          </li>
        ))}
      </ul>
      <label className="mt-2.5 flex items-start gap-2 font-medium">
        <input
          type="checkbox"
          checked={confirmed}
          disabled={disabled}
          onChange={(e) => onConfirmedChange(e.target.checked)}
          className="mt-0.5 size-3.5 accent-red-600"
          data-testid="rollback-discard-confirm"
        />
        Discard {count === 1 ? 'this change' : `these ${count} changes`} and roll back
      </label>
    </section>
  )
}

/** The draft moved after the dialog showed it; the list below is the draft as it is now. */
function DraftConflict({ fleet }: { fleet: string }) {
  return (
    <div role="alert" data-testid="rollback-conflict" className="rounded-md border border-red-300 bg-red-50 p-3 text-sm text-red-900 dark:border-red-900 dark:bg-red-950/60 dark:text-red-100">
      <p className="flex items-center gap-2 font-medium">
        <TriangleAlert aria-hidden className="size-4 shrink-0" />
        The draft of <span className="font-mono">{fleet}</span> changed while you were reviewing this rollback
      </p>
      <p className="mt-1 text-red-800 dark:text-red-200">Someone saved changes to the draft after this dialog opened. Nothing was rolled back. Review the draft as it is now before you go on.</p>
    </div>
  )
}

export function RollbackDialog({ fleet, target, active, nextNumber, onClose, onRolledBack }: Props) {
  const dialogRef = useRef<HTMLDialogElement>(null)
  const cancelRef = useRef<HTMLButtonElement>(null)
  const titleId = useId()
  const [message, setMessage] = useState('')
  // Which draft revision the operator agreed to discard (null: not ticked). Tied to the revision, so
  // a reloaded draft needs a fresh tick.
  const [discardRevision, setDiscardRevision] = useState<number | null>(null)
  const toast = useToast()
  const queryClient = useQueryClient()
  const rollback = useRollbackVersion(fleet.name)
  // Same options as <RollbackDiff>, so this reads the one cached diff.
  const diff = useQuery({ ...versionQueries.diff(fleet.name, active?.number ?? 0, target.number), enabled: active !== undefined })
  // The draft as the dialog shows it, loaded when it opens. It is not refreshed by the live feed
  // (draftQueries.diff), so what was ticked is what is sent; a refusal reloads it.
  const draft = useQuery({ ...draftQueries.diff(fleet.name), refetchOnMount: 'always' })
  const shown = draft.isFetching ? undefined : draft.data
  const pending = shown?.changes ?? []
  const nothingToDo = diff.data !== undefined && diff.data.changes.length === 0
  const conflict = isDraftRefusal(rollback.error)
  const discardConfirmed = shown !== undefined && discardRevision === shown.draftRevision
  const canConfirm = !rollback.isPending && shown !== undefined && (active === undefined || (diff.isSuccess && !nothingToDo)) && (pending.length === 0 || discardConfirmed)

  useEffect(() => {
    const dialog = dialogRef.current
    if (dialog && !dialog.open) dialog.showModal()
    cancelRef.current?.focus()
  }, [])

  const confirm = (): void => {
    if (!shown) return
    // If-Match is the draft revision whose changes the dialog showed (and the operator ticked): the
    // server refuses (409 DRAFT.CONFLICT) if anything was saved since, instead of discarding it.
    rollback.mutate(
      { number: target.number, message: message.trim() || undefined, draftRevision: shown.draftRevision },
      {
        onSuccess: (created) => {
          toast({ tone: 'success', title: `${formatVersion(created.number)} is now active`, description: `${fleet.name} rolled back to the content of ${formatVersion(target.number)}.` })
          onRolledBack?.(created)
          dialogRef.current?.close()
        },
        onError: (error) => {
          setDiscardRevision(null)
          // Show the draft as it is now next to the refusal.
          if (isDraftRefusal(error)) {
            void draft.refetch()
            void queryClient.invalidateQueries({ queryKey: fleetQueries.all() })
          }
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
        {conflict ? <DraftConflict fleet={fleet.name} /> : null}
        {draft.isError ? (
          <ErrorNotice title="Could not load the draft" error={draft.error} onRetry={() => void draft.refetch()} />
        ) : shown === undefined ? (
          <p className="flex items-center gap-2 text-sm text-fg-muted" data-testid="rollback-pending-loading">
            <LoaderCircle aria-hidden className="size-4 animate-spin" /> Checking the draft for uncommitted changes…
          </p>
        ) : pending.length > 0 ? (
          <PendingDraftChanges draft={shown} confirmed={discardConfirmed} onConfirmedChange={(on) => setDiscardRevision(on ? shown.draftRevision : null)} disabled={rollback.isPending} />
        ) : null}
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
        <Button variant={pending.length > 0 ? 'danger' : 'primary'} onClick={confirm} disabled={!canConfirm} data-testid="rollback-confirm" data-discard={pending.length > 0 ? 'true' : 'false'}>
          {rollback.isPending ? <LoaderCircle aria-hidden className="size-4 animate-spin" /> : <RotateCcw aria-hidden className="size-4" />}
          {rollback.isPending ? 'Rolling back…' : pending.length > 0 ? `Discard ${plural(pending.length, 'change')} and roll back` : `Roll back to ${formatVersion(target.number)}`}
        </Button>
      </footer>
    </dialog>
  )
}
