import { infiniteQueryOptions, queryOptions } from '@tanstack/react-query'
import { apiFetch, apiPath } from '../api'
import type { FleetProxyCounts, ProxyDetail, ProxyDrift, ProxyEvent, ProxyListFilters, ProxySummary } from './types'

export const PROXY_EVENTS_LIMIT = 200

/** One page of GET /api/v1/proxies. */
export type ProxyPage = Readonly<{ proxies: ProxySummary[]; nextCursor: string | null; total: number }>
export const PROXY_PAGE_SIZE = 200

/** The query string of a list's page: filters, search and sort go to the server. */
export function proxyListSearch(filters: ProxyListFilters, after: string | null): string {
  const search = new URLSearchParams()
  if (filters.fleet) search.set('fleet', filters.fleet)
  if (filters.state) search.set('state', filters.state)
  if (filters.onActive !== null) search.set('onActive', String(filters.onActive))
  if (filters.q) search.set('q', filters.q)
  if (filters.sort !== 'nodeId') search.set('sort', filters.sort)
  if (filters.desc) search.set('order', 'desc')
  search.set('limit', String(PROXY_PAGE_SIZE))
  if (after) search.set('after', after)
  return search.toString()
}

async function fetchProxyPage(filters: ProxyListFilters, after: string | null, signal: AbortSignal): Promise<ProxyPage> {
  return apiFetch<ProxyPage>(`${apiPath('proxies')}?${proxyListSearch(filters, after)}`, { signal })
}

async function fetchSummary(signal: AbortSignal): Promise<FleetProxyCounts[]> {
  const body = await apiFetch<{ fleets: FleetProxyCounts[] }>(apiPath('proxies', 'summary'), { signal })
  return body.fleets
}

async function fetchEvents(nodeId: string, signal: AbortSignal): Promise<ProxyEvent[]> {
  const body = await apiFetch<{ events: ProxyEvent[] }>(`${apiPath('proxies', nodeId, 'events')}?limit=${PROXY_EVENTS_LIMIT}`, { signal })
  return body.events
}

/**
 * ['proxies', 'list', filters] · ['proxies', 'list', 'on-active', filters] · ['proxies', 'summary'] ·
 * ['proxies', 'node', nodeId, 'detail' | 'events'] · ['proxies', 'drift', fleet, nodeId].
 * A `proxy.changed` event invalidates the lists, the summary, and the nodes and drifts it names
 * (components/live). A list filtered by `onActive` reads the rollout rows, written just behind the
 * status rows, so it is read once more a moment later; a new version changes what every proxy of
 * its fleet should run, so it refreshes those lists and the fleet's drifts. A drift is keyed by the
 * proxy's fleet for that reason. Proxy status changes all the time, so these are never fresh for long.
 */
export const proxyQueries = {
  all: () => ['proxies'] as const,
  lists: () => [...proxyQueries.all(), 'list'] as const,
  /** The lists filtered by onActive: they depend on the fleet's active version and on the rollout rows. */
  onActiveLists: () => [...proxyQueries.lists(), 'on-active'] as const,
  /** Pages of the list, loaded as the table scrolls (infinite query); a refresh re-reads the loaded pages. */
  list: (filters: ProxyListFilters) =>
    infiniteQueryOptions({
      queryKey:
        filters.onActive === null
          ? ([...proxyQueries.lists(), { fleet: filters.fleet, state: filters.state, q: filters.q, sort: filters.sort, desc: filters.desc }] as const)
          : ([...proxyQueries.onActiveLists(), { fleet: filters.fleet, state: filters.state, onActive: filters.onActive, q: filters.q, sort: filters.sort, desc: filters.desc }] as const),
      queryFn: ({ signal, pageParam }) => fetchProxyPage(filters, pageParam, signal),
      initialPageParam: null as string | null,
      getNextPageParam: (last: ProxyPage) => last.nextCursor,
      staleTime: 5_000,
    }),
  summary: () => queryOptions({ queryKey: [...proxyQueries.all(), 'summary'] as const, queryFn: ({ signal }) => fetchSummary(signal), staleTime: 5_000 }),
  nodes: () => [...proxyQueries.all(), 'node'] as const,
  node: (nodeId: string) => [...proxyQueries.nodes(), nodeId] as const,
  detail: (nodeId: string) =>
    queryOptions({ queryKey: [...proxyQueries.node(nodeId), 'detail'] as const, queryFn: ({ signal }) => apiFetch<ProxyDetail>(apiPath('proxies', nodeId), { signal }), staleTime: 5_000 }),
  events: (nodeId: string) => queryOptions({ queryKey: [...proxyQueries.node(nodeId), 'events'] as const, queryFn: ({ signal }) => fetchEvents(nodeId, signal), staleTime: 5_000 }),
  /** Every drift of one fleet's proxies (null: proxies whose node.cluster names no fleet). */
  drifts: (fleet: string | null) => [...proxyQueries.all(), 'drift', fleet] as const,
  /** Desired (the fleet's active version) against actual (what the proxy ACKed), per type. */
  drift: (nodeId: string, fleet: string | null) =>
    queryOptions({ queryKey: [...proxyQueries.drifts(fleet), nodeId] as const, queryFn: ({ signal }) => apiFetch<ProxyDrift>(apiPath('proxies', nodeId, 'drift'), { signal }), staleTime: 5_000 }),
}
