import { withApi } from '@/server/http/with-api'

export const dynamic = 'force-dynamic'

/** One proxy: per-type status, its earlier streams, and the exact resources last sent to it. */
export const GET = withApi<{ node: string }>(async (_req, { params, services }) => Response.json(await services.proxies.get(params.node)))
