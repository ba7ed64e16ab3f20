import { withApi } from '@/server/http/with-api'

export const dynamic = 'force-dynamic'

/** Per fleet, how many proxies are SYNCED / STALE / NOT_SENT / NACKED / DISCONNECTED. */
export const GET = withApi(async (_req, { services }) => Response.json({ fleets: await services.proxies.summary() }))
