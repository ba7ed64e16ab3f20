import { readBody } from '@/server/http/body'
import { FleetCreateInput } from '@/server/contract'
import { withApi } from '@/server/http/with-api'

export const dynamic = 'force-dynamic'

export const GET = withApi(async (_req, { services }) => Response.json({ fleets: await services.fleets.list() }))

/** A new fleet; its selector is checked like on PATCH (server/contract/fleets.ts FleetCreateInput). */
export const POST = withApi(async (req, { runtime, services }) => {
  const input = FleetCreateInput.parse(await readBody(req, runtime.maxBodyBytes))
  const { confirmTakeover, ...fleetInput } = input
  const fleet = await services.fleets.create({ ...fleetInput, ...(confirmTakeover === undefined ? {} : { confirmTakeover }) })
  return Response.json(fleet, { status: 201, headers: { location: `/api/v1/fleets/${encodeURIComponent(fleet.name)}` } })
})
