import { queryOptions } from '@tanstack/react-query'
import type { DraftDiff, DraftResourceView, DraftView, ResourceJson, VersionSummary } from '@/server/contract'
import { apiFetch, apiPath } from '../api'
import type { ResourceKind } from './kinds'

/**
 * ['draft', fleet, …]: one fleet's draft can be refreshed without touching the others.
 * The diff is kept apart from the lists: the Changes page reviews one draft revision and commits
 * exactly that, so it is only reloaded when the reviewer asks (see changes-page.tsx).
 */
export const draftQueries = {
  all: () => ['draft'] as const,
  fleet: (fleet: string) => [...draftQueries.all(), fleet] as const,
  lists: (fleet: string) => [...draftQueries.fleet(fleet), 'list'] as const,
  list: (fleet: string, kind: ResourceKind) =>
    queryOptions({ queryKey: [...draftQueries.lists(fleet), kind] as const, queryFn: ({ signal }) => apiFetch<DraftView>(apiPath('fleets', fleet, 'draft', kind), { signal }) }),
  resources: (fleet: string) => [...draftQueries.fleet(fleet), 'resource'] as const,
  resource: (fleet: string, kind: ResourceKind, name: string) =>
    queryOptions({
      queryKey: [...draftQueries.resources(fleet), kind, name] as const,
      queryFn: ({ signal }) => apiFetch<DraftResourceView>(apiPath('fleets', fleet, 'draft', kind, name), { signal }),
    }),
  diff: (fleet: string) =>
    queryOptions({
      queryKey: [...draftQueries.fleet(fleet), 'diff'] as const,
      queryFn: ({ signal }) => apiFetch<DraftDiff>(apiPath('fleets', fleet, 'draft', 'diff'), { signal }),
      staleTime: Infinity,
      refetchOnWindowFocus: false,
    }),
}

export function putDraftResource(fleet: string, kind: ResourceKind, name: string, resource: unknown, ifMatch: number | undefined): Promise<DraftResourceView> {
  return apiFetch<DraftResourceView>(apiPath('fleets', fleet, 'draft', kind, name), { method: 'PUT', body: resource, ...(ifMatch === undefined ? {} : { ifMatch }) })
}

export function createDraftResource(fleet: string, kind: ResourceKind, resource: unknown): Promise<DraftResourceView> {
  return apiFetch<DraftResourceView>(apiPath('fleets', fleet, 'draft', kind), { method: 'POST', body: resource })
}

export function deleteDraftResource(fleet: string, kind: ResourceKind, name: string, ifMatch: number): Promise<void> {
  return apiFetch<void>(apiPath('fleets', fleet, 'draft', kind, name), { method: 'DELETE', ifMatch })
}

export function discardDraft(fleet: string): Promise<DraftView> {
  return apiFetch<DraftView>(apiPath('fleets', fleet, 'draft'), { method: 'DELETE' })
}

export function commitDraft(fleet: string, message: string, draftRevision: number): Promise<VersionSummary> {
  return apiFetch<VersionSummary>(apiPath('fleets', fleet, 'commit'), { method: 'POST', body: { message }, ifMatch: draftRevision })
}

export type { DraftDiff, DraftResourceView, DraftView, ResourceJson }
