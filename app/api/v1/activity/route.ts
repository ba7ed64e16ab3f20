import { ActivityQuery } from '@/server/contract'
import { withApi } from '@/server/http/with-api'

export const dynamic = 'force-dynamic'

/** Recent commits, rollbacks, draft edits, NACKs, connects and disconnects, newest first. */
export const GET = withApi(async (req, { services }) => {
  const query = ActivityQuery.parse(Object.fromEntries(new URL(req.url).searchParams))
  return Response.json({ items: await services.activity.list(query) })
})
