import { versionParamOrThrow } from '@/server/http/params'
import { withApi } from '@/server/http/with-api'

export const dynamic = 'force-dynamic'

/** The convergence curve of one version: one point per proxy that reached (ACKed) or rejected it, by time since the commit. */
export const GET = withApi<{ fleet: string; number: string }>(async (_req, { params, services }) =>
  Response.json(await services.versions.convergenceCurve({ fleet: params.fleet, number: versionParamOrThrow(params.number) })),
)
