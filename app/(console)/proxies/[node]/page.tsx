import { dehydrate, HydrationBoundary } from '@tanstack/react-query'
import type { Metadata } from 'next'
import { ProxyDetailView } from '@/components/proxies/proxy-detail-view'
import { PROXY_EVENTS_LIMIT, proxyQueries } from '@/components/proxies/queries'
import { createQueryClient } from '@/components/query-client'
import { consoleServices } from '@/server/http/console-session'

export const dynamic = 'force-dynamic'

type Props = Readonly<{ params: Promise<{ node: string }> }>

/** Route params arrive percent-encoded when the node id needed it (e.g. a '/' or ':' in it). */
function decodeNode(raw: string): string {
  try {
    return decodeURIComponent(raw)
  } catch {
    return raw
  }
}

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  return { title: decodeNode((await params).node) }
}

export default async function ProxyPage({ params }: Props) {
  const nodeId = decodeNode((await params).node)
  const queryClient = createQueryClient()
  // A failed prefetch (e.g. no such node → 404) is not dehydrated: the browser asks the API and shows its answer.
  await Promise.all([
    queryClient.prefetchQuery({ ...proxyQueries.detail(nodeId), queryFn: async () => (await consoleServices()).proxies.get(nodeId) }),
    queryClient.prefetchQuery({ ...proxyQueries.events(nodeId), queryFn: async () => (await consoleServices()).proxies.events({ nodeId, limit: PROXY_EVENTS_LIMIT }) }),
    // Keyed by the proxy's fleet, which the answer names (the view reads it from the detail: the same fleet).
    (async () => {
      const drift = await (await consoleServices()).proxies.drift(nodeId)
      queryClient.setQueryData(proxyQueries.drift(nodeId, drift.fleet).queryKey, drift)
    })().catch(() => undefined),
  ])
  return (
    <HydrationBoundary state={dehydrate(queryClient)}>
      <ProxyDetailView nodeId={nodeId} />
    </HydrationBoundary>
  )
}
