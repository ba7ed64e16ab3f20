import { queryOptions } from '@tanstack/react-query'
import type { Me } from '@/server/contract'
import { apiFetch } from '../api'

export const authQueries = {
  me: () => queryOptions({ queryKey: ['auth', 'me'] as const, queryFn: ({ signal }) => apiFetch<Me>('/api/v1/auth/me', { signal }), staleTime: 60_000 }),
}
