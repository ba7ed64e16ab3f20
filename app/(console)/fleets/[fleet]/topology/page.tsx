import { dehydrate, HydrationBoundary } from '@tanstack/react-query'
import type { Metadata } from 'next'
import { createQueryClient } from '@/components/query-client'
import { decodeSegment } from '@/components/resources/route-params'
import { topologyParams, topologyQueries } from '@/components/topology/queries'
import { TopologyPage } from '@/components/topology/topology-view'
import { consoleServices } from '@/server/http/console-session'

export const dynamic = 'force-dynamic'

type Props = Readonly<{ params: Promise<{ fleet: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> }>

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  return { title: `Topology · ${decodeSegment((await params).fleet)}` }
}

/** The fleet's draft as a graph, prefetched on the server; laid out and drawn in the browser. */
export default async function TopologyRoute({ params, searchParams }: Props) {
  const fleet = decodeSegment((await params).fleet)
  const query = topologyParams(await searchParams)
  const services = await consoleServices()
  const queryClient = createQueryClient()
  const fleets = await services.fleets.list()
  const activeVersion = fleets.find((f) => f.name === fleet)?.activeVersion?.number ?? null
  await queryClient.prefetchQuery({
    ...topologyQueries.graph(fleet, activeVersion, query),
    queryFn: () => services.fleets.topology({ fleet, ...(query.focus ? { focus: query.focus } : {}), ...(query.detail ? { detail: query.detail } : {}) }),
  })
  return (
    <HydrationBoundary state={dehydrate(queryClient)}>
      <TopologyPage fleet={fleet} params={query} />
    </HydrationBoundary>
  )
}
