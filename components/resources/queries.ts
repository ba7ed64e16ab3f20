import { queryOptions } from '@tanstack/react-query'
import type { DraftCheckResult, DraftDiff, DraftResourceSaved, DraftResourceView, DraftView, ImportInput, ImportResult, ResourceJson, ResourceType, VersionSummary } from '@/server/contract'
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
  /**
   * The same diff, kept live (refreshed with the draft, unlike `diff`): what a resource page says
   * about its resource against the served version (#15: not "not yet served" when it is the same).
   */
  servedState: (fleet: string) =>
    queryOptions({ queryKey: [...draftQueries.fleet(fleet), 'served-state'] as const, queryFn: ({ signal }) => apiFetch<DraftDiff>(apiPath('fleets', fleet, 'draft', 'diff'), { signal }) }),
}

/** The save answers with the resource and the config analysis' findings for the whole draft. */
export function putDraftResource(fleet: string, kind: ResourceKind, name: string, resource: unknown, ifMatch: number | undefined): Promise<DraftResourceSaved> {
  return apiFetch<DraftResourceSaved>(apiPath('fleets', fleet, 'draft', kind, name), { method: 'PUT', body: resource, ...(ifMatch === undefined ? {} : { ifMatch }) })
}

export function createDraftResource(fleet: string, kind: ResourceKind, resource: unknown): Promise<DraftResourceSaved> {
  return apiFetch<DraftResourceSaved>(apiPath('fleets', fleet, 'draft', kind), { method: 'POST', body: resource })
}

export function deleteDraftResource(fleet: string, kind: ResourceKind, name: string, ifMatch: number): Promise<void> {
  return apiFetch<void>(apiPath('fleets', fleet, 'draft', kind, name), { method: 'DELETE', ifMatch })
}

export function discardDraft(fleet: string): Promise<DraftView> {
  return apiFetch<DraftView>(apiPath('fleets', fleet, 'draft'), { method: 'DELETE' })
}

/** `acceptWarnings`: the operator confirmed the analysis' warnings (else the server answers 409 COMMIT.UNCONFIRMED_WARNINGS). */
export function commitDraft(fleet: string, message: string, draftRevision: number, acceptWarnings = false, expiresInSeconds: number | null = null): Promise<VersionSummary> {
  return apiFetch<VersionSummary>(apiPath('fleets', fleet, 'commit'), {
    method: 'POST',
    body: { message, ...(acceptWarnings ? { acceptWarnings: true } : {}), ...(expiresInSeconds === null ? {} : { expiresInSeconds }) },
    ifMatch: draftRevision,
  })
}

/** POST …/draft/check: the commit's checks over the draft with `resource` in place of its saved version. Writes nothing. */
export function checkDraftResource(fleet: string, type: ResourceType, resource: unknown, signal?: AbortSignal): Promise<DraftCheckResult> {
  return apiFetch<DraftCheckResult>(apiPath('fleets', fleet, 'draft', 'check'), { method: 'POST', body: { type, resource }, ...(signal ? { signal } : {}) })
}

export type ImportRequest = Omit<ImportInput, 'dryRun'> & { dryRun?: boolean }

/** POST …/import: an Envoy config into the draft; `dryRun` answers the preview, `ifMatch` applies exactly what was previewed. */
export function importIntoDraft(fleet: string, input: ImportRequest, ifMatch?: number): Promise<ImportResult> {
  return apiFetch<ImportResult>(apiPath('fleets', fleet, 'import'), { method: 'POST', body: input, ...(ifMatch === undefined ? {} : { ifMatch }) })
}

export type { DraftCheckResult, DraftDiff, DraftResourceSaved, DraftResourceView, DraftView, ResourceJson }
