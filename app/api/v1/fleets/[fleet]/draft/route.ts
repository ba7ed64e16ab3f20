import { etag } from '@/server/http/body'
import { withApi } from '@/server/http/with-api'

export const dynamic = 'force-dynamic'
type Params = { fleet: string }

/** The whole draft; its ETag is the draft revision, to send as If-Match on commit. */
export const GET = withApi<Params>(async (_req, { params, services }) => {
  const draft = await services.drafts.get(params.fleet)
  return Response.json(draft, { headers: { etag: etag(draft.draftRevision) } })
})

/** Discards uncommitted changes: the draft becomes the active version again. */
export const DELETE = withApi<Params>(async (_req, { params, services }) => {
  const draft = await services.drafts.discard({ fleet: params.fleet })
  return Response.json(draft, { headers: { etag: etag(draft.draftRevision) } })
})
