import { ImportInput } from '@/server/contract'
import { etag, parseDocumentsText, parseRevisionHeader, readBody } from '@/server/http/body'
import { booleanQuery } from '@/server/http/params'
import { withApi } from '@/server/http/with-api'

export const dynamic = 'force-dynamic'
type Params = { fleet: string }

/**
 * Imports an Envoy config into the fleet's draft: `{ content, format?, options?: { splitRoutes,
 * splitEndpoints, mode: replace|merge }, dryRun? }`, content a static bootstrap or an admin
 * /config_dump (YAML or JSON) or a bundle. Answers what it adds, changes and removes and the
 * findings (parts not taken over as they are). `If-Match: "<draft revision>"` → 409 if the draft
 * moved; a syntax error names its line and column, an invalid resource its field; nothing is half-written.
 */
export const POST = withApi<Params>(async (req, { runtime, params, services }) => {
  const ifMatch = parseRevisionHeader(req.headers.get('if-match'))
  const input = ImportInput.parse((await readBody(req, runtime.maxBodyBytes)) ?? {})
  const documents = parseDocumentsText(input.content)
  const result = await services.drafts.import({
    fleet: params.fleet,
    documents,
    dryRun: input.dryRun ?? booleanQuery(new URL(req.url), 'dryRun'),
    ...(input.format ? { format: input.format } : {}),
    ...(input.options ? { options: input.options } : {}),
    ...(ifMatch === undefined ? {} : { ifMatch }),
  })
  return Response.json(result, { headers: { etag: etag(result.draftRevision) } })
})
