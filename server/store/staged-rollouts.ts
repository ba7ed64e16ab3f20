import { OPEN_ROLLOUT_STATES, SERVING_ROLLOUT_STATES, type RolloutMember, type RolloutStage, type RolloutState } from '../config/rollout-plan'
import type { Db, Prisma } from './db'
import { STALE_REPLICA_MS } from './proxies'
import type { Tx } from './tx'

type Reader = Db | Tx

export type StagedRolloutRow = Readonly<{
  id: string
  fleet: string
  fleetId: string
  fromVersionId: string | null
  fromVersion: number | null
  toVersionId: string
  toVersion: number
  stages: readonly RolloutStage[]
  state: RolloutState
  stage: number
  stageStartedAt: Date
  reason: string | null
  createdBy: string
  createdAt: Date
  finishedAt: Date | null
}>

const SELECT = {
  id: true,
  fleetId: true,
  fleet: { select: { name: true } },
  fromVersionId: true,
  fromVersion: { select: { number: true } },
  toVersionId: true,
  toVersion: { select: { number: true } },
  stages: true,
  state: true,
  stage: true,
  stageStartedAt: true,
  reason: true,
  createdBy: true,
  createdAt: true,
  finishedAt: true,
} as const

type Selected = { id: string; fleetId: string; fleet: { name: string }; fromVersionId: string | null; fromVersion: { number: number } | null; toVersionId: string; toVersion: { number: number }; stages: unknown; state: string; stage: number; stageStartedAt: Date; reason: string | null; createdBy: string; createdAt: Date; finishedAt: Date | null }

const toRow = (r: Selected): StagedRolloutRow => ({
  id: r.id,
  fleet: r.fleet.name,
  fleetId: r.fleetId,
  fromVersionId: r.fromVersionId,
  fromVersion: r.fromVersion?.number ?? null,
  toVersionId: r.toVersionId,
  toVersion: r.toVersion.number,
  stages: r.stages as RolloutStage[],
  state: r.state as RolloutState,
  stage: r.stage,
  stageStartedAt: r.stageStartedAt,
  reason: r.reason,
  createdBy: r.createdBy,
  createdAt: r.createdAt,
  finishedAt: r.finishedAt,
})

export async function openRolloutOf(db: Reader, fleetId: string): Promise<StagedRolloutRow | null> {
  const r = await db.rollout.findFirst({ where: { fleetId, state: { in: [...OPEN_ROLLOUT_STATES] } }, select: SELECT })
  return r ? toRow(r) : null
}

export async function findRollout(db: Reader, fleetId: string, id: string): Promise<StagedRolloutRow | null> {
  if (!/^[0-9a-f-]{36}$/i.test(id)) return null
  const r = await db.rollout.findFirst({ where: { id, fleetId }, select: SELECT })
  return r ? toRow(r) : null
}

export async function listRollouts(db: Reader, fleetId: string, limit = 20): Promise<StagedRolloutRow[]> {
  return (await db.rollout.findMany({ where: { fleetId }, orderBy: { createdAt: 'desc' }, take: limit, select: SELECT })).map(toRow)
}

/** Every rollout whose stage's proxies get the new version now (running, paused, waiting), for the snapshot engine. */
export async function listServingRollouts(db: Reader): Promise<StagedRolloutRow[]> {
  return (await db.rollout.findMany({ where: { state: { in: [...SERVING_ROLLOUT_STATES] } }, select: SELECT })).map(toRow)
}

/** A fleet's rollout whose stage's proxies get the new version now, if any. */
export async function servingRolloutOf(db: Reader, fleet: string): Promise<StagedRolloutRow | null> {
  const r = await db.rollout.findFirst({ where: { fleet: { name: fleet }, state: { in: [...SERVING_ROLLOUT_STATES] } }, select: SELECT })
  return r ? toRow(r) : null
}

export async function listRunningRollouts(db: Reader): Promise<StagedRolloutRow[]> {
  return (await db.rollout.findMany({ where: { state: 'running' }, select: SELECT })).map(toRow)
}

export async function insertRolloutTx(tx: Tx, r: { fleetId: string; fromVersionId: string | null; toVersionId: string; stages: readonly RolloutStage[]; createdBy: string }): Promise<string> {
  const created = await tx.rollout.create({ data: { fleetId: r.fleetId, fromVersionId: r.fromVersionId, toVersionId: r.toVersionId, stages: r.stages as Prisma.InputJsonValue, state: 'running', createdBy: r.createdBy }, select: { id: true } })
  return created.id
}

/** Moves a rollout; `expectState` guards against a concurrent change (false: nothing was updated). */
export async function updateRolloutTx(
  tx: Reader,
  id: string,
  expectState: RolloutState,
  change: { state?: RolloutState; stage?: number; restartStage?: boolean; reason?: string | null; finished?: boolean },
): Promise<boolean> {
  const now = new Date()
  const res = await tx.rollout.updateMany({
    where: { id, state: expectState },
    data: {
      ...(change.state === undefined ? {} : { state: change.state }),
      ...(change.stage === undefined ? {} : { stage: change.stage }),
      ...(change.restartStage ? { stageStartedAt: now } : {}),
      ...(change.reason === undefined ? {} : { reason: change.reason }),
      ...(change.finished ? { finishedAt: now } : {}),
      updatedAt: now,
    },
  })
  return res.count === 1
}

/** The proxies connected now to a fleet (any live replica), with what rollout stages select on. */
export async function liveMembers(db: Reader, fleet: string): Promise<RolloutMember[]> {
  const rows = await db.$queryRawUnsafe<Array<{ node_id: string; node_metadata: Record<string, string> | null }>>(
    `SELECT DISTINCT ON (node_id) node_id, node_metadata FROM proxy_connection
      WHERE fleet = $1 AND disconnected_at IS NULL AND last_seen_at > now() - $2 * interval '1 millisecond'
      ORDER BY node_id, connected_at DESC`,
    fleet,
    STALE_REPLICA_MS,
  )
  return rows.map((r) => ({ id: r.node_id, metadata: r.node_metadata ?? {} }))
}

/** What the status says of a version, per node: reached it, or rejected it (with the NACK's words). */
export async function versionOutcomes(db: Reader, versionId: string): Promise<{ reached: Set<string>; rejected: Array<{ nodeId: string; message: string; at: Date }> }> {
  const rows = await db.$queryRawUnsafe<Array<{ node_id: string; outcome: string; message: string | null; at: Date }>>(
    `SELECT node_id, outcome, message, at FROM version_rollout WHERE version_id = $1::uuid ORDER BY at`,
    versionId,
  )
  return {
    reached: new Set(rows.filter((r) => r.outcome === 'reached').map((r) => r.node_id)),
    rejected: rows.filter((r) => r.outcome === 'rejected').map((r) => ({ nodeId: r.node_id, message: r.message ?? '', at: r.at })),
  }
}

/** Serialises the stage driver across replicas: only the replica holding this transaction's lock drives. */
export async function tryLockRolloutDriverTx(tx: Tx): Promise<boolean> {
  const rows = await tx.$queryRaw<Array<{ locked: boolean }>>`SELECT pg_try_advisory_xact_lock(hashtext('legation.staged-rollouts')) AS locked`
  return rows[0]?.locked === true
}

/** Whether a version is the one an open staged rollout is rolling out. */
export async function isStagedVersion(db: Reader, versionId: string): Promise<boolean> {
  return (await db.rollout.count({ where: { toVersionId: versionId, state: { in: [...OPEN_ROLLOUT_STATES] } } })) > 0
}
