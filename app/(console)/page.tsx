import { dehydrate, HydrationBoundary } from '@tanstack/react-query'
import type { Metadata } from 'next'
import { pickFleet } from '@/components/fleets/pick-fleet'
import { fleetQueries } from '@/components/fleets/queries'
import { OverviewView } from '@/components/overview/overview-view'
import { activityQueries, OVERVIEW_ACTIVITY_LIMIT } from '@/components/overview/queries'
import { createQueryClient } from '@/components/query-client'
import { PageHeader } from '@/components/ui/page-header'
import { versionQueries } from '@/components/versions/queries'
import { consoleServices } from '@/server/http/console-session'

// Always rendered per request: the page is a view of the live database.
export const dynamic = 'force-dynamic'
export const metadata: Metadata = { title: 'Overview' }

type Props = Readonly<{ searchParams: Promise<Record<string, string | string[] | undefined>> }>

/**
 * Server-rendered with the data already in place: the same queryOptions the client components use,
 * filled here from the services instead of the HTTP API (TanStack "Advanced Server Rendering").
 * A failed prefetch is not dehydrated; the client then fetches through the API and shows the error.
 * The fleet remembered in the browser is not known here; when it differs, the client fetches its versions.
 */
export default async function OverviewPage({ searchParams }: Props) {
  const requestedFleet = [(await searchParams).fleet].flat()[0]
  const queryClient = createQueryClient()
  const services = consoleServices

  await Promise.all([
    // To pick the fleet whose versions to show (the layout has the list, but this page cannot read it).
    queryClient.prefetchQuery({ ...fleetQueries.list(), queryFn: async () => (await services()).fleets.list() }),
    queryClient.prefetchQuery({ ...activityQueries.list(null, OVERVIEW_ACTIVITY_LIMIT), queryFn: async () => (await services()).activity.list({ limit: OVERVIEW_ACTIVITY_LIMIT }) }),
  ])
  const selected = pickFleet(queryClient.getQueryData(fleetQueries.list().queryKey) ?? [], requestedFleet)
  if (selected) {
    await queryClient.prefetchQuery({ ...versionQueries.list(selected.name), queryFn: async () => (await services()).versions.list({ fleet: selected.name }) })
  }

  return (
    <HydrationBoundary state={dehydrate(queryClient)}>
      <PageHeader title="Overview" description="Every fleet's active version, how its proxies are doing and what waits to be committed; then the current fleet's latest versions and recent activity." />
      <OverviewView />
    </HydrationBoundary>
  )
}
