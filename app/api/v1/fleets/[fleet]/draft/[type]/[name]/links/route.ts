import { resourceTypeParamOrThrow } from '@/server/http/params'
import { withApi } from '@/server/http/with-api'

export const dynamic = 'force-dynamic'

/** What one draft resource refers to (`uses`) and which draft resources refer to it (`usedBy`), each with the field. */
export const GET = withApi<{ fleet: string; type: string; name: string }>(async (_req, { params, services }) => {
  const type = resourceTypeParamOrThrow(params.type)
  return Response.json(await services.drafts.links({ fleet: params.fleet, type, name: params.name }))
})
