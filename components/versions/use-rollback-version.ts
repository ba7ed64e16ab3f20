'use client'

import { useMutation, useQueryClient } from '@tanstack/react-query'
import type { VersionSummary } from '@/server/contract'
import { apiFetch, apiPath } from '../api'
import { fleetQueries } from '../fleets/queries'
import { versionQueries } from './queries'

/** `draftRevision`: the draft the operator saw; if it moved meanwhile, the server refuses (409) instead of discarding it. */
export type RollbackInput = Readonly<{ number: number; message?: string; draftRevision?: number }>

/** POST …/versions/{n}/rollback: a new version with the content of {n}, answered with its summary. */
export function useRollbackVersion(fleet: string) {
  const queryClient = useQueryClient()
  return useMutation({
    mutationFn: ({ number, message, draftRevision }: RollbackInput) =>
      apiFetch<VersionSummary>(apiPath('fleets', fleet, 'versions', number, 'rollback'), { method: 'POST', body: message ? { message } : {}, ...(draftRevision === undefined ? {} : { ifMatch: draftRevision }) }),
    // The event feed will say the same, but this tab made the change and need not wait for it.
    // Returning the promise keeps the mutation pending until the tables show the new version.
    onSuccess: () =>
      Promise.all([queryClient.invalidateQueries({ queryKey: fleetQueries.all() }), queryClient.invalidateQueries({ queryKey: versionQueries.list(fleet).queryKey })]),
  })
}
