import { ListQuery } from '@/server/contract'
import { withApi } from '@/server/http/with-api'

export const dynamic = 'force-dynamic'

/** Newest first; `?limit=` (default 50) and `?before=<number>` page backwards. Each with its convergence: n/N proxies on it. */
export const GET = withApi<{ fleet: string }>(async (req, { params, services }) => {
  const query = ListQuery.parse(Object.fromEntries(new URL(req.url).searchParams))
  const versions = await services.versions.list({ fleet: params.fleet, ...query })
  const convergence = await services.proxies.convergence({ fleet: params.fleet, versions: versions.map((v) => v.number) })
  const byNumber = new Map(convergence.map((c) => [c.version, c]))
  return Response.json({ versions: versions.map((v) => ({ ...v, convergence: byNumber.get(v.number) ?? null })) })
})
