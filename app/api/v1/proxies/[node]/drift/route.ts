import { withApi } from '@/server/http/with-api'

export const dynamic = 'force-dynamic'

/** Desired against actual: per type, what the proxy runs (ACKed) against the fleet's active version. */
export const GET = withApi<{ node: string }>(async (_req, { params, services }) => Response.json(await services.proxies.drift(params.node)))
