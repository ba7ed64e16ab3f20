import { QueryClient } from '@tanstack/react-query'
import { ApiError } from './api'

/**
 * One factory for the server (a fresh client per request, filled by the page and dehydrated) and
 * the browser (a singleton, see app/providers.tsx). create-t3-app trpc/query-client.ts: with SSR,
 * a staleTime above zero keeps the client from refetching what the server just rendered.
 */
export function createQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: {
        staleTime: 30_000,
        // A 4xx will answer the same way again; only retry what may be transient.
        retry: (failureCount, error) => !(error instanceof ApiError && error.status >= 400 && error.status < 500) && failureCount < 2,
      },
    },
  })
}
