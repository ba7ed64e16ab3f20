import { queryOptions } from '@tanstack/react-query'
import type { ActivityFilter, ActivityItem, ActivityKind } from '@/server/contract'
import { apiFetch, apiPath } from '../api'

export type { ActivityFilter, ActivityItem, ActivityKind }

/** GET /api/v1/activity: newest first; `limit` applies to each kind of line (changes, NACKs, connections). */
async function fetchActivity(fleet: string | null, limit: number, kind: ActivityFilter | null, signal: AbortSignal): Promise<ActivityItem[]> {
  const search = new URLSearchParams({ limit: String(limit) })
  if (fleet) search.set('fleet', fleet)
  if (kind) search.set('kind', kind)
  const body = await apiFetch<{ items: ActivityItem[] }>(`${apiPath('activity')}?${search.toString()}`, { signal })
  return body.items
}

/** How many lines of each kind the overview shows. */
export const OVERVIEW_ACTIVITY_LIMIT = 20

/** ['activity', fleet | null, limit, kind | null]: every event the feed sends may add an item, so `all()` is invalidated on each. */
export const activityQueries = {
  all: () => ['activity'] as const,
  list: (fleet: string | null, limit: number, kind: ActivityFilter | null = null) =>
    queryOptions({ queryKey: [...activityQueries.all(), fleet, limit, kind] as const, queryFn: ({ signal }) => fetchActivity(fleet, limit, kind, signal), staleTime: 5_000 }),
}
