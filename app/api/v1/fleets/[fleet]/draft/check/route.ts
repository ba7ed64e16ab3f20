import { DraftCheckInput } from '@/server/contract'
import { etag, readBody } from '@/server/http/body'
import { withApi } from '@/server/http/with-api'

export const dynamic = 'force-dynamic'

/**
 * A dry run of the commit's checks (validation and config analysis): of the draft, or of the draft
 * with `{ type, resource, name? }` saved in place of that resource. Writes nothing.
 */
export const POST = withApi<{ fleet: string }>(async (req, { runtime, params, services }) => {
  const input = DraftCheckInput.parse((await readBody(req, runtime.maxBodyBytes)) ?? {})
  const result = await services.drafts.check({ fleet: params.fleet, input })
  return Response.json(result, { headers: { etag: etag(result.draftRevision) } })
})
