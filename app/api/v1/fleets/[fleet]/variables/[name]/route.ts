import { VariablePutInput } from '@/server/contract'
import { etag, parseRevisionHeader, readBody } from '@/server/http/body'
import { withApi } from '@/server/http/with-api'

export const dynamic = 'force-dynamic'
type Params = { fleet: string; name: string }

/** Sets a draft variable (`{ value, secret }`); with If-Match, only if the draft is still at that revision. */
export const PUT = withApi<Params>(async (req, { runtime, params, services }) => {
  const ifMatch = parseRevisionHeader(req.headers.get('if-match'))
  const input = VariablePutInput.parse(await readBody(req, runtime.maxBodyBytes))
  const view = await services.variables.put({ fleet: params.fleet, name: params.name, ...input, ...(ifMatch === undefined ? {} : { ifMatch }) })
  return Response.json(view, { headers: { etag: etag(view.draftRevision) } })
})

export const DELETE = withApi<Params>(async (req, { params, services }) => {
  const ifMatch = parseRevisionHeader(req.headers.get('if-match'))
  const view = await services.variables.delete({ fleet: params.fleet, name: params.name, ...(ifMatch === undefined ? {} : { ifMatch }) })
  return Response.json(view, { headers: { etag: etag(view.draftRevision) } })
})
