import { RESOURCE_TYPE_INFO } from '@/server/contract'
import { etag, readBody } from '@/server/http/body'
import { resourceTypeParamOrThrow } from '@/server/http/params'
import { withApi } from '@/server/http/with-api'
import { LegationError } from '@/server/errors'

export const dynamic = 'force-dynamic'
type Params = { fleet: string; type: string }

export const GET = withApi<Params>(async (_req, { params, services }) => {
  const type = resourceTypeParamOrThrow(params.type)
  const draft = await services.drafts.get(params.fleet, type)
  return Response.json(draft, { headers: { etag: etag(draft.draftRevision) } })
})

/** Creates a resource named by its own name field; refused if one by that name exists. */
export const POST = withApi<Params>(async (req, { runtime, params, services }) => {
  const type = resourceTypeParamOrThrow(params.type)
  const input = await readBody(req, runtime.maxBodyBytes)
  const nameField = RESOURCE_TYPE_INFO[type].nameField
  const name = typeof input === 'object' && input !== null ? (input as Record<string, unknown>)[nameField] : undefined
  if (typeof name !== 'string' || name === '') {
    throw new LegationError('REQUEST.INVALID', `a new ${type} needs its ${nameField}`, [{ path: nameField, message: 'required' }])
  }
  const result = await services.drafts.putResource({ fleet: params.fleet, type, name, input, createOnly: true })
  return Response.json({ ...result.resource, findings: result.findings }, {
    status: 201,
    headers: { etag: etag(result.resource.revision), location: `/api/v1/fleets/${encodeURIComponent(params.fleet)}/draft/${params.type}/${encodeURIComponent(name)}` },
  })
})
