'use client'

import { useMutation, useQueryClient } from '@tanstack/react-query'
import Link from 'next/link'
import type { DraftResourceView, ResourceType } from '@/server/contract'
import { ApiError, type ApiIssue } from '../api'
import { ErrorNotice } from '../ui/error-notice'
import { useToast } from '../ui/toast-context'
import { ConfirmDialog } from './confirm-dialog'
import { KIND_INFO, kindOfType, resourceHrefs, type ResourceKind } from './kinds'
import { deleteDraftResource, draftQueries } from './queries'
import { fleetQueries } from '../fleets/queries'

type Referrer = Readonly<{ type: ResourceType; name: string; path: string }>

/** RESOURCE.REFERENCED names each referrer in its issues (`resource` and the path of the reference). */
function referrersOf(error: unknown): Referrer[] {
  if (!(error instanceof ApiError) || error.code !== 'RESOURCE.REFERENCED') return []
  const seen = new Map<string, Referrer>()
  for (const issue of error.issues as ReadonlyArray<ApiIssue & { resource?: { type: ResourceType; name: string } }>) {
    if (!issue.resource) continue
    const key = `${issue.resource.type}/${issue.resource.name}`
    if (!seen.has(key)) seen.set(key, { ...issue.resource, path: issue.path })
  }
  return [...seen.values()]
}

export function DeleteResourceDialog({ fleet, kind, resource, onClose }: { fleet: string; kind: ResourceKind; resource: DraftResourceView; onClose: () => void }) {
  const queryClient = useQueryClient()
  const toast = useToast()
  const info = KIND_INFO[kind]
  const remove = useMutation({
    mutationFn: () => deleteDraftResource(fleet, kind, resource.name, resource.revision),
    onSuccess: async () => {
      toast({ tone: 'success', title: `Deleted ${info.singular} ${resource.name} from the draft`, description: 'Commit the draft to remove it from the proxies.' })
      onClose()
      await Promise.all([queryClient.invalidateQueries({ queryKey: draftQueries.fleet(fleet) }), queryClient.invalidateQueries({ queryKey: fleetQueries.all() })])
    },
  })
  const referrers = referrersOf(remove.error)
  return (
    <ConfirmDialog
      open
      onOpenChange={(open) => !open && onClose()}
      title={
        <>
          Delete {info.singular} <span className="font-mono">{resource.name}</span>?
        </>
      }
      description="It is removed from the draft; proxies keep it until the draft is committed."
      confirmLabel={referrers.length > 0 ? 'Still referenced' : 'Delete'}
      confirmDisabled={referrers.length > 0}
      pending={remove.isPending}
      onConfirm={() => remove.mutate()}
      data-testid="delete-dialog"
    >
      {referrers.length > 0 ? (
        <div role="alert" data-testid="delete-referrers">
          <p className="font-medium">It is still used by:</p>
          <ul className="mt-1.5 space-y-1">
            {referrers.map((r) => (
              <li key={`${r.type}/${r.name}`}>
                <span className="text-fg-subtle">{KIND_INFO[kindOfType(r.type)].singular}</span>{' '}
                <Link href={resourceHrefs.edit(fleet, kindOfType(r.type), r.name)} className="font-mono text-accent underline-offset-2 hover:underline">
                  {r.name}
                </Link>{' '}
                <span className="font-mono text-xs text-fg-subtle">({r.path})</span>
              </li>
            ))}
          </ul>
          <p className="mt-2 text-fg-muted">Change or delete {referrers.length === 1 ? 'it' : 'them'} first, then delete this {info.singular}.</p>
        </div>
      ) : remove.error ? (
        <ErrorNotice
          title={remove.error instanceof ApiError && remove.error.code === 'DRAFT.CONFLICT' ? 'It changed since this page loaded; close and try again' : 'The delete was refused'}
          error={remove.error}
        />
      ) : (
        <p className="text-fg-muted">
          Revision r{resource.revision}, last changed by {resource.updatedBy}.
        </p>
      )}
    </ConfirmDialog>
  )
}
