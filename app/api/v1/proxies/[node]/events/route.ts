import { z } from 'zod'
import { withApi } from '@/server/http/with-api'

export const dynamic = 'force-dynamic'
const EventsQuery = z.object({ limit: z.coerce.number().int().min(1).max(1000).optional() })

/** The proxy's stream timeline, newest first: connected, pushes, ACKs, NACKs with text, closes. */
export const GET = withApi<{ node: string }>(async (req, { runtime, params }) => {
  const query = EventsQuery.parse(Object.fromEntries(new URL(req.url).searchParams))
  return Response.json({ events: await runtime.services.proxies.events({ nodeId: params.node, ...query }) })
})
