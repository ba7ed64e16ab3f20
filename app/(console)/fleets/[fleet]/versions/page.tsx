import { dehydrate, HydrationBoundary } from '@tanstack/react-query'
import type { Metadata } from 'next'
import { createQueryClient } from '@/components/query-client'
import { HISTORY_PAGE_SIZE, versionQueries } from '@/components/versions/queries'
import { VersionsPage } from '@/components/versions/versions-page'
import { consoleServices } from '@/server/http/console-session'
import { parseVersionParam } from '@/components/versions/compare-selection'
import { fleetParam, loadFleetStatus, loadVersionPage } from './load'

// Always rendered per request: the page is a view of the live database.
export const dynamic = 'force-dynamic'

type Props = Readonly<{ params: Promise<{ fleet: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> }>

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  return { title: `Versions · ${fleetParam((await params).fleet)}` }
}

/**
 * Server-rendered with the data in place (the same queryOptions the client uses, filled from the
 * services); a failed prefetch is not dehydrated, and the client then fetches and shows the error.
 */
export default async function FleetVersionsPage({ params, searchParams }: Props) {
  const fleet = fleetParam((await params).fleet)
  // `?follow=<n>`: follow the rollout of version n (committed on the Changes page, rolled back on a
  // version's own page); `?rollout=<n>` is its older name.
  const query = await searchParams
  const follow = parseVersionParam(query.follow) ?? parseVersionParam(query.rollout)
  const queryClient = createQueryClient()
  const services = await consoleServices()
  await Promise.all([
    queryClient.prefetchQuery({ ...versionQueries.fleetStatus(fleet), queryFn: () => loadFleetStatus(services, fleet) }),
    queryClient.prefetchInfiniteQuery({ ...versionQueries.history(fleet), queryFn: () => loadVersionPage(services, fleet, { limit: HISTORY_PAGE_SIZE }) }),
  ])
  return (
    <HydrationBoundary state={dehydrate(queryClient)}>
      <VersionsPage key={follow ?? 0} fleet={fleet} {...(follow === null ? {} : { follow })} />
    </HydrationBoundary>
  )
}
