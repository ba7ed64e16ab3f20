import { TokenCreateInput } from '@/server/contract'
import { readBody } from '@/server/http/body'
import { withApi } from '@/server/http/with-api'

export const dynamic = 'force-dynamic'

export const GET = withApi(async (_req, { services }) => Response.json({ tokens: await services.tokens.list() }))

/** An API token (CI, GitOps) or a proxy token (xDS for the fleets it names). The secret is in this answer only. */
export const POST = withApi(async (req, { runtime, services }) => {
  const input = TokenCreateInput.parse(await readBody(req, runtime.maxBodyBytes))
  const created = await services.tokens.create({ name: input.name, kind: input.kind, grants: input.grants, expiresAt: input.expiresAt ? new Date(input.expiresAt) : null })
  return Response.json(created, { status: 201, headers: { 'cache-control': 'no-store' } })
})
