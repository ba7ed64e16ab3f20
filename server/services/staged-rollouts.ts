import type protobuf from 'protobufjs'
import type { ControlPlanePort } from '../config/analysis'
import { inRollout, isOpenRollout, nextRolloutStep, type RolloutStage, type RolloutState } from '../config/rollout-plan'
import type { ValueCipher } from '../config/sealed-values'
import type { StagedRolloutAction, StagedRolloutView } from '../contract'
import { LegationError } from '../errors'
import type { Db, Prisma } from '../store/db'
import { fleetIdOrThrow } from '../store/drafts'
import { findRollout, listRollouts, listRunningRollouts, liveMembers, tryLockRolloutDriverTx, updateRolloutTx, versionOutcomes, type StagedRolloutRow } from '../store/staged-rollouts'
import { inTransaction, lockFleetOrThrow, notifyEvent, recordAudit, type Tx } from '../store/tx'
import { activateVersionTx } from '../store/versions'
import { commitDraftWithRollout } from './commit'
import { rollbackWithRollout } from './rollback'

/** Who moves a rollout by itself, in the audit and the event feed. */
export const ROLLOUT_DRIVER_ACTOR = 'system:rollouts'

/** A stage as stored, with defaults filled (the API's schema gives them). */
const stageOf = (s: RolloutStage): RolloutStage => ({ ...s, soakSeconds: s.soakSeconds ?? 0, approval: s.approval === true })

async function toView(db: Db | Tx, r: StagedRolloutRow): Promise<StagedRolloutView> {
  const serving = r.state === 'running' || r.state === 'paused' || r.state === 'waiting'
  const [members, outcomes] = serving ? await Promise.all([liveMembers(db, r.fleet), versionOutcomes(db, r.toVersionId)]) : [[], await versionOutcomes(db, r.toVersionId)]
  const stages = r.stages.map(stageOf)
  return {
    id: r.id,
    fleet: r.fleet,
    fromVersion: r.fromVersion,
    toVersion: r.toVersion,
    state: r.state,
    stage: r.stage,
    stageStartedAt: r.stageStartedAt.toISOString(),
    stages: stages.map((s, i) => {
      const taken = serving && i <= r.stage ? members.filter((m) => inRollout(stages, i, m)) : null
      return {
        nodeIdGlob: s.nodeIdGlob ?? null,
        metadata: { ...(s.metadata ?? {}) },
        percent: s.percent ?? null,
        soakSeconds: s.soakSeconds,
        approval: s.approval,
        members: taken ? taken.length : null,
        reached: taken ? taken.filter((m) => outcomes.reached.has(m.id)).length : null,
      }
    }),
    reason: r.reason,
    rejections: outcomes.rejected.map((x) => ({ nodeId: x.nodeId, message: x.message, at: x.at.toISOString() })),
    createdBy: r.createdBy,
    createdAt: r.createdAt.toISOString(),
    finishedAt: r.finishedAt?.toISOString() ?? null,
  }
}

async function rolloutOrThrow(db: Db | Tx, fleet: string, id: string): Promise<StagedRolloutRow> {
  const f = await fleetIdOrThrow(db as Db, fleet)
  const r = await findRollout(db, f.id, id)
  if (!r) throw new LegationError('ROLLOUT.NOT_FOUND', `fleet '${fleet}' has no rollout '${id}'`)
  return r
}

export async function getStagedRollout(options: { db: Db; fleet: string; id: string }): Promise<StagedRolloutView> {
  return toView(options.db, await rolloutOrThrow(options.db, options.fleet, options.id))
}

export async function listStagedRollouts(options: { db: Db; fleet: string }): Promise<StagedRolloutView[]> {
  const f = await fleetIdOrThrow(options.db, options.fleet)
  return Promise.all((await listRollouts(options.db, f.id)).map((r) => toView(options.db, r)))
}

/** Commits the draft as a new version and rolls it out in stages (the commit's checks apply). */
export async function startStagedRollout(options: {
  db: Db
  root: protobuf.Root
  cipher: ValueCipher
  fleet: string
  message: string
  stages: readonly RolloutStage[]
  actor: string
  ifMatch?: number
  acceptWarnings?: boolean
  /** Roll back to this version in stages instead of committing the draft. */
  rollbackTo?: number
  discardDraft?: boolean
  controlPlanePorts: readonly ControlPlanePort[]
}): Promise<StagedRolloutView> {
  const stages = options.stages.map(stageOf)
  const { rolloutId } =
    options.rollbackTo === undefined
      ? await commitDraftWithRollout({ ...options, stages })
      : await rollbackWithRollout({ db: options.db, fleet: options.fleet, number: options.rollbackTo, actor: options.actor, message: options.message, stages, ...(options.ifMatch === undefined ? {} : { ifMatch: options.ifMatch }), ...(options.discardDraft ? { discardDraft: true } : {}) })
  return getStagedRollout({ db: options.db, fleet: options.fleet, id: rolloutId! })
}

type Move = { state: RolloutState; stage?: number; restartStage?: boolean; reason?: string | null; finished?: boolean; activate?: boolean }

