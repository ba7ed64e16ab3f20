import { versionParamOrThrow } from '@/server/http/params'
import { withApi } from '@/server/http/with-api'

export const dynamic = 'force-dynamic'

export const GET = withApi<{ fleet: string; number: string }>(async (_req, { params, services }) =>
  Response.json(await services.versions.get({ fleet: params.fleet, number: versionParamOrThrow(params.number) })),
)
