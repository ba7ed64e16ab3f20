import { dehydrate, HydrationBoundary } from '@tanstack/react-query'
import type { Metadata } from 'next'
import { notFound } from 'next/navigation'
import { createQueryClient } from '@/components/query-client'
import { parseVersionParam } from '@/components/versions/compare-selection'
import { formatVersion } from '@/components/versions/format-version'
import { HISTORY_PAGE_SIZE, versionQueries } from '@/components/versions/queries'
import { VersionDetailView } from '@/components/versions/version-detail-view'
import { consoleServices } from '@/server/http/console-session'
import { fleetParam, loadFleetStatus, loadVersionPage } from '../load'

export const dynamic = 'force-dynamic'

type Props = Readonly<{ params: Promise<{ fleet: string; number: string }> }>

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const { fleet, number } = await params
  const n = parseVersionParam(number)
  return { title: `${n === null ? 'Version' : formatVersion(n)} · ${fleetParam(fleet)}` }
}

/** /fleets/{fleet}/versions/{n}: the version, its resources and its diff against its parent. */
export default async function VersionDetailPage({ params }: Props) {
  const raw = await params
  const fleet = fleetParam(raw.fleet)
  const number = parseVersionParam(raw.number)
  if (number === null) notFound()
  const queryClient = createQueryClient()
  const services = await consoleServices()
  await Promise.all([
    queryClient.prefetchQuery({ ...versionQueries.detail(fleet, number), queryFn: () => services.versions.get({ fleet, number }) }),
    queryClient.prefetchQuery({ ...versionQueries.fleetStatus(fleet), queryFn: () => loadFleetStatus(services, fleet) }),
    queryClient.prefetchInfiniteQuery({ ...versionQueries.history(fleet), queryFn: () => loadVersionPage(services, fleet, { limit: HISTORY_PAGE_SIZE }) }),
  ])
  const parent = queryClient.getQueryData(versionQueries.detail(fleet, number).queryKey)?.parent
  if (typeof parent === 'number') {
    await queryClient.prefetchQuery({ ...versionQueries.diff(fleet, parent, number), queryFn: () => services.versions.diff({ fleet, from: parent, to: number }) })
  }
  return (
    <HydrationBoundary state={dehydrate(queryClient)}>
      <VersionDetailView fleet={fleet} number={number} />
    </HydrationBoundary>
  )
}
