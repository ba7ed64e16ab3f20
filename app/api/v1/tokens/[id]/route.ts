import { z } from 'zod'
import { withApi } from '@/server/http/with-api'

export const dynamic = 'force-dynamic'
const Id = z.uuid({ error: 'expected a token id' })

/** Revokes the token: it stops working at once, and stays listed as revoked. */
export const DELETE = withApi<{ id: string }>(async (_req, { params, services }) => Response.json(await services.tokens.revoke({ id: Id.parse(params.id) })))
