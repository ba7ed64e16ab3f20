import { queryOptions } from '@tanstack/react-query'
import { apiFetch, apiPath } from '../api'
import type { FleetProxyCounts, ProxyDetail, ProxyEvent, ProxyFilters, ProxySummary } from './types'

export const PROXY_EVENTS_LIMIT = 200

async function fetchProxies(filters: ProxyFilters, signal: AbortSignal): Promise<ProxySummary[]> {
  const search = new URLSearchParams()
  if (filters.fleet) search.set('fleet', filters.fleet)
  if (filters.state) search.set('state', filters.state)
  const qs = search.toString()
  const body = await apiFetch<{ proxies: ProxySummary[] }>(`${apiPath('proxies')}${qs ? `?${qs}` : ''}`, { signal })
  return body.proxies
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
 * ['proxies', 'list', filters] · ['proxies', 'summary'] · ['proxies', 'node', nodeId, 'detail' | 'events'].
 * A `proxy.changed` event invalidates the lists, the summary and the nodes it names (components/live).
 * The versions page's rollout panel reads `list({ fleet })` too: one cache entry per filter, whoever shows it.
 * Proxy status changes all the time, so these are never fresh for long.
 */
export const proxyQueries = {
  all: () => ['proxies'] as const,
  lists: () => [...proxyQueries.all(), 'list'] as const,
  list: (filters: ProxyFilters) =>
    queryOptions({ queryKey: [...proxyQueries.lists(), { fleet: filters.fleet, state: filters.state }] as const, queryFn: ({ signal }) => fetchProxies(filters, signal), staleTime: 5_000 }),
  summary: () => queryOptions({ queryKey: [...proxyQueries.all(), 'summary'] as const, queryFn: ({ signal }) => fetchSummary(signal), staleTime: 5_000 }),
  nodes: () => [...proxyQueries.all(), 'node'] as const,
  node: (nodeId: string) => [...proxyQueries.nodes(), nodeId] as const,
  detail: (nodeId: string) =>
    queryOptions({ queryKey: [...proxyQueries.node(nodeId), 'detail'] as const, queryFn: ({ signal }) => apiFetch<ProxyDetail>(apiPath('proxies', nodeId), { signal }), staleTime: 5_000 }),
  events: (nodeId: string) => queryOptions({ queryKey: [...proxyQueries.node(nodeId), 'events'] as const, queryFn: ({ signal }) => fetchEvents(nodeId, signal), staleTime: 5_000 }),
}
