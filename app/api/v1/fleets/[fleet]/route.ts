import { readBody } from '@/server/http/body'
import { FleetUpdateInput } from '@/server/contract'
import { withApi } from '@/server/http/with-api'

export const dynamic = 'force-dynamic'
type Params = { fleet: string }

/** The fleet, with what this replica serves for it over xDS (and a version it refused to serve, if any). */
export const GET = withApi<Params>(async (_req, { runtime, params }) => {
  const fleet = await runtime.services.fleets.get(params.fleet)
  return Response.json({ ...fleet, serving: runtime.xds.snapshotStatus(params.fleet) })
})

export const PATCH = withApi<Params>(async (req, { runtime, params, actor }) => {
  const input = FleetUpdateInput.parse(await readBody(req, runtime.maxBodyBytes))
  return Response.json(await runtime.services.fleets.update({ name: params.fleet, actor, ...(input.description === undefined ? {} : { description: input.description }), ...(input.selector === undefined ? {} : { selector: input.selector }) }))
})

export const DELETE = withApi<Params>(async (_req, { runtime, params, actor }) => {
  await runtime.services.fleets.delete({ name: params.fleet, actor })
  return new Response(null, { status: 204 })
})
