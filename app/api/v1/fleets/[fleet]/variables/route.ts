import { etag } from '@/server/http/body'
import { withApi } from '@/server/http/with-api'

export const dynamic = 'force-dynamic'

/** The draft's variables (a secret's value is never shown) and those inherited from the fleet's template. ETag = draft revision. */
export const GET = withApi<{ fleet: string }>(async (_req, { params, services }) => {
  const view = await services.variables.list(params.fleet)
  return Response.json(view, { headers: { etag: etag(view.draftRevision) } })
})
