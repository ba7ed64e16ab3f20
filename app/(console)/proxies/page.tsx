import { dehydrate, HydrationBoundary } from '@tanstack/react-query'
import type { Metadata } from 'next'
import { parseProxyFilters } from '@/components/proxies/filters'
import { ProxiesView } from '@/components/proxies/proxies-view'
import { PROXY_PAGE_SIZE, proxyQueries } from '@/components/proxies/queries'
import { createQueryClient } from '@/components/query-client'
import { PageHeader } from '@/components/ui/page-header'
import { consoleServices } from '@/server/http/console-session'

export const dynamic = 'force-dynamic'
export const metadata: Metadata = { title: 'Proxies' }

type Props = Readonly<{ searchParams: Promise<Record<string, string | string[] | undefined>> }>

export default async function ProxiesPage({ searchParams }: Props) {
  const raw = await searchParams
  const filters = parseProxyFilters({ get: (name) => [raw[name]].flat()[0] ?? null })
  const queryClient = createQueryClient()
  // The first page, as the browser would ask for it (node id order, no search). A failed prefetch is
  // not dehydrated: the browser then asks the API and shows its error.
  const list = { ...filters, q: '', sort: 'nodeId' as const, desc: false }
  await queryClient.prefetchInfiniteQuery({
    ...proxyQueries.list(list),
    queryFn: async () =>
      (await consoleServices()).proxies.page({
        ...(filters.fleet ? { fleet: filters.fleet } : {}),
        ...(filters.state ? { state: filters.state } : {}),
        ...(filters.onActive !== null ? { onActive: filters.onActive } : {}),
        limit: PROXY_PAGE_SIZE,
      }),
  })

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
