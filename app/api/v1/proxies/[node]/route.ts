import { withApi } from '@/server/http/with-api'

export const dynamic = 'force-dynamic'

/** One proxy: per-type status, its earlier streams, and the exact resources last sent to it. */
export const GET = withApi<{ node: string }>(async (_req, { runtime, params }) => Response.json(await runtime.services.proxies.get(params.node)))
