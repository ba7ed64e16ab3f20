import { createHash } from 'node:crypto'
import { globMatches } from './glob'

/**
 * Staged rollouts (#12 item 3), the pure part: which proxies a stage takes, and what the driver
 * does next. A stage takes the proxies its selector matches (node id glob and metadata, like a
 * fleet's selector) and, with `percent`, only that share of them, chosen by a hash of the node id
 * so the choice is stable across reconnects and replicas. A stage includes every earlier one.
 */
export type RolloutStage = Readonly<{
  nodeIdGlob?: string
  metadata?: Readonly<Record<string, string>>
  /** 1–100: this share of the proxies the selector matches (all of them when absent). */
  percent?: number
  /** How long the stage must run with every proxy of it on the new version before going on. */
  soakSeconds: number
  /** Wait for an operator's promote instead of going on by itself. */
  approval: boolean
}>

export type RolloutMember = Readonly<{ id: string; metadata: Readonly<Record<string, string>> }>

/** A node id's place in 0..9999, from the first 32 bits of its SHA-256: stable and evenly spread. */
export function rolloutBucket(nodeId: string): number {
  return createHash('sha256').update(nodeId).digest().readUInt32BE(0) % 10_000
}

export function stageTakes(stage: RolloutStage, node: RolloutMember): boolean {
  if (stage.nodeIdGlob !== undefined && !globMatches(stage.nodeIdGlob, node.id)) return false
  for (const [key, value] of Object.entries(stage.metadata ?? {})) if (node.metadata[key] !== value) return false
  return stage.percent === undefined || rolloutBucket(node.id) < stage.percent * 100
}

/** Whether a proxy gets the new version while the rollout is at `stage` (0-based): taken by that stage or an earlier one. */
export function inRollout(stages: readonly RolloutStage[], stage: number, node: RolloutMember): boolean {
  return stages.slice(0, stage + 1).some((s) => stageTakes(s, node))
}

export type RolloutState = 'running' | 'paused' | 'waiting' | 'halted' | 'completed' | 'aborted'
/** While open, a rollout holds the fleet: no other commit or rollback until it completes or is aborted. */
export const OPEN_ROLLOUT_STATES: readonly RolloutState[] = ['running', 'paused', 'waiting', 'halted']
export const isOpenRollout = (state: string): boolean => (OPEN_ROLLOUT_STATES as readonly string[]).includes(state)
/** States in which the stage's proxies get the new version (halted and aborted: everyone is back on the old one). */
export const SERVING_ROLLOUT_STATES: readonly RolloutState[] = ['running', 'paused', 'waiting']

/** What the driver sees of a running rollout at its current stage. */
export type StageObservation = Readonly<{
  stage: number
  stageCount: number
  /** Connected proxies the stage takes (this stage and earlier ones). */
  members: number
  /** Of them, those whose status says they run the new version. */
  reached: number
  /** A proxy that rejected the new version, with its words; null: none did. */
  rejection: Readonly<{ nodeId: string; message: string }> | null
  soakedMs: number
  soakSeconds: number
  approval: boolean
}>

export type RolloutStep =
  | Readonly<{ kind: 'wait' }>
  | Readonly<{ kind: 'halt'; reason: string }>
  | Readonly<{ kind: 'await-approval' }>
  | Readonly<{ kind: 'advance'; to: number }>
  | Readonly<{ kind: 'complete' }>

/**
 * The rule to go on: a NACK anywhere halts; otherwise, once every proxy of the stage runs the new
 * version and the stage has soaked, the rollout goes to the next stage (or completes after the
 * last), unless the stage wants an operator's approval.
 */
export function nextRolloutStep(o: StageObservation): RolloutStep {
  if (o.rejection) return { kind: 'halt', reason: `proxy ${o.rejection.nodeId} rejected the new version: ${o.rejection.message}` }
  if (o.reached < o.members) return { kind: 'wait' }
  if (o.soakedMs < o.soakSeconds * 1000) return { kind: 'wait' }
  if (o.approval) return { kind: 'await-approval' }
  return o.stage + 1 >= o.stageCount ? { kind: 'complete' } : { kind: 'advance', to: o.stage + 1 }
}
