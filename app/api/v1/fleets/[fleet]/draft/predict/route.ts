import { withApi } from '@/server/http/with-api'

export const dynamic = 'force-dynamic'

/** What the fleet's connected clients would reject if the draft were committed now (by their own validators, where Legation has them). */
export const GET = withApi<{ fleet: string }>(async (_req, { params, services }) => Response.json(await services.drafts.predict(params.fleet)))
