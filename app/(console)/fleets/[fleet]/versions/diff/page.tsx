import { dehydrate, HydrationBoundary } from '@tanstack/react-query'
import type { Metadata } from 'next'
import { createQueryClient } from '@/components/query-client'
import { parseVersionParam } from '@/components/versions/compare-selection'
import { formatVersion } from '@/components/versions/format-version'
import { versionQueries } from '@/components/versions/queries'
import { VersionDiffView } from '@/components/versions/version-diff-view'
import { consoleServices } from '@/server/http/console-session'
import { fleetParam } from '../load'

export const dynamic = 'force-dynamic'

type Props = Readonly<{ params: Promise<{ fleet: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> }>

export async function generateMetadata({ params, searchParams }: Props): Promise<Metadata> {
  const query = await searchParams
  const [from, to] = [parseVersionParam(query.from), parseVersionParam(query.to)]
  const what = from !== null && to !== null ? `${formatVersion(from)} → ${formatVersion(to)}` : 'Compare'
  return { title: `${what} · ${fleetParam((await params).fleet)}` }
}

/** /fleets/{fleet}/versions/diff?from=a&to=b */
export default async function VersionDiffPage({ params, searchParams }: Props) {
  const fleet = fleetParam((await params).fleet)
  const query = await searchParams
  const [from, to] = [parseVersionParam(query.from), parseVersionParam(query.to)]
  const queryClient = createQueryClient()
  const services = await consoleServices()
  await Promise.all([
    queryClient.prefetchQuery({ ...versionQueries.list(fleet), queryFn: () => services.versions.list({ fleet }) }),
    from !== null && to !== null && from !== to ? queryClient.prefetchQuery({ ...versionQueries.diff(fleet, from, to), queryFn: () => services.versions.diff({ fleet, from, to }) }) : null,
  ])
  return (
    <HydrationBoundary state={dehydrate(queryClient)}>
      <VersionDiffView fleet={fleet} from={from} to={to} />
    </HydrationBoundary>
  )
}
