'use client'

import { useQuery, useQueryClient } from '@tanstack/react-query'
import { useEffect } from 'react'
import { fleetQueries } from '../fleets/queries'
import { draftQueries } from './queries'

/**
 * The console-wide event feed refreshes the fleet list on every `draft.changed`; the fleet's
 * draftRevision there is the signal that the draft's lists are out of date. The diff is left alone
 * (it is what the reviewer is looking at). Returns the latest known draft revision.
 */
export function useDraftSync(fleet: string): number | undefined {
  const queryClient = useQueryClient()
  const { data: fleets } = useQuery(fleetQueries.list())
  const draftRevision = fleets?.find((f) => f.name === fleet)?.draftRevision
  useEffect(() => {
    if (draftRevision === undefined) return
    void queryClient.invalidateQueries({
      queryKey: draftQueries.fleet(fleet),
      predicate: (q) => q.queryKey[2] !== 'diff' && (q.state.data as { draftRevision?: number } | undefined)?.draftRevision !== draftRevision,
    })
  }, [fleet, draftRevision, queryClient])
  return draftRevision
}
