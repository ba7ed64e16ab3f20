'use client'

import { useQuery } from '@tanstack/react-query'
import { useParams, useSearchParams } from 'next/navigation'
import { useSyncExternalStore } from 'react'
import { fleetQueries } from '../fleets/queries'
import { readLastFleet, subscribeLastFleet } from './last-fleet'
import { resolveCurrentFleet } from './resolve-fleet'

const noFleet = (): null => null

/** The remembered fleet; null on the server and during hydration, so both render the same. */
export function useLastFleet(): string | null {
  return useSyncExternalStore(subscribeLastFleet, readLastFleet, noFleet)
}

/**
 * The fleet the console is about: the `[fleet]` route param if present, else `?fleet=`, else the
 * last used fleet (localStorage `legation.fleet`), else the first fleet. null while nothing is known
 * yet (the fleet list is loading) or when there are no fleets at all.
 *
 * The shell remembers the fleet of every page visited, so a page without a fleet in its URL (the
 * overview, /proxies) follows the fleet of the page before.
 */
export function useCurrentFleet(): string | null {
  const params = useParams<{ fleet?: string | string[] }>()
  const searchParams = useSearchParams()
  const lastFleet = useLastFleet()
  const { data: fleets } = useQuery(fleetQueries.list())
  const routeFleet = typeof params?.fleet === 'string' ? decodeSegment(params.fleet) : null
  return resolveCurrentFleet({ routeFleet, searchFleet: searchParams?.get('fleet'), lastFleet, fleets })
}

/** A route segment as the user named it; a malformed escape is kept as it is. */
export function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment)
  } catch {
    return segment
  }
}
