import { queryOptions } from '@tanstack/react-query'
import type { SearchResponse, SearchResult } from '@/server/contract'
import { apiFetch, apiPath } from '../api'
import { kindOfType, resourceHrefs } from '../resources/kinds'
import { sectionHref } from '../shell/fleet-href'

/** ['search', q]: every answer is a snapshot; a minute later it is asked again. */
export const searchQueries = {
  all: () => ['search'] as const,
  results: (q: string) =>
    queryOptions({
      queryKey: [...searchQueries.all(), q] as const,
      queryFn: ({ signal }) => apiFetch<SearchResponse>(`${apiPath('search')}?${new URLSearchParams({ q }).toString()}`, { signal }),
      staleTime: 60_000,
    }),
}

/** Where a result opens. */
export function resultHref(r: SearchResult): string {
  switch (r.kind) {
    case 'fleet':
      return sectionHref('resources', r.fleet)
    case 'resource':
      return resourceHrefs.edit(r.fleet, kindOfType(r.type), r.name)
    case 'version':
      return `/fleets/${encodeURIComponent(r.fleet)}/versions/${r.number}`
    case 'proxy':
      return `/proxies/${encodeURIComponent(r.nodeId)}`
  }
}

/** A stable, unique value per result (the palette's item value). */
export function resultKey(r: SearchResult): string {
  switch (r.kind) {
    case 'fleet':
      return `fleet:${r.fleet}`
    case 'resource':
      return `resource:${r.fleet}:${r.type}:${r.name}`
    case 'version':
      return `version:${r.fleet}:${r.number}`
    case 'proxy':
      return `proxy:${r.nodeId}`
  }
}
