import { parseRevisionHeader, readBody } from '@/server/http/body'
import { CommitInput } from '@/server/contract'
import { withApi } from '@/server/http/with-api'

export const dynamic = 'force-dynamic'

/**
 * Validates and analyses the whole draft and makes it the next version; 422 with the problems and
 * error findings, 409 COMMIT.UNCONFIRMED_WARNINGS with the warnings unless `acceptWarnings`; nothing written then.
 * `expiresInSeconds` makes it an expiring change (rolled back to its parent when the time is up).
 */
export const POST = withApi<{ fleet: string }>(async (req, { runtime, params, services }) => {
  const ifMatch = parseRevisionHeader(req.headers.get('if-match'))
  const input = CommitInput.parse(await readBody(req, runtime.maxBodyBytes))
  const version = await services.versions.commit({
    fleet: params.fleet,
    message: input.message,
    ...(input.acceptWarnings ? { acceptWarnings: true } : {}),
    ...(input.expiresInSeconds === undefined ? {} : { expiresInSeconds: input.expiresInSeconds }),
    ...(ifMatch === undefined ? {} : { ifMatch }),
  })
  return Response.json(version, { status: 201, headers: { location: `/api/v1/fleets/${encodeURIComponent(params.fleet)}/versions/${version.number}` } })
})
