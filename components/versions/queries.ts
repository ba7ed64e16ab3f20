import { queryOptions } from '@tanstack/react-query'
import type { VersionDiff, VersionSummary } from '@/server/store/versions'
import { apiFetch, apiPath } from '../api'

async function fetchVersions(fleet: string, signal: AbortSignal): Promise<VersionSummary[]> {
  const body = await apiFetch<{ versions: VersionSummary[] }>(apiPath('fleets', fleet, 'versions'), { signal })
  return body.versions
}

function fetchVersionDiff(fleet: string, from: number, to: number, signal: AbortSignal): Promise<VersionDiff> {
  return apiFetch<VersionDiff>(apiPath('fleets', fleet, 'versions', from, 'diff', to), { signal })
}

/** ['versions', fleet, …]: one fleet's history can be invalidated without touching the others. */
export const versionQueries = {
  all: () => ['versions'] as const,
  fleet: (fleet: string) => [...versionQueries.all(), fleet] as const,
  /** Newest first. */
  list: (fleet: string) => queryOptions({ queryKey: [...versionQueries.fleet(fleet), 'list'] as const, queryFn: ({ signal }) => fetchVersions(fleet, signal) }),
  /** Versions are immutable, so a diff between two of them never goes stale. */
  diff: (fleet: string, from: number, to: number) =>
    queryOptions({ queryKey: [...versionQueries.fleet(fleet), 'diff', from, to] as const, queryFn: ({ signal }) => fetchVersionDiff(fleet, from, to, signal), staleTime: Infinity }),
}
