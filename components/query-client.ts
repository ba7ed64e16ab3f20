import { QueryClient } from '@tanstack/react-query'
import { ApiError } from './api'

/**
 * A 4xx will answer the same way again; only retry what may be transient. In the browser the error
 * is an ApiError; on the server a page prefetches straight from the services, whose LegationError
 * carries the same HTTP `status` (server/errors.ts; not imported here, this file ships to the
 * browser). Retrying those with the default delays (1 s, then 2 s) kept a missing resource,
 * version or proxy page waiting ~3 s before saying "not found" (#15).
 */
export function isClientError(error: unknown): boolean {
  const status = error instanceof ApiError ? error.status : typeof error === 'object' && error !== null && 'status' in error ? (error as { status: unknown }).status : undefined
  return typeof status === 'number' && status >= 400 && status < 500
}

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
        retry: (failureCount, error) => !isClientError(error) && failureCount < 2,
      },
    },
  })
}
