import { dehydrate, HydrationBoundary } from '@tanstack/react-query'
import type { Metadata } from 'next'
import { FleetsTable } from '@/components/fleets/fleets-table'
import { pickFleet } from '@/components/fleets/pick-fleet'
import { fleetQueries } from '@/components/fleets/queries'
import { createQueryClient } from '@/components/query-client'
import { PageHeader } from '@/components/ui/page-header'
import { versionQueries } from '@/components/versions/queries'
import { VersionsSection } from '@/components/versions/versions-section'
import { getRuntime } from '@/server/runtime'

// Always rendered per request: the page is a view of the live database.
export const dynamic = 'force-dynamic'
export const metadata: Metadata = { title: 'Fleets' }

type Props = Readonly<{ searchParams: Promise<Record<string, string | string[] | undefined>> }>

/**
 * Server-rendered with the data already in place: the same queryOptions the client components use,
 * filled here from the services instead of the HTTP API (TanStack "Advanced Server Rendering").
 * A failed prefetch is not dehydrated; the client then fetches through the API and shows the error.
 */
export default async function FleetsPage({ searchParams }: Props) {
  const param = (await searchParams).fleet
  const requestedFleet = Array.isArray(param) ? param[0] : param
  const queryClient = createQueryClient()

  await queryClient.prefetchQuery({ ...fleetQueries.list(), queryFn: () => getRuntime().services.fleets.list() })
  const fleets = queryClient.getQueryData(fleetQueries.list().queryKey) ?? []
  const selected = pickFleet(fleets, requestedFleet)
  if (selected) {
    await queryClient.prefetchQuery({ ...versionQueries.list(selected.name), queryFn: () => getRuntime().services.versions.list({ fleet: selected.name }) })
  }

  return (
    <HydrationBoundary state={dehydrate(queryClient)}>
      <PageHeader title="Fleets" description="Each fleet is a group of Envoy proxies (matched by node.cluster) that share one configuration. Its versions are immutable; the active one is what the proxies are served." />
      <div className="space-y-5">
        <FleetsTable requestedFleet={requestedFleet} />
        <VersionsSection requestedFleet={requestedFleet} />
      </div>
    </HydrationBoundary>
  )
}
