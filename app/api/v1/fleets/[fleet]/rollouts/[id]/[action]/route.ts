import { StagedRolloutActionSchema } from '@/server/contract'
import { LegationError } from '@/server/errors'
import { withApi } from '@/server/http/with-api'

export const dynamic = 'force-dynamic'

/** pause | resume | promote | abort | retry; audited; 409 ROLLOUT.BAD_STATE where the action does not apply. */
export const POST = withApi<{ fleet: string; id: string; action: string }>(async (_req, { params, services }) => {
  const action = StagedRolloutActionSchema.safeParse(params.action)
  if (!action.success) throw new LegationError('REQUEST.INVALID', `unknown rollout action '${params.action.slice(0, 40)}'; use ${StagedRolloutActionSchema.options.join(', ')}`, [{ path: 'action', message: 'unknown' }])
  return Response.json(await services.rollouts.act({ fleet: params.fleet, id: params.id, action: action.data }))
})
