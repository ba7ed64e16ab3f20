import { AuditQuery } from '@/server/contract'
import { withApi } from '@/server/http/with-api'

export const dynamic = 'force-dynamic'

export const GET = withApi(async (req, { services }) => {
  const query = AuditQuery.parse(Object.fromEntries(new URL(req.url).searchParams))
  return Response.json({ entries: await services.audit.list(query) })
})
