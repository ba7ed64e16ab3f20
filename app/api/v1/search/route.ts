import { SearchQuery } from '@/server/contract'
import { withApi } from '@/server/http/with-api'

export const dynamic = 'force-dynamic'

/**
 * Search everywhere (the console's ⌘K palette): `?q=` (1–256 characters) finds fleets, draft
 * resources by name or content, versions by message or number, proxies by node id, in the fleets
 * the caller may read; at most `?limit=` (8, up to 50) of each kind, `more` saying where there are more.
 */
export const GET = withApi(async (req, { services }) => {
  const query = SearchQuery.parse(Object.fromEntries(new URL(req.url).searchParams))
  return Response.json(await services.search(query))
})
