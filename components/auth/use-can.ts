'use client'

import { useQuery } from '@tanstack/react-query'
import type { Role } from '@/server/contract'
import { grantsAllow } from './can'
import { authQueries } from './queries'

/**
 * Whether the signed-in user may do what `need` allows on `fleet` (`null`: on every fleet). The
 * console layout puts authQueries.me in the cache on the server, so the answer is known at the
 * first render (no button flashes in or out); until it is known, nothing is offered.
 */
export function useCan(need: Role, fleet: string | null): boolean {
  const { data } = useQuery(authQueries.me())
  return data?.principal ? grantsAllow(data.principal.grants, need, fleet) : false
}
