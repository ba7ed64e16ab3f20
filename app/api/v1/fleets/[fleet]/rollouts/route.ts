import { StagedRolloutCreateInput } from '@/server/contract'
import { parseRevisionHeader, readBody } from '@/server/http/body'
import { withApi } from '@/server/http/with-api'

export const dynamic = 'force-dynamic'

/** The fleet's staged rollouts, newest first (the last 20). */
export const GET = withApi<{ fleet: string }>(async (_req, { params, services }) => Response.json({ rollouts: await services.rollouts.list(params.fleet) }))

/**
 * Commits the draft (the commit's checks, If-Match and acceptWarnings) as a version that is rolled
 * out in stages: served to the proxies of the current stage, the active version to the rest.
 */
export const POST = withApi<{ fleet: string }>(async (req, { runtime, params, services }) => {
  const ifMatch = parseRevisionHeader(req.headers.get('if-match'))
  const input = StagedRolloutCreateInput.parse(await readBody(req, runtime.maxBodyBytes))
  const rollout = await services.rollouts.start({
    fleet: params.fleet,
    message: input.message,
    stages: input.stages,
    ...(input.acceptWarnings ? { acceptWarnings: true } : {}),
    ...(input.rollbackTo === undefined ? {} : { rollbackTo: input.rollbackTo }),
    ...(input.discardDraft ? { discardDraft: true } : {}),
    ...(ifMatch === undefined ? {} : { ifMatch }),
  })
  return Response.json(rollout, { status: 201, headers: { location: `/api/v1/fleets/${encodeURIComponent(params.fleet)}/rollouts/${rollout.id}` } })
})
