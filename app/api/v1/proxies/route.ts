import { z } from 'zod'
import { PROXY_STATES } from '@/server/status/proxy-status'
import { withApi } from '@/server/http/with-api'

export const dynamic = 'force-dynamic'

const ProxyQuery = z.object({ fleet: z.string().min(1).optional(), state: z.enum(PROXY_STATES as [string, ...string[]]).optional() })

/** Every proxy any replica has served (latest stream per node id), with its derived state. */
export const GET = withApi(async (req, { runtime }) => {
  const query = ProxyQuery.parse(Object.fromEntries(new URL(req.url).searchParams))
  const proxies = await runtime.services.proxies.list({ ...(query.fleet ? { fleet: query.fleet } : {}), ...(query.state ? { state: query.state as (typeof PROXY_STATES)[number] } : {}) })
  return Response.json({ proxies })
})
