import { versionParamOrThrow } from '@/server/http/params'
import { withApi } from '@/server/http/with-api'

export const dynamic = 'force-dynamic'

/** What changes going from version {number} to version {other}. */
export const GET = withApi<{ fleet: string; number: string; other: string }>(async (_req, { params, services }) =>
  Response.json(await services.versions.diff({ fleet: params.fleet, from: versionParamOrThrow(params.number), to: versionParamOrThrow(params.other, 'other') })),
)
