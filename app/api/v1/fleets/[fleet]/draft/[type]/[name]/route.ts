import YAML from 'yaml'
import { etag, parseRevisionHeader, readBody } from '@/server/http/body'
import { booleanQuery, resourceTypeParamOrThrow } from '@/server/http/params'
import { withApi } from '@/server/http/with-api'

export const dynamic = 'force-dynamic'
type Params = { fleet: string; type: string; name: string }

/** One draft resource; `?format=yaml` returns just the Envoy resource as YAML. */
export const GET = withApi<Params>(async (req, { params, services }) => {
  const type = resourceTypeParamOrThrow(params.type)
  const view = await services.drafts.getResource({ fleet: params.fleet, type, name: params.name })
  const headers = { etag: etag(view.revision) }
  if (new URL(req.url).searchParams.get('format') === 'yaml') {
    return new Response(YAML.stringify(view.resource, { lineWidth: 0 }), { headers: { ...headers, 'content-type': 'application/yaml; charset=utf-8' } })
  }
  return Response.json(view, { headers })
})

/** Creates or replaces; with If-Match, only if nobody changed it since that revision (else 409). Answers with the draft's findings. */
export const PUT = withApi<Params>(async (req, { runtime, params, services }) => {
  const type = resourceTypeParamOrThrow(params.type)
  const ifMatch = parseRevisionHeader(req.headers.get('if-match'))
  const createOnly = req.headers.get('if-none-match')?.trim() === '*'
  const input = await readBody(req, runtime.maxBodyBytes)
  const result = await services.drafts.putResource({ fleet: params.fleet, type, name: params.name, input, createOnly, ...(ifMatch === undefined ? {} : { ifMatch }) })
  return Response.json({ ...result.resource, findings: result.findings }, { status: result.created ? 201 : 200, headers: { etag: etag(result.resource.revision) } })
})

/** Refused while other resources still refer to it, unless `?force=true`. */
export const DELETE = withApi<Params>(async (req, { params, services }) => {
  const type = resourceTypeParamOrThrow(params.type)
  const ifMatch = parseRevisionHeader(req.headers.get('if-match'))
  const force = booleanQuery(new URL(req.url), 'force')
  await services.drafts.deleteResource({ fleet: params.fleet, type, name: params.name, force, ...(ifMatch === undefined ? {} : { ifMatch }) })
  return new Response(null, { status: 204 })
})
