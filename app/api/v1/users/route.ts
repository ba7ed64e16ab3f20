import { UserCreateInput } from '@/server/contract'
import { readBody } from '@/server/http/body'
import { withApi } from '@/server/http/with-api'

export const dynamic = 'force-dynamic'

export const GET = withApi(async (_req, { services }) => Response.json({ users: await services.users.list() }))

/** A local user with roles (admin only). */
export const POST = withApi(async (req, { runtime, services }) => {
  const input = UserCreateInput.parse(await readBody(req, runtime.maxBodyBytes))
  return Response.json(await services.users.create(input), { status: 201 })
})
