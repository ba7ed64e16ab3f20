import { readBody } from '@/server/http/body'
import { FleetUpdateInput } from '@/server/contract'
import { withApi } from '@/server/http/with-api'

export const dynamic = 'force-dynamic'
type Params = { fleet: string }

/** The fleet, with what this replica serves for it over xDS (and a version it refused to serve, if any). */
export const GET = withApi<Params>(async (_req, { runtime, params, services }) => {
  const fleet = await services.fleets.get(params.fleet)
  return Response.json({ ...fleet, serving: runtime.xds.snapshotStatus(params.fleet) })
})

/** Description, selector and template; a selector that would take other fleets' connected proxies needs `confirmTakeover: true` (409 FLEET.SELECTOR_TAKEOVER lists them). */
export const PATCH = withApi<Params>(async (req, { runtime, params, services }) => {
  const input = FleetUpdateInput.parse(await readBody(req, runtime.maxBodyBytes))
  return Response.json(
    await services.fleets.update({
      name: params.fleet,
      ...(input.description === undefined ? {} : { description: input.description }),
      ...(input.selector === undefined ? {} : { selector: input.selector }),
      ...(input.template === undefined ? {} : { template: input.template }),
      ...(input.confirmTakeover === undefined ? {} : { confirmTakeover: input.confirmTakeover }),
    }),
  )
})

export const DELETE = withApi<Params>(async (_req, { params, services }) => {
  await services.fleets.delete({ name: params.fleet })
  return new Response(null, { status: 204 })
})
