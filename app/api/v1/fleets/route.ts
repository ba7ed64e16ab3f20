import { readBody } from '@/server/http/body'
import { FleetCreateInput } from '@/server/contract'
import { withApi } from '@/server/http/with-api'

export const dynamic = 'force-dynamic'

export const GET = withApi(async (_req, { runtime }) => Response.json({ fleets: await runtime.services.fleets.list() }))

export const POST = withApi(async (req, { runtime, actor }) => {
  const input = FleetCreateInput.parse(await readBody(req, runtime.maxBodyBytes))
  const fleet = await runtime.services.fleets.create({ ...input, actor })
  return Response.json(fleet, { status: 201, headers: { location: `/api/v1/fleets/${encodeURIComponent(fleet.name)}` } })
})
