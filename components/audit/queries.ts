import { keepPreviousData, queryOptions } from '@tanstack/react-query'
import type { AuditEntry } from '@/server/contract'
import { apiFetch, apiPath } from '../api'
import { auditQueryNow, type AuditFilters } from './filters'

async function fetchAudit(filters: AuditFilters, limit: number, signal: AbortSignal): Promise<AuditEntry[]> {
  const query = auditQueryNow(filters, limit)
  const search = new URLSearchParams(Object.entries(query).map(([k, v]) => [k, String(v)]))
  const body = await apiFetch<{ entries: AuditEntry[] }>(`${apiPath('audit')}?${search.toString()}`, { signal })
  return body.entries
}

/** ['audit', 'list', filters, limit]: the live feed invalidates `all()` on every change it reports. */
export const auditQueries = {
  all: () => ['audit'] as const,
  list: (filters: AuditFilters, limit: number) =>
    queryOptions({
      queryKey: [...auditQueries.all(), 'list', filters, limit] as const,
      queryFn: ({ signal }) => fetchAudit(filters, limit, signal),
      staleTime: 5_000,
      // A new filter keeps the last answer on screen (dimmed) until its own arrives.
      placeholderData: keepPreviousData,
    }),
}
