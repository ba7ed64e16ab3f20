import { z } from 'zod'
import { UserUpdateInput } from '@/server/contract'
import { readBody } from '@/server/http/body'
import { withApi } from '@/server/http/with-api'

export const dynamic = 'force-dynamic'
const Id = z.uuid({ error: 'expected a user id' })

/** Roles, password, display name or disabled (a new password or disabling ends the user's sessions). */
export const PATCH = withApi<{ id: string }>(async (req, { runtime, params, services }) => {
  const input = UserUpdateInput.parse(await readBody(req, runtime.maxBodyBytes))
  return Response.json(await services.users.update({ id: Id.parse(params.id), ...input }))
})

export const DELETE = withApi<{ id: string }>(async (_req, { params, services }) => {
  await services.users.delete({ id: Id.parse(params.id) })
  return new Response(null, { status: 204 })
})
