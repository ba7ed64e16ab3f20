import { queryOptions } from '@tanstack/react-query'
import type { StagedRolloutAction, StagedRolloutCreateInput, StagedRolloutView } from '@/server/contract'
import { apiFetch, apiPath } from '../api'

export const stagedRolloutQueries = {
  all: () => ['staged-rollouts'] as const,
  fleet: (fleet: string) => [...stagedRolloutQueries.all(), fleet] as const,
  list: (fleet: string) =>
    queryOptions({ queryKey: [...stagedRolloutQueries.fleet(fleet), 'list'] as const, queryFn: async ({ signal }) => (await apiFetch<{ rollouts: StagedRolloutView[] }>(apiPath('fleets', fleet, 'rollouts'), { signal })).rollouts }),
  one: (fleet: string, id: string) =>
    queryOptions({ queryKey: [...stagedRolloutQueries.fleet(fleet), 'one', id] as const, queryFn: ({ signal }) => apiFetch<StagedRolloutView>(apiPath('fleets', fleet, 'rollouts', id), { signal }) }),
}

export const startStagedRollout = (fleet: string, body: StagedRolloutCreateInput, ifMatch: number) => apiFetch<StagedRolloutView>(apiPath('fleets', fleet, 'rollouts'), { method: 'POST', body, ifMatch })
export const actOnStagedRollout = (fleet: string, id: string, action: StagedRolloutAction) => apiFetch<StagedRolloutView>(apiPath('fleets', fleet, 'rollouts', id, action), { method: 'POST', body: {} })
