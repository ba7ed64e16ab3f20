import { parseRevisionHeader, readBody } from '@/server/http/body'
import { versionParamOrThrow } from '@/server/http/params'
import { RollbackInput } from '@/server/contract'
import { withApi } from '@/server/http/with-api'

export const dynamic = 'force-dynamic'

/**
 * A new version with the content of {number}; the draft is reset to it. Over a draft with pending
 * changes it needs If-Match (the draft revision the caller reviewed) or `{"discardDraft": true}`,
 * else 409 DRAFT.PENDING_CHANGES naming them (server/contract/versions.ts RollbackInput).
 */
export const POST = withApi<{ fleet: string; number: string }>(async (req, { runtime, params, services }) => {
  const number = versionParamOrThrow(params.number)
  const ifMatch = parseRevisionHeader(req.headers.get('if-match'))
  const input = RollbackInput.parse((await readBody(req, runtime.maxBodyBytes)) ?? {})
  const version = await services.versions.rollback({
    fleet: params.fleet,
    number,
    ...(input.message ? { message: input.message } : {}),
    ...(ifMatch === undefined ? {} : { ifMatch }),
    ...(input.discardDraft === undefined ? {} : { discardDraft: input.discardDraft }),
  })
  return Response.json(version, { status: 201, headers: { location: `/api/v1/fleets/${encodeURIComponent(params.fleet)}/versions/${version.number}` } })
})
