import { z } from 'zod'
import { withApi } from '@/server/http/with-api'

export const dynamic = 'force-dynamic'
const AuditQuery = z.object({ fleet: z.string().optional(), limit: z.coerce.number().int().min(1).max(1000).optional() })

export const GET = withApi(async (req, { runtime }) => {
  const query = AuditQuery.parse(Object.fromEntries(new URL(req.url).searchParams))
  return Response.json({ entries: await runtime.services.audit.list(query) })
})
