'use client'

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { CheckCircle2, Eye, Lock, Pencil, RefreshCw, SearchX, Trash2 } from 'lucide-react'
import Link from 'next/link'
import { useMemo, useState } from 'react'
import { isOpenRollout, type ResourceChange, type VersionSummary } from '@/server/contract'
import { ApiError } from '../api'
import { useCan } from '../auth/use-can'
import { DiffViewToggle } from '../diff/diff-view-toggle'
import { ResourceChangeCard } from '../diff/resource-change-card'
import { useDiffViewFormat } from '../diff/use-diff-view-format'
import { fleetQueries } from '../fleets/queries'
import { ConfirmDialog } from '../resources/confirm-dialog'
import { KIND_INFO, kindOfType, resourceHrefs } from '../resources/kinds'
import { discardDraft, draftQueries } from '../resources/queries'
import { useDraftSync } from '../resources/use-draft-sync'
import { Button } from '../ui/button'
import { EmptyState } from '../ui/empty-state'
import { ErrorNotice } from '../ui/error-notice'
import { Panel } from '../ui/panel'
import { useToast } from '../ui/toast-context'
import { ChangeCounts } from '../versions/change-counts'
import { FleetPageHeader } from '../versions/fleet-page-header'
import { versionsHref } from '../versions/compare-selection'
import { formatVersion } from '../versions/format-version'
import { RolloutPanel } from '../versions/rollout-panel'
import { StagedRolloutPanel } from '../rollouts/staged-rollout-panel'
import { stagedRolloutQueries } from '../rollouts/queries'
import { AnalysisFindings, countLabel } from './analysis-findings'
import { ClientPredictions } from './client-predictions'
import { CommitForm } from './commit-form'
import { redactSecretPatch } from './redact-patch'
import { ValidationProblems } from './validation-problems'
import { VariableChanges } from './variable-changes'

/** A Secret's patch never shows key material. */
function shown(change: ResourceChange): ResourceChange {
  return change.type === 'Secret' ? { ...change, patch: redactSecretPatch(change.patch) } : change
}

/**
 * The draft against the active version, resource by resource, the problems a commit would be
 * refused for, and the commit itself. The diff on screen is pinned: when the draft moves, the page
 * says so and the reviewer reloads, so a commit only ever contains what was reviewed.
 */
