'use client'

import { zodResolver } from '@hookform/resolvers/zod'
import { useMutation, useQueryClient } from '@tanstack/react-query'
import { GitCommitHorizontal, LoaderCircle } from 'lucide-react'
import { useId, useState } from 'react'
import { useForm, useWatch } from 'react-hook-form'
import { z } from 'zod'
import type { Finding, StagedRolloutView, VersionSummary } from '@/server/contract'
import { stagedRolloutQueries, startStagedRollout } from '../rollouts/queries'
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

/** "Expire after" choices, in seconds (0: the change stays). */
export const EXPIRY_CHOICES = [
  { seconds: 0, label: 'Never: the change stays' },
  { seconds: 60, label: '1 minute' },
  { seconds: 300, label: '5 minutes' },
  { seconds: 900, label: '15 minutes' },
  { seconds: 3600, label: '1 hour' },
  { seconds: 86_400, label: '1 day' },
] as const

const CommitFormSchema = z
  .object({
    message: z.string().trim().min(1, 'a commit needs a message: what changed, and why').max(2000, 'at most 2000 characters'),
    expiresInSeconds: z.coerce.number().int().min(0),
    /** `stages`: a staged rollout (#12 item 3): the canaries first, then every proxy. */
    rollout: z.enum(['now', 'stages']),
    canaryGlob: z.string().trim().max(255),
    canaryPercent: z.coerce.number().int().min(0, 'at least 0').max(100, 'at most 100'),
    soakSeconds: z.coerce.number().int().min(0, 'at least 0').max(86_400, 'at most a day'),
    approval: z.boolean(),
  })
  .refine((v) => v.rollout === 'now' || v.canaryGlob !== '' || v.canaryPercent > 0, { message: 'name the canaries: a node id glob, a percentage, or both', path: ['canaryGlob'] })
  .refine((v) => v.rollout === 'now' || v.expiresInSeconds === 0, { message: 'a staged rollout cannot also expire', path: ['expiresInSeconds'] })
type CommitFormValues = z.infer<typeof CommitFormSchema>
const DEFAULTS: z.input<typeof CommitFormSchema> = { message: '', expiresInSeconds: 0, rollout: 'now', canaryGlob: '', canaryPercent: 0, soakSeconds: 30, approval: false }

/**
 * Commits exactly the draft revision on screen (`If-Match`): if the draft moved while it was being
 * reviewed, the server refuses (409) and the reviewer reloads instead of committing unseen changes.
 * Warnings of the config analysis (shown above the form) must be confirmed with the checkbox; the
 * commit then says `acceptWarnings`. Should the server still answer 409 COMMIT.UNCONFIRMED_WARNINGS,
 * its warnings are listed here and the same checkbox confirms them.
 */
