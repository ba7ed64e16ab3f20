import { z } from 'zod'
import { withApi } from '@/server/http/with-api'

export const dynamic = 'force-dynamic'
const ActivityQuery = z.object({ fleet: z.string().min(1).optional(), limit: z.coerce.number().int().min(1).max(500).optional() })

/** Recent commits, rollbacks, draft edits, NACKs, connects and disconnects, newest first. */
export const GET = withApi(async (req, { runtime }) => {
  const query = ActivityQuery.parse(Object.fromEntries(new URL(req.url).searchParams))
  return Response.json({ items: await runtime.services.activity.list(query) })
})
