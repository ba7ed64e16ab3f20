import { versionParamOrThrow } from '@/server/http/params'
import { withApi } from '@/server/http/with-api'

export const dynamic = 'force-dynamic'

/** Where the rollout of one version stands: converged, rejected (by whom, which resource), stalled (who is missing). */
export const GET = withApi<{ fleet: string; number: string }>(async (_req, { params, services }) =>
  Response.json(await services.versions.rollout({ fleet: params.fleet, number: versionParamOrThrow(params.number) })),
)
