import { etag, parseRevisionHeader, readBodyDocuments } from '@/server/http/body'
import { booleanQuery } from '@/server/http/params'
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

/**
 * Replaces the whole draft with a bundle (YAML documents `{type, name, resource}`, or a JSON array
 * of them), in one transaction. `If-Match: "<draft revision>"` → 409 if the draft moved since;
 * `?dryRun=true` only answers the diff. Any bad document refuses the whole bundle (4xx naming it).
 */
export const PUT = withApi<Params>(async (req, { runtime, params, services }) => {
  const ifMatch = parseRevisionHeader(req.headers.get('if-match'))
  const dryRun = booleanQuery(new URL(req.url), 'dryRun')
  const documents = await readBodyDocuments(req, runtime.maxBodyBytes)
  const result = await services.drafts.replace({ fleet: params.fleet, documents, dryRun, ...(ifMatch === undefined ? {} : { ifMatch }) })
  return Response.json(result, { headers: { etag: etag(result.draftRevision) } })
})