export function ChangesPage({ fleet }: { fleet: string }) {
  const latestRevision = useDraftSync(fleet)
  const queryClient = useQueryClient()
  const toast = useToast()
  const diff = useQuery(draftQueries.diff(fleet))
  const [format, setFormat] = useDiffViewFormat()
  const [confirmDiscard, setConfirmDiscard] = useState(false)
  const [committed, setCommitted] = useState<VersionSummary | null>(null)
  // The version whose rollout shows under the commit: the one just committed, then a rollback made from the panel.
  const [followed, setFollowed] = useState<{ number: number; summary?: VersionSummary | undefined } | null>(null)
  // A viewer of the fleet reviews the draft; committing and discarding need the editor role.
  const canEdit = useCan('editor', fleet)
  // A staged rollout: the one started here (followed to its end), else the fleet's open one.
  const rollouts = useQuery(stagedRolloutQueries.list(fleet))
  const [startedRollout, setStartedRollout] = useState<string | null>(null)
  const openRollout = rollouts.data?.find((r) => isOpenRollout(r.state)) ?? null
  const shownRollout = startedRollout ?? openRollout?.id ?? null
  const reload = () => void diff.refetch()
  const discard = useMutation({
    mutationFn: () => discardDraft(fleet),
    onSuccess: async () => {
      setConfirmDiscard(false)
      toast({ tone: 'success', title: 'Draft discarded', description: 'The draft is the active version again.' })
      await Promise.all([queryClient.invalidateQueries({ queryKey: draftQueries.fleet(fleet) }), queryClient.invalidateQueries({ queryKey: fleetQueries.all() })])
    },
    onError: (error) => toast({ tone: 'error', title: 'Could not discard the draft', description: error.message }),
  })
  const changes = useMemo(() => (diff.data?.changes ?? []).map(shown), [diff.data])
  const variableChanges = diff.data?.variables ?? []
  const template = diff.data?.template ?? null
  const templateMoved = template !== null && template.before !== template.after
  // A variable or the template alone is a change to commit, even when no resource body changed.
  const hasChanges = changes.length > 0 || variableChanges.length > 0 || templateMoved
  const data = diff.data
  const moved = data !== undefined && latestRevision !== undefined && latestRevision !== data.draftRevision
  const notFound = diff.error instanceof ApiError && diff.error.code === 'FLEET.NOT_FOUND'

  return (
    <>
      <FleetPageHeader
        fleet={fleet}
        crumbs={[{ label: 'Changes' }]}
        title="Changes"
        description={
          data ? (
            <span className="inline-flex flex-wrap items-center gap-x-2" data-testid="changes-summary" data-draft-revision={data.draftRevision}>
              Draft <span className="font-mono text-fg">r{data.draftRevision}</span> against {data.activeVersion === null ? 'nothing committed yet' : <span className="font-mono text-fg">{formatVersion(data.activeVersion)} (active)</span>}
              <ChangeCounts counts={data.counts} />
            </span>
          ) : (
            'What a commit would change on the proxies.'
          )
        }
        actions={
          data ? (
            <>
              <DiffViewToggle value={format} onChange={setFormat} />
              <Button size="sm" onClick={reload} disabled={diff.isFetching} data-testid="reload-diff">
                <RefreshCw aria-hidden className={diff.isFetching ? 'size-3.5 animate-spin' : 'size-3.5'} />
                Reload
              </Button>
              {canEdit ? (
                <Button size="sm" variant="ghost" onClick={() => setConfirmDiscard(true)} disabled={!hasChanges} data-testid="discard-draft" className="hover:text-red-600 dark:hover:text-red-400">
                  <Trash2 aria-hidden className="size-3.5" />
                  Discard all changes
                </Button>
              ) : null}
            </>
          ) : null
        }
      />

      {notFound ? (
        <EmptyState icon={SearchX} title={`No fleet named “${fleet}”`} data-testid="fleet-not-found">
          <Link href="/" className="text-accent underline-offset-2 hover:underline">
            See all fleets
          </Link>
        </EmptyState>
      ) : diff.error && !data ? (
        <ErrorNotice title="Could not load the changes" error={diff.error} onRetry={reload} />
      ) : !data ? (
        <p className="text-sm text-fg-subtle">Loading the changes…</p>
      ) : (
        <div className="space-y-5">
          {moved ? (
            <div role="status" data-testid="draft-moved" className="flex flex-wrap items-center gap-3 rounded-md border border-amber-200 bg-amber-50 px-3 py-2 text-sm text-amber-900 dark:border-amber-900 dark:bg-amber-950/60 dark:text-amber-200">
              <span>
                The draft changed since this page loaded (r{data.draftRevision} → r{latestRevision}). What you see is r{data.draftRevision}; a commit of it will be refused.
              </span>
              <Button size="sm" onClick={reload}>
                Reload
              </Button>
            </div>
          ) : null}
          {committed ? (
            <div role="status" data-testid="commit-success" className="flex flex-wrap items-center gap-x-3 gap-y-1 rounded-md border border-emerald-200 bg-emerald-50 px-3 py-2 text-sm text-emerald-900 dark:border-emerald-900 dark:bg-emerald-950/60 dark:text-emerald-200">
              <CheckCircle2 aria-hidden className="size-4" />
              <span>
                Committed <span className="font-mono font-medium">{formatVersion(committed.number)}</span> “{committed.message}”; it is the active version now.
              </span>
              <Link href={versionsHref(fleet, committed.number)} className="font-medium underline underline-offset-2" data-testid="follow-rollout">
                Follow its rollout to the proxies
              </Link>
            </div>
          ) : null}
          {shownRollout ? <StagedRolloutPanel key={shownRollout} fleet={fleet} id={shownRollout} /> : null}
          {followed ? (
            <RolloutPanel
              key={followed.number}
              fleet={fleet}
              version={followed.number}
              summary={followed.summary}
              onFollow={(number, summary) => setFollowed({ number, summary })}
              onDismiss={() => setFollowed(null)}
            />
          ) : null}
          <ValidationProblems fleet={fleet} issues={data.issues} title={`${data.issues.length} problem${data.issues.length === 1 ? '' : 's'} a commit would be refused for`} />
          <AnalysisFindings fleet={fleet} findings={data.findings} title={`Config analysis: ${countLabel(data.findings)}${data.findings.some((f) => f.severity === 'error') ? ' (errors refuse the commit)' : ' (the commit asks you to confirm them)'}`} />
          {changes.length > 0 ? <ClientPredictions fleet={fleet} draftRevision={data.draftRevision} /> : null}

          {templateMoved || variableChanges.length > 0 ? <VariableChanges fleet={fleet} changes={variableChanges} template={templateMoved ? template : null} /> : null}
          {!hasChanges ? (
            <Panel title="No changes">
              <EmptyState icon={CheckCircle2} title="The draft matches the active version" data-testid="no-changes">
                Edit <Link href={resourceHrefs.list(fleet, 'listeners')} className="text-accent underline-offset-2 hover:underline">resources</Link> and their changes appear here for review.
              </EmptyState>
            </Panel>
          ) : changes.length === 0 ? null : (
            <section aria-label="Changed resources" className="space-y-2" data-testid="changes-list">
              {changes.map((change) => (
                <ResourceChangeCard
                  key={`${change.type}/${change.name}`}
                  change={change}
                  format={format}
                  actions={
                    change.change === 'removed' ? null : (
                      <Link
                        href={resourceHrefs.edit(fleet, kindOfType(change.type), change.name)}
                        className="inline-flex items-center gap-1 text-accent hover:underline"
                        aria-label={`${canEdit ? 'Edit' : 'View'} ${KIND_INFO[kindOfType(change.type)].singular} ${change.name}`}
                      >
                        {canEdit ? <Pencil aria-hidden className="size-3" /> : <Eye aria-hidden className="size-3" />}
                        {canEdit ? 'Edit' : 'View'}
                      </Link>
                    )
                  }
                />
              ))}
            </section>
          )}

          {hasChanges && !canEdit ? (
            <p className="flex items-center gap-2 rounded-md border border-line bg-surface-muted/50 px-3 py-2 text-sm text-fg-muted" data-testid="read-only-notice">
              <Lock aria-hidden className="size-4 shrink-0" />
              You have the viewer role on {fleet}: an editor commits or discards these changes.
            </p>
          ) : null}
          {hasChanges && canEdit ? (
            <Panel title="Commit" description="A new immutable version with the draft's content; it becomes active and is served at once." data-testid="commit-panel">
              <div className="p-4">
                <CommitForm
                  key={data.draftRevision}
                  fleet={fleet}
                  draftRevision={data.draftRevision}
                  onReload={reload}
                  onCommitted={(version) => {
                    setCommitted(version)
                    setFollowed({ number: version.number, summary: version })
                  }}
                  onRolloutStarted={(rollout) => setStartedRollout(rollout.id)}
                  warnings={data.findings.filter((f) => f.severity === 'warning')}
                  disabledReason={
                    openRollout
                      ? `A staged rollout of ${formatVersion(openRollout.toVersion)} is open: promote it to the end or abort it before the next commit.`
                      : data.issues.length > 0 || data.findings.some((f) => f.severity === 'error')
                        ? 'Fix the problems above first: the server would refuse this commit.'
                        : null
                  }
                />
              </div>
            </Panel>
          ) : null}
        </div>
      )}

      <ConfirmDialog
        open={confirmDiscard && canEdit}
        onOpenChange={setConfirmDiscard}
        title="Discard all changes?"
        description={`Every change in the draft of ${fleet} is thrown away (${changes.length} resource${changes.length === 1 ? '' : 's'}); the draft becomes the active version again. This cannot be undone.`}
        confirmLabel="Discard all changes"
        pending={discard.isPending}
        onConfirm={() => discard.mutate()}
        data-testid="discard-draft-dialog"
      />
    </>
  )
}
