import { queryOptions } from '@tanstack/react-query'
import type { FleetSummary, VariablesView } from '@/server/contract'
import { apiFetch, apiPath } from '../api'

export const variableQueries = {
  all: (fleet: string) => ['variables', fleet] as const,
  list: (fleet: string) => queryOptions({ queryKey: [...variableQueries.all(fleet), 'list'] as const, queryFn: ({ signal }) => apiFetch<VariablesView>(apiPath('fleets', fleet, 'variables'), { signal }) }),
}

export const putVariable = (fleet: string, name: string, body: { value: string; secret: boolean }, ifMatch: number) =>
  apiFetch<VariablesView>(apiPath('fleets', fleet, 'variables', name), { method: 'PUT', body, ifMatch })
export const deleteVariable = (fleet: string, name: string, ifMatch: number) => apiFetch<VariablesView>(apiPath('fleets', fleet, 'variables', name), { method: 'DELETE', ifMatch })
export const setTemplate = (fleet: string, template: string | null) => apiFetch<FleetSummary>(apiPath('fleets', fleet), { method: 'PATCH', body: { template } })
