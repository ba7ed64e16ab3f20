import { ProxyEventsQuery } from '@/server/contract'
import { withApi } from '@/server/http/with-api'

export const dynamic = 'force-dynamic'

/** The proxy's stream timeline, newest first: connected, pushes, ACKs, NACKs with text, closes. */
export const GET = withApi<{ node: string }>(async (req, { params, services }) => {
  const query = ProxyEventsQuery.parse(Object.fromEntries(new URL(req.url).searchParams))
  return Response.json({ events: await services.proxies.events({ nodeId: params.node, ...query }) })
})
