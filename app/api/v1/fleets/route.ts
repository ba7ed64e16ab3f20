import { readBody } from '@/server/http/body'
import { FleetCreateInput } from '@/server/contract'
import { withApi } from '@/server/http/with-api'

export const dynamic = 'force-dynamic'

export const GET = withApi(async (_req, { services }) => Response.json({ fleets: await services.fleets.list() }))

export const POST = withApi(async (req, { runtime, services }) => {
  const input = FleetCreateInput.parse(await readBody(req, runtime.maxBodyBytes))
  const fleet = await services.fleets.create({ ...input })
  return Response.json(fleet, { status: 201, headers: { location: `/api/v1/fleets/${encodeURIComponent(fleet.name)}` } })
})
