import { ACTIVITY_RANGES, CONVERGENCE_POINT_LIMIT, planBuckets, type ActivityRange, type ConvergenceCurve, type XdsActivity } from '../contract'
import type { Db } from '../store/db'
import { readConvergenceCurve, readXdsActivity } from '../store/charts'
import { getFleetOrThrow } from '../store/fleets'
import { readFleetConvergence } from '../store/rollout'

/** The convergence curve of one version: one point per proxy that reached (ACKed) or rejected it, in time order. */
export async function convergenceCurve(options: { db: Db; fleet: string; number: number }): Promise<ConvergenceCurve> {
  const { db, fleet, number } = options
  const curve = await readConvergenceCurve({ db, fleet, number, pointLimit: CONVERGENCE_POINT_LIMIT })
  const [convergence] = await readFleetConvergence({ db, fleet, versions: [number] })
  return { fleet, version: number, committedAt: curve.committedAt.toISOString(), convergence: convergence!, reached: curve.reached, rejected: curve.rejected, pointLimit: CONVERGENCE_POINT_LIMIT }
}

/** Pushes, ACKs, NACKs and connected proxies of a fleet over the last hour or day, bucketed in SQL. */
export async function xdsActivity(options: { db: Db; fleet: string; range: ActivityRange; now?: number }): Promise<XdsActivity> {
  const { db, fleet, range } = options
  await getFleetOrThrow({ db, name: fleet })
  const now = options.now ?? Date.now()
  const plan = planBuckets(range, now)
  const buckets = await readXdsActivity({ db, fleet, plan, now: new Date(now) })
  return { fleet, range, from: new Date(plan.from).toISOString(), to: new Date(plan.from + plan.count * plan.bucketMs).toISOString(), bucketMs: ACTIVITY_RANGES[range].bucketMs, buckets }
}
