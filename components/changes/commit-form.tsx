'use client'

import { zodResolver } from '@hookform/resolvers/zod'
import { useMutation, useQueryClient } from '@tanstack/react-query'
import { GitCommitHorizontal, LoaderCircle } from 'lucide-react'
import { useId } from 'react'
import { useForm } from 'react-hook-form'
import { z } from 'zod'
import type { VersionSummary } from '@/server/contract'
import { ApiError } from '../api'
import { fleetQueries } from '../fleets/queries'
import { draftQueries } from '../resources/queries'
import { commitDraft } from '../resources/queries'
import { Button } from '../ui/button'
import { ErrorNotice } from '../ui/error-notice'
import { useToast } from '../ui/toast-context'
import { formatVersion } from '../versions/format-version'
import { versionQueries } from '../versions/queries'
import { ValidationProblems } from './validation-problems'

const CommitFormSchema = z.object({ message: z.string().trim().min(1, 'a commit needs a message: what changed, and why').max(2000, 'at most 2000 characters') })
type CommitFormValues = z.infer<typeof CommitFormSchema>

/**
 * Commits exactly the draft revision on screen (`If-Match`): if the draft moved while it was being
 * reviewed, the server refuses (409) and the reviewer reloads instead of committing unseen changes.
 */
export function CommitForm({ fleet, draftRevision, disabledReason, onReload, onCommitted }: { fleet: string; draftRevision: number; disabledReason: string | null; onReload: () => void; onCommitted: (version: VersionSummary) => void }) {
  const id = useId()
  const toast = useToast()
  const queryClient = useQueryClient()
  const form = useForm<CommitFormValues>({ resolver: zodResolver(CommitFormSchema), defaultValues: { message: '' } })
  const commit = useMutation({
    mutationFn: (values: CommitFormValues) => commitDraft(fleet, values.message, draftRevision),
    onSuccess: async (version) => {
      toast({ tone: 'success', title: `${formatVersion(version.number)} committed`, description: `It is the active version of ${fleet}; its proxies receive it now.` })
      form.reset({ message: '' })
      onCommitted(version)
      await Promise.all([
        queryClient.invalidateQueries({ queryKey: fleetQueries.all() }),
        queryClient.invalidateQueries({ queryKey: versionQueries.fleet(fleet) }),
        queryClient.invalidateQueries({ queryKey: draftQueries.fleet(fleet) }),
      ])
    },
    onError: (error) => {
      if (error instanceof ApiError && error.code === 'DRAFT.CONFLICT') return
      toast({ tone: 'error', title: 'The commit was refused', description: error.message })
    },
  })
  const error = commit.error
  const moved = error instanceof ApiError && error.code === 'DRAFT.CONFLICT'
  const refusedIssues = error instanceof ApiError && error.code === 'CONFIG.INVALID' ? error.issues : []
  const messageError = form.formState.errors.message?.message

  return (
    <form onSubmit={form.handleSubmit((values) => commit.mutate(values))} noValidate className="space-y-3" data-testid="commit-form" aria-label="Commit">
      <div>
        <label htmlFor={id} className="mb-1 block text-xs font-medium text-fg-muted">
          Commit message
        </label>
        <textarea
          id={id}
          rows={3}
          placeholder="What changed, and why"
          aria-invalid={messageError ? true : undefined}
          aria-describedby={messageError ? `${id}-error` : `${id}-hint`}
          className="block w-full rounded-md border border-line-strong bg-surface px-2.5 py-2 text-sm placeholder:text-fg-subtle focus-visible:outline-2 focus-visible:outline-offset-1 focus-visible:outline-accent aria-[invalid=true]:border-red-500"
          onKeyDown={(e) => {
            // A textarea takes Enter for new lines; Ctrl/⌘+Enter commits.
            if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) void form.handleSubmit((values) => commit.mutate(values))()
          }}
          data-testid="commit-message"
          {...form.register('message')}
        />
        {messageError ? (
          <p id={`${id}-error`} role="alert" className="mt-1 text-xs text-red-700 first-letter:uppercase dark:text-red-300" data-testid="field-error">
            {messageError}
          </p>
        ) : (
          <p id={`${id}-hint`} className="mt-1 text-xs text-fg-subtle">
            Ctrl+Enter / ⌘+Enter commits. The message is kept in the version history.
          </p>
        )}
      </div>
      {moved ? (
        <div role="alert" data-testid="commit-conflict" className="flex flex-wrap items-center gap-3 rounded-md border border-amber-200 bg-amber-50 px-3 py-2 text-sm text-amber-900 dark:border-amber-900 dark:bg-amber-950/60 dark:text-amber-200">
          <span>The draft changed while you were reviewing it; nothing was committed. Reload to review what changed.</span>
          <Button
            size="sm"
            onClick={() => {
              commit.reset()
              onReload()
            }}
          >
            Reload
          </Button>
        </div>
      ) : refusedIssues.length > 0 ? (
        <ValidationProblems fleet={fleet} issues={refusedIssues} title={`The commit was refused: ${error?.message ?? ''}`} testId="commit-refused" />
      ) : error ? (
        <ErrorNotice title="The commit was refused" error={error} />
      ) : null}
      <div className="flex flex-wrap items-center gap-3">
        <Button type="submit" variant="primary" disabled={commit.isPending || disabledReason !== null} data-testid="commit-button">
          {commit.isPending ? <LoaderCircle aria-hidden className="size-4 animate-spin" /> : <GitCommitHorizontal aria-hidden className="size-4" />}
          Commit draft r{draftRevision}
        </Button>
        {disabledReason ? <span className="text-xs text-fg-subtle">{disabledReason}</span> : null}
      </div>
    </form>
  )
}
