import { ProxyListQuery } from '@/server/contract'
import { withApi } from '@/server/http/with-api'

export const dynamic = 'force-dynamic'

/** Every proxy any replica has served (latest stream per node id), with its derived state. */
export const GET = withApi(async (req, { services }) => {
  const query = ProxyListQuery.parse(Object.fromEntries(new URL(req.url).searchParams))
  const proxies = await services.proxies.list({ ...(query.fleet ? { fleet: query.fleet } : {}), ...(query.state ? { state: query.state } : {}) })
  return Response.json({ proxies })
})