/** What an operator's action does from each state; null: not allowed there. */
function moveFor(action: StagedRolloutAction, r: StagedRolloutRow, actor: string): Move | null {
  const last = r.stage + 1 >= r.stages.length
  switch (action) {
    case 'pause':
      return r.state === 'running' || r.state === 'waiting' ? { state: 'paused', reason: `paused by ${actor}` } : null
    case 'resume':
      return r.state === 'paused' ? { state: 'running', restartStage: true, reason: null } : null
    case 'retry':
      return r.state === 'halted' ? { state: 'running', restartStage: true, reason: null } : null
    case 'promote':
      if (!isOpenRollout(r.state)) return null
      return last ? { state: 'completed', finished: true, activate: true, reason: `promoted to every proxy by ${actor}` } : { state: 'running', stage: r.stage + 1, restartStage: true, reason: `promoted to stage ${r.stage + 2} by ${actor}` }
    case 'abort':
      return isOpenRollout(r.state) ? { state: 'aborted', finished: true, reason: `aborted by ${actor}` } : null
  }
}

async function applyMoveTx(tx: Tx, r: StagedRolloutRow, move: Move, actor: string, action: string): Promise<boolean> {
  const locked = await lockFleetOrThrow(tx, r.fleet)
  const ok = await updateRolloutTx(tx, r.id, r.state, move)
  if (!ok) return false
  if (move.activate) await activateVersionTx(tx, locked, r.toVersionId)
  // A retry starts the stage afresh: the rejections that halted it stay in the audit and the proxies' history.
  if (action === 'retry') await tx.$executeRawUnsafe(`DELETE FROM version_rollout WHERE version_id = $1::uuid AND outcome = 'rejected'`, r.toVersionId)
  const stage = move.stage ?? r.stage
  await recordAudit(tx, { actor, action: `rollout.${action}`, fleetName: r.fleet, target: `version/${r.toVersion}`, detail: { rollout: r.id, from: r.state, to: move.state, stage: stage + 1, ...(move.reason ? { reason: move.reason } : {}) } as Prisma.InputJsonValue })
  await notifyEvent(tx, { kind: 'rollout.changed', fleet: r.fleet, rollout: r.id, state: move.state, stage, toVersion: r.toVersion, actor, at: new Date().toISOString() })
  return true
}

const PAST: Record<StagedRolloutAction, string> = { pause: 'paused', resume: 'resumed', promote: 'promoted', abort: 'aborted', retry: 'retried' }

/** pause, resume, promote (the next stage now, or complete after the last), abort, retry (after a halt); audited. */
export async function actOnStagedRollout(options: { db: Db; fleet: string; id: string; action: StagedRolloutAction; actor: string }): Promise<StagedRolloutView> {
  const { db, fleet, id, action, actor } = options
  await inTransaction(db, async (tx) => {
    const r = await rolloutOrThrow(tx, fleet, id)
    const move = moveFor(action, r, actor)
    if (!move) throw new LegationError('ROLLOUT.BAD_STATE', `a rollout that is ${r.state} cannot be ${PAST[action]}`, [], { state: r.state })
    if (!(await applyMoveTx(tx, r, move, actor, action))) throw new LegationError('ROLLOUT.BAD_STATE', `the rollout changed meanwhile (it is no longer ${r.state}); reload it`)
  })
  return getStagedRollout({ db, fleet, id })
}

/**
 * One round of the stage driver (#12 item 3): under a transaction-level advisory lock, so with several
 * replicas exactly one drives; the others skip the round. For every running rollout: a NACK of the
 * new version halts it (the stage's proxies go back to the old version: the snapshot engine stops
 * serving it); a stage whose proxies all run it and that has soaked goes on, waits for approval, or completes.
 */
export async function driveStagedRollouts(options: { db: Db; now?: () => number }): Promise<Array<{ fleet: string; rollout: string; step: string }>> {
  const now = options.now ?? Date.now
  // Every replica asks twice a second: without a running rollout, one cheap read and no transaction.
  if ((await listRunningRollouts(options.db)).length === 0) return []
  return inTransaction(options.db, async (tx) => {
    if (!(await tryLockRolloutDriverTx(tx))) return []
    const done: Array<{ fleet: string; rollout: string; step: string }> = []
    for (const r of await listRunningRollouts(tx)) {
      const stages = r.stages.map(stageOf)
      const [members, outcomes] = await Promise.all([liveMembers(tx, r.fleet), versionOutcomes(tx, r.toVersionId)])
      const taken = members.filter((m) => inRollout(stages, r.stage, m))
      const rejected = outcomes.rejected[0]
      const step = nextRolloutStep({
        stage: r.stage,
        stageCount: stages.length,
        members: taken.length,
        reached: taken.filter((m) => outcomes.reached.has(m.id)).length,
        rejection: rejected ? { nodeId: rejected.nodeId, message: rejected.message } : null,
        soakedMs: now() - r.stageStartedAt.getTime(),
        soakSeconds: stages[r.stage]?.soakSeconds ?? 0,
        approval: stages[r.stage]?.approval ?? false,
      })
      const move: Move | null =
        step.kind === 'halt'
          ? { state: 'halted', reason: step.reason }
          : step.kind === 'await-approval'
            ? { state: 'waiting', reason: `stage ${r.stage + 1} is healthy; waiting for an operator to promote` }
            : step.kind === 'advance'
              ? { state: 'running', stage: step.to, restartStage: true, reason: null }
              : step.kind === 'complete'
                ? { state: 'completed', finished: true, activate: true, reason: null }
                : null
      if (move && (await applyMoveTx(tx, r, move, ROLLOUT_DRIVER_ACTOR, step.kind))) done.push({ fleet: r.fleet, rollout: r.id, step: step.kind })
    }
    return done
  })
}
