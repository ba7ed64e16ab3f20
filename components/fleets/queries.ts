import { queryOptions } from '@tanstack/react-query'
import type { FleetSelector, FleetSummary } from '@/server/contract'
import { apiFetch, apiPath } from '../api'

async function fetchFleets(signal: AbortSignal): Promise<FleetSummary[]> {
  const body = await apiFetch<{ fleets: FleetSummary[] }>(apiPath('fleets'), { signal })
  return body.fleets
}

/** Keys go from generic to specific (TkDodo, "Effective React Query Keys"): invalidate `all()` to refresh every fleet query. */
export const fleetQueries = {
  all: () => ['fleets'] as const,
  list: () => queryOptions({ queryKey: [...fleetQueries.all(), 'list'] as const, queryFn: ({ signal }) => fetchFleets(signal) }),
}

export type FleetCreateBody = Readonly<{ name: string; description: string; selector: FleetSelector | null; confirmTakeover?: boolean }>
export type FleetUpdateBody = Readonly<{ description?: string; selector?: FleetSelector | null; confirmTakeover?: boolean }>

export const createFleet = (body: FleetCreateBody) => apiFetch<FleetSummary>(apiPath('fleets'), { method: 'POST', body })
export const updateFleet = (name: string, body: FleetUpdateBody) => apiFetch<FleetSummary>(apiPath('fleets', name), { method: 'PATCH', body })
