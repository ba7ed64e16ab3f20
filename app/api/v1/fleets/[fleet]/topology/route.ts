import { parseFocus, TopologyQuery } from '@/server/contract'
import { withApi } from '@/server/http/with-api'

export const dynamic = 'force-dynamic'

/**
 * The fleet's draft as a graph: listener → filter chain → route configuration → virtual host → route
 * → cluster → endpoints, and secrets; broken references and pending changes marked. `?focus=Cluster/x`
 * narrows to what leads to that resource and what it leads to; `?detail=resources` folds the parts.
 */
export const GET = withApi<{ fleet: string }>(async (req, { params, services }) => {
  const query = TopologyQuery.parse(Object.fromEntries(new URL(req.url).searchParams))
  return Response.json(await services.fleets.topology({ fleet: params.fleet, ...(query.focus ? { focus: parseFocus(query.focus) } : {}), ...(query.detail ? { detail: query.detail } : {}) }))
})
