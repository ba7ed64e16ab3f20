import { withApi } from '@/server/http/with-api'

export const dynamic = 'force-dynamic'

/** One staged rollout: its stages with how many connected proxies each takes and how many run the version, its state and why. */
export const GET = withApi<{ fleet: string; id: string }>(async (_req, { params, services }) => Response.json(await services.rollouts.get({ fleet: params.fleet, id: params.id })))
