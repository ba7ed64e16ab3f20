import { OnActiveQuery, ProxyListQuery } from '@/server/contract'
import { withApi } from '@/server/http/with-api'

export const dynamic = 'force-dynamic'

/**
 * One page of the proxies any replica has served (latest stream per node id), with their derived
 * state: `{ proxies, nextCursor, total }`. `?limit=` (100, at most 500), `?after=<nextCursor>`,
 * `?fleet=`, `?state=`, `?q=` (node id substring, any case), `?sort=nodeId|state|connectedAt&order=asc|desc`.
 * `?onActive=false`: only connected proxies not running their fleet's active version (`true`: only those that do).
 */
export const GET = withApi(async (req, { services }) => {
  const params = Object.fromEntries(new URL(req.url).searchParams)
  const { onActive, ...rest } = params
  const query = ProxyListQuery.parse(rest)
  const running = OnActiveQuery.parse({ onActive })
  const { order, ...page } = query
  return Response.json(
    await services.proxies.page({
      ...page,
      ...(order === 'desc' ? { desc: true } : {}),
      ...(running.onActive ? { onActive: running.onActive === 'true' } : {}),
    }),
  )
})
