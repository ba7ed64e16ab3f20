import { ListQuery } from '@/server/http/schemas'
import { withApi } from '@/server/http/with-api'

export const dynamic = 'force-dynamic'

/** Newest first; `?limit=` (default 50) and `?before=<number>` page backwards. */
export const GET = withApi<{ fleet: string }>(async (req, { runtime, params }) => {
  const query = ListQuery.parse(Object.fromEntries(new URL(req.url).searchParams))
  return Response.json({ versions: await runtime.services.versions.list({ fleet: params.fleet, ...query }) })
})
