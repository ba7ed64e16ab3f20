import { queryOptions } from '@tanstack/react-query'
import { isResourceType, type ResourceKey, type ResourceLinks, type Topology } from '@/server/contract'
import { apiFetch, apiPath } from '../api'
import { draftQueries } from '../resources/queries'
import type { ResourceKind } from '../resources/kinds'

export type TopologyParams = Readonly<{ focus: ResourceKey | null; detail: 'full' | 'resources' | null }>

/**
 * Under the fleet's draft queries, so they refresh with the draft (useDraftSync compares the answer's
 * draftRevision). The graph also marks pending changes against the active version, which a commit
 * moves without touching the draft: `activeVersion` (from the fleet list) is part of its key.
 */
export const topologyQueries = {
  graph: (fleet: string, activeVersion: number | null | undefined, params: TopologyParams) =>
    queryOptions({
      queryKey: [...draftQueries.fleet(fleet), 'topology', activeVersion ?? null, params.focus ? `${params.focus.type}/${params.focus.name}` : null, params.detail] as const,
      queryFn: ({ signal }) => {
        const search = new URLSearchParams()
        if (params.focus) search.set('focus', `${params.focus.type}/${params.focus.name}`)
        if (params.detail) search.set('detail', params.detail)
        const query = search.toString()
        return apiFetch<Topology>(`${apiPath('fleets', fleet, 'topology')}${query ? `?${query}` : ''}`, { signal })
      },
    }),
  links: (fleet: string, kind: ResourceKind, name: string) =>
    queryOptions({
      queryKey: [...draftQueries.fleet(fleet), 'links', kind, name] as const,
      queryFn: ({ signal }) => apiFetch<ResourceLinks>(apiPath('fleets', fleet, 'draft', kind, name, 'links'), { signal }),
    }),
}

/** Console URL of a fleet's topology, optionally narrowed to one resource. */
export function topologyHref(fleet: string, focus?: ResourceKey): string {
  const base = `/fleets/${encodeURIComponent(fleet)}/topology`
  return focus ? `${base}?${new URLSearchParams({ focus: `${focus.type}/${focus.name}` }).toString()}` : base
}

function parseFocus(focus: string | null): ResourceKey | null {
  if (!focus) return null
  const slash = focus.indexOf('/')
  const type = focus.slice(0, slash)
  return slash > 0 && isResourceType(type) ? { type, name: focus.slice(slash + 1) } : null
}

/** The page's `?focus=Type/name&detail=` as query parameters of the API. */
export function topologyParams(search: { focus?: string | string[]; detail?: string | string[] }): TopologyParams {
  const one = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v) ?? null
  const detail = one(search.detail)
  return { focus: parseFocus(one(search.focus)), detail: detail === 'full' || detail === 'resources' ? detail : null }
}

