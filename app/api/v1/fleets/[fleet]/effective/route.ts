import { LegationError } from '@/server/errors'
import { withApi } from '@/server/http/with-api'

export const dynamic = 'force-dynamic'

/** What the fleet serves (`?version=N`, default the active one) or would serve (`?version=draft`): template merged, variables substituted. */
export const GET = withApi<{ fleet: string }>(async (req, { params, services }) => {
  const given = new URL(req.url).searchParams.get('version')
  let version: number | 'draft'
  if (given === 'draft') version = 'draft'
  else if (given === null || given === '') {
    const active = (await services.fleets.get(params.fleet)).activeVersion
    if (!active) throw new LegationError('VERSION.NOT_FOUND', `fleet '${params.fleet}' has no committed version; ask for ?version=draft`)
    version = active.number
  } else if (/^[1-9]\d{0,8}$/.test(given)) version = Number(given)
  else throw new LegationError('REQUEST.INVALID', `version must be a version number or 'draft', not ${JSON.stringify(given.slice(0, 40))}`, [{ path: 'version', message: 'a version number or draft' }])
  return Response.json(await services.variables.effective({ fleet: params.fleet, version }))
})
