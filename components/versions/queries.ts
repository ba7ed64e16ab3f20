import { infiniteQueryOptions, queryOptions } from '@tanstack/react-query'
import type { FleetStatus, VersionDetail, VersionDiff, VersionListItem, VersionRollout, VersionSummary } from '@/server/contract'
import { apiFetch, apiPath } from '../api'
import { fleetQueries } from '../fleets/queries'

export type { FleetStatus, VersionListItem }

/** Rows per page of the history; older pages load with `?before=<oldest number shown>`. */
export const HISTORY_PAGE_SIZE = 25

async function fetchVersions(fleet: string, signal: AbortSignal): Promise<VersionSummary[]> {
  const body = await apiFetch<{ versions: VersionSummary[] }>(apiPath('fleets', fleet, 'versions'), { signal })
  return body.versions
}

async function fetchVersionPage(fleet: string, before: number | undefined, signal: AbortSignal): Promise<VersionListItem[]> {
  const query = new URLSearchParams({ limit: String(HISTORY_PAGE_SIZE), ...(before === undefined ? {} : { before: String(before) }) })
  const body = await apiFetch<{ versions: VersionListItem[] }>(`${apiPath('fleets', fleet, 'versions')}?${query.toString()}`, { signal })
  return body.versions
}

function fetchVersionDiff(fleet: string, from: number, to: number, signal: AbortSignal): Promise<VersionDiff> {
  return apiFetch<VersionDiff>(apiPath('fleets', fleet, 'versions', from, 'diff', to), { signal })
}

function fetchVersion(fleet: string, number: number, signal: AbortSignal): Promise<VersionDetail> {
  return apiFetch<VersionDetail>(apiPath('fleets', fleet, 'versions', number), { signal })
}

function fetchVersionRollout(fleet: string, number: number, signal: AbortSignal): Promise<VersionRollout> {
  return apiFetch<VersionRollout>(apiPath('fleets', fleet, 'versions', number, 'rollout'), { signal })
}

function fetchFleetStatus(fleet: string, signal: AbortSignal): Promise<FleetStatus> {
  return apiFetch<FleetStatus>(apiPath('fleets', fleet), { signal })
}

/**
 * The older page after `page`, by the oldest number on it. A short page is the last one; so is a
 * page ending at version 1.
 */
export function nextHistoryPage(page: readonly VersionListItem[]): number | undefined {
  const oldest = page.at(-1)?.number
  return page.length < HISTORY_PAGE_SIZE || oldest === undefined || oldest <= 1 ? undefined : oldest
}

/** ['versions', fleet, …]: one fleet's history can be invalidated without touching the others. */
export const versionQueries = {
  all: () => ['versions'] as const,
  fleet: (fleet: string) => [...versionQueries.all(), fleet] as const,
  /** Newest first (the API's first 50). */
  list: (fleet: string) => queryOptions({ queryKey: [...versionQueries.fleet(fleet), 'list'] as const, queryFn: ({ signal }) => fetchVersions(fleet, signal) }),
  /**
   * The versions page's paged history. Its key extends list()'s, so whatever refreshes the list on
   * `version.created` (components/live) refreshes every loaded page too.
   */
  history: (fleet: string) =>
    infiniteQueryOptions({
      queryKey: [...versionQueries.fleet(fleet), 'list', 'history'] as const,
      queryFn: ({ signal, pageParam }) => fetchVersionPage(fleet, pageParam, signal),
      initialPageParam: undefined as number | undefined,
      getNextPageParam: (page) => nextHistoryPage(page),
    }),
  /**
   * Where the rollout of one version stands (converged, rejected, stalled…). Its key extends list()'s
   * like history()'s: it changes exactly when the list's convergence column does, so the events that
   * refresh the list (proxy.changed and version.created of the fleet, components/live) refresh it too.
   */
  rollout: (fleet: string, number: number) =>
    queryOptions({ queryKey: [...versionQueries.list(fleet).queryKey, 'rollout', number] as const, queryFn: ({ signal }) => fetchVersionRollout(fleet, number, signal) }),
  /** One version with its resources. The content never changes; `active` does, on the next commit. */
  detail: (fleet: string, number: number) => queryOptions({ queryKey: [...versionQueries.fleet(fleet), 'detail', number] as const, queryFn: ({ signal }) => fetchVersion(fleet, number, signal) }),
  /** Versions are immutable, so a diff between two of them never goes stale. */
  diff: (fleet: string, from: number, to: number) =>
    queryOptions({ queryKey: [...versionQueries.fleet(fleet), 'diff', from, to] as const, queryFn: ({ signal }) => fetchVersionDiff(fleet, from, to, signal), staleTime: Infinity }),
  /**
   * The fleet with its xDS serving status. Keyed under ['fleets'], so the fleet, draft and version
   * events that refresh the fleet list refresh it as well; snapshot events refresh it alone.
   */
  fleetStatus: (fleet: string) => queryOptions({ queryKey: [...fleetQueries.all(), 'status', fleet] as const, queryFn: ({ signal }) => fetchFleetStatus(fleet, signal) }),
}
