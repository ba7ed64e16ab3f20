import { XdsActivityQuery } from '@/server/contract'
import { withApi } from '@/server/http/with-api'

export const dynamic = 'force-dynamic'

/** Pushes, ACKs, NACKs and connected proxies of the fleet over the last hour (`?range=hour`, default) or day, per bucket. */
export const GET = withApi<{ fleet: string }>(async (req, { params, services }) => {
  const query = XdsActivityQuery.parse(Object.fromEntries(new URL(req.url).searchParams))
  return Response.json(await services.fleets.xdsActivity({ fleet: params.fleet, range: query.range ?? 'hour' }))
})
