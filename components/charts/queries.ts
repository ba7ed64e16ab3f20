import { queryOptions } from '@tanstack/react-query'
import { ACTIVITY_RANGES, type ActivityRange, type ConvergenceCurve, type XdsActivity } from '@/server/contract'
import { apiFetch, apiPath } from '../api'
import { versionQueries } from '../versions/queries'

/**
 * The charts' data. Both keys extend the fleet's version list key, so the events that refresh the
 * list's convergence column (proxy.changed and version.created of the fleet, components/live)
 * refresh them too: a new ACK is a new point on the curve and a count in the activity.
 */
export const chartQueries = {
  /** One point per proxy that reached or rejected version `number`. */
  convergence: (fleet: string, number: number) =>
    queryOptions({
      queryKey: [...versionQueries.list(fleet).queryKey, 'convergence', number] as const,
      queryFn: ({ signal }) => apiFetch<ConvergenceCurve>(apiPath('fleets', fleet, 'versions', number, 'convergence'), { signal }),
    }),
  /** Pushes, ACKs, NACKs and connected proxies per bucket; read again each bucket, as time moves on without events. */
  xdsActivity: (fleet: string, range: ActivityRange) =>
    queryOptions({
      queryKey: [...versionQueries.list(fleet).queryKey, 'xds-activity', range] as const,
      queryFn: ({ signal }) => apiFetch<XdsActivity>(`${apiPath('fleets', fleet, 'xds-activity')}?range=${range}`, { signal }),
      refetchInterval: ACTIVITY_RANGES[range].bucketMs,
      staleTime: 5_000,
    }),
}
