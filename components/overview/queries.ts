import { queryOptions } from '@tanstack/react-query'
import { apiFetch, apiPath } from '../api'

export type ActivityKind = 'commit' | 'rollback' | 'import' | 'draft' | 'fleet' | 'nack' | 'connected' | 'disconnected' | 'refused'

/** GET /api/v1/activity: newest first. */
export type ActivityItem = Readonly<{ at: string; kind: ActivityKind; fleet: string | null; actor?: string; nodeId?: string; version?: number; message: string }>

async function fetchActivity(fleet: string | null, limit: number, signal: AbortSignal): Promise<ActivityItem[]> {
  const search = new URLSearchParams({ limit: String(limit) })
  if (fleet) search.set('fleet', fleet)
  const body = await apiFetch<{ items: ActivityItem[] }>(`${apiPath('activity')}?${search.toString()}`, { signal })
  return body.items
}

/** How many items the overview shows. */
export const OVERVIEW_ACTIVITY_LIMIT = 20

/** ['activity', fleet | null, limit]: every event the feed sends may add an item, so `all()` is invalidated on each. */
export const activityQueries = {
  all: () => ['activity'] as const,
  list: (fleet: string | null, limit: number) =>
    queryOptions({ queryKey: [...activityQueries.all(), fleet, limit] as const, queryFn: ({ signal }) => fetchActivity(fleet, limit, signal), staleTime: 5_000 }),
}