export function CommitForm({
  fleet,
  draftRevision,
  warnings,
  disabledReason,
  onReload,
  onCommitted,
  onRolloutStarted,
}: {
  fleet: string
  draftRevision: number
  warnings: readonly Finding[]
  disabledReason: string | null
  onReload: () => void
  onCommitted: (version: VersionSummary) => void
  /** A staged rollout started instead of a plain commit. */
  onRolloutStarted?: (rollout: StagedRolloutView) => void
}) {
  const id = useId()
  const [accepted, setAccepted] = useState(false)
  const toast = useToast()
  const queryClient = useQueryClient()
  const form = useForm<z.input<typeof CommitFormSchema>, unknown, CommitFormValues>({ resolver: zodResolver(CommitFormSchema), defaultValues: DEFAULTS })
  const staged = useWatch({ control: form.control, name: 'rollout' }) === 'stages'
  const commit = useMutation({
    mutationFn: async (values: CommitFormValues): Promise<{ kind: 'version'; version: VersionSummary } | { kind: 'rollout'; rollout: StagedRolloutView }> => {
      if (values.rollout === 'now') return { kind: 'version', version: await commitDraft(fleet, values.message, draftRevision, accepted, values.expiresInSeconds > 0 ? values.expiresInSeconds : null) }
      const canary = { ...(values.canaryGlob ? { nodeIdGlob: values.canaryGlob } : {}), ...(values.canaryPercent > 0 ? { percent: values.canaryPercent } : {}), soakSeconds: values.soakSeconds, approval: values.approval }
      const stages = [canary, { percent: 100, soakSeconds: 0, approval: false }]
      return { kind: 'rollout', rollout: await startStagedRollout(fleet, { message: values.message, stages, ...(accepted ? { acceptWarnings: true } : {}) }, draftRevision) }
    },
    onSuccess: async (done) => {
      const invalidate = () =>
        Promise.all([
          queryClient.invalidateQueries({ queryKey: fleetQueries.all() }),
          queryClient.invalidateQueries({ queryKey: versionQueries.fleet(fleet) }),
          queryClient.invalidateQueries({ queryKey: draftQueries.fleet(fleet) }),
          queryClient.invalidateQueries({ queryKey: stagedRolloutQueries.fleet(fleet) }),
        ])
      if (done.kind === 'rollout') {
        toast({ tone: 'success', title: `${formatVersion(done.rollout.toVersion)} is rolling out`, description: `Its first stage's proxies receive it now; the others keep ${formatVersion(done.rollout.fromVersion ?? 0)}.` })
        form.reset(DEFAULTS)
        onRolloutStarted?.(done.rollout)
        await invalidate()
        return
      }
      const version = done.version
      const ends = version.expiry ? ` It expires at ${new Date(version.expiry.expiresAt).toLocaleTimeString()}, then ${fleet} goes back to ${formatVersion(version.parent ?? 0)}.` : ''
      toast({ tone: 'success', title: `${formatVersion(version.number)} committed`, description: `It is the active version of ${fleet}; its proxies receive it now.${ends}` })
      form.reset(DEFAULTS)
      onCommitted(version)
      await invalidate()
    },
    onError: (error) => {
      if (error instanceof ApiError && error.code === 'DRAFT.CONFLICT') return
      toast({ tone: 'error', title: 'The commit was refused', description: error.message })
    },
  })
  const error = commit.error
  const moved = error instanceof ApiError && error.code === 'DRAFT.CONFLICT'
  const refusedIssues = error instanceof ApiError && error.code === 'CONFIG.INVALID' ? error.issues : []
  const unconfirmed = error instanceof ApiError && error.code === 'COMMIT.UNCONFIRMED_WARNINGS' ? error.issues : []
  const toConfirm = warnings.length > 0 ? warnings.length : unconfirmed.length
  const needsConfirmation = toConfirm > 0 && !accepted
  const messageError = form.formState.errors.message?.message
  const stageError = form.formState.errors.canaryGlob?.message ?? form.formState.errors.canaryPercent?.message ?? form.formState.errors.soakSeconds?.message ?? form.formState.errors.expiresInSeconds?.message
  const small = 'rounded-md border border-line-strong bg-surface px-2 py-1 text-sm focus-visible:outline-2 focus-visible:outline-accent'

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
      <div className="flex flex-wrap items-center gap-2 text-sm">
        <label htmlFor={`${id}-expiry`} className="text-xs font-medium text-fg-muted">
          Expire after
        </label>
        <select
          id={`${id}-expiry`}
          className="rounded-md border border-line-strong bg-surface px-2 py-1 text-sm focus-visible:outline-2 focus-visible:outline-accent"
          data-testid="commit-expiry"
          {...form.register('expiresInSeconds')}
        >
          {EXPIRY_CHOICES.map((c) => (
            <option key={c.seconds} value={c.seconds}>
              {c.label}
            </option>
          ))}
        </select>
        <span className="text-xs text-fg-subtle">An expiring change rolls back to the version before it by itself (a fault-injection experiment, a temporary route).</span>
      </div>
      <fieldset className="space-y-2 rounded-md border border-line px-3 py-2 text-sm" data-testid="rollout-options">
        <legend className="px-1 text-xs font-medium text-fg-muted">Roll out</legend>
        <div className="flex flex-wrap gap-4">
          <label className="flex items-center gap-1.5">
            <input type="radio" value="now" {...form.register('rollout')} data-testid="rollout-now" /> To every proxy at once
          </label>
          <label className="flex items-center gap-1.5">
            <input type="radio" value="stages" {...form.register('rollout')} data-testid="rollout-stages" /> In stages: canaries first, then every proxy
          </label>
        </div>
        {staged ? (
          <div className="flex flex-wrap items-end gap-3" data-testid="stage-fields">
            <label className="flex flex-col gap-1 text-xs font-medium text-fg-muted">
              Canaries: node id glob
              <input className={small} placeholder="canary-*" data-testid="stage-glob" {...form.register('canaryGlob')} />
            </label>
            <label className="flex flex-col gap-1 text-xs font-medium text-fg-muted">
              and/or % of proxies
              <input className={`${small} w-20`} inputMode="numeric" data-testid="stage-percent" {...form.register('canaryPercent')} />
            </label>
            <label className="flex flex-col gap-1 text-xs font-medium text-fg-muted">
              Soak (seconds)
              <input className={`${small} w-24`} inputMode="numeric" data-testid="stage-soak" {...form.register('soakSeconds')} />
            </label>
            <label className="flex items-center gap-1.5 pb-1">
              <input type="checkbox" data-testid="stage-approval" {...form.register('approval')} /> Wait for my promote
            </label>
            <p className="w-full text-xs text-fg-subtle">A NACK from any proxy halts the rollout and gives every proxy the active version again. Commits wait until the rollout completes or is aborted.</p>
          </div>
        ) : null}
        {stageError ? (
          <p role="alert" className="text-xs text-red-700 first-letter:uppercase dark:text-red-300" data-testid="field-error">
            {stageError}
          </p>
        ) : null}
      </fieldset>
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
      ) : unconfirmed.length > 0 && !accepted ? (
        <ValidationProblems fleet={fleet} issues={unconfirmed} title={`The commit needs your confirmation: ${error?.message ?? ''}`} testId="commit-unconfirmed" />
      ) : refusedIssues.length > 0 ? (
        <ValidationProblems fleet={fleet} issues={refusedIssues} title={`The commit was refused: ${error?.message ?? ''}`} testId="commit-refused" />
      ) : error ? (
        <ErrorNotice title="The commit was refused" error={error} />
      ) : null}
      {toConfirm > 0 && disabledReason === null ? (
        <label className="flex items-start gap-2 rounded-md border border-amber-200 bg-amber-50 px-3 py-2 text-sm text-amber-900 dark:border-amber-900 dark:bg-amber-950/60 dark:text-amber-200" data-testid="accept-warnings">
          <input type="checkbox" className="mt-0.5 size-4 accent-amber-600" checked={accepted} onChange={(e) => setAccepted(e.target.checked)} data-testid="accept-warnings-checkbox" />
          <span>
            Commit despite {toConfirm === 1 ? 'the warning' : `the ${toConfirm} warnings`} of the config analysis: I have read {toConfirm === 1 ? 'it' : 'them'}, and this is what I mean.
          </span>
        </label>
      ) : null}
      <div className="flex flex-wrap items-center gap-3">
        <Button type="submit" variant="primary" disabled={commit.isPending || disabledReason !== null || needsConfirmation} data-testid="commit-button">
          {commit.isPending ? <LoaderCircle aria-hidden className="size-4 animate-spin" /> : <GitCommitHorizontal aria-hidden className="size-4" />}
          {staged ? `Start the rollout of draft r${draftRevision}` : `Commit draft r${draftRevision}`}
        </Button>
        {disabledReason ? <span className="text-xs text-fg-subtle">{disabledReason}</span> : needsConfirmation ? <span className="text-xs text-fg-subtle">Confirm the warnings above to commit.</span> : null}
      </div>
    </form>
  )
}
