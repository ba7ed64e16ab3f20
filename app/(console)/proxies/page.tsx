import { dehydrate, HydrationBoundary } from '@tanstack/react-query'
import type { Metadata } from 'next'
import { parseProxyFilters } from '@/components/proxies/filters'
import { ProxiesView } from '@/components/proxies/proxies-view'
import { proxyQueries } from '@/components/proxies/queries'
import { createQueryClient } from '@/components/query-client'
import { PageHeader } from '@/components/ui/page-header'
import { consoleServices } from '@/server/http/console-session'

export const dynamic = 'force-dynamic'
export const metadata: Metadata = { title: 'Proxies' }

/** Beyond this many rows the list is left to the browser: inlining it into the HTML would cost more than fetching it. */
const MAX_SERVER_RENDERED_ROWS = 500

type Props = Readonly<{ searchParams: Promise<Record<string, string | string[] | undefined>> }>

export default async function ProxiesPage({ searchParams }: Props) {
  const raw = await searchParams
  const filters = parseProxyFilters({ get: (name) => [raw[name]].flat()[0] ?? null })
  const queryClient = createQueryClient()
  // A failed prefetch is not dehydrated: the browser then asks the API and shows its error.
  await Promise.all([
    queryClient.prefetchQuery({
      ...proxyQueries.list(filters),
      queryFn: async () => (await consoleServices()).proxies.list({ ...(filters.fleet ? { fleet: filters.fleet } : {}), ...(filters.state ? { state: filters.state } : {}) }),
    }),
  ])
  if ((queryClient.getQueryData(proxyQueries.list(filters).queryKey)?.length ?? 0) > MAX_SERVER_RENDERED_ROWS) queryClient.removeQueries({ queryKey: proxyQueries.lists() })

  return (
    <HydrationBoundary state={dehydrate(queryClient)}>
      <PageHeader
        title="Proxies"
        description="Every Envoy or gRPC client that connected over ADS, with its per-type status as Legation sees it: SYNCED (ACKed the latest response), STALE (not ACKed yet), NACKED (rejected it and runs its last good config) or NOT SENT."
      />
      <ProxiesView />
    </HydrationBoundary>
  )
}
