import { etag } from '@/server/http/body'
import { withApi } from '@/server/http/with-api'

export const dynamic = 'force-dynamic'

/** Draft against the active version, per resource, plus the problems a commit would be refused for. */
export const GET = withApi<{ fleet: string }>(async (_req, { params, services }) => {
  const diff = await services.drafts.diff(params.fleet)
  return Response.json(diff, { headers: { etag: etag(diff.draftRevision) } })
})
