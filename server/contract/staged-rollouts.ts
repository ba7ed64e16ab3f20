import { z } from 'zod'
import { NodeIdGlob } from './fleets'

/** Open (running, paused, waiting, halted): the fleet's commits and rollbacks wait for it. */
export { isOpenRollout } from '../config/rollout-plan'

/** One stage of a staged rollout (#12 item 3); see server/config/rollout-plan.ts. */
export const StagedRolloutStageSchema = z
  .strictObject({
    nodeIdGlob: NodeIdGlob.optional(),
    metadata: z.record(z.string().min(1).max(255), z.string().max(255)).optional(),
    /** This share (1–100) of the proxies the selector matches, chosen by a stable hash of the node id. */
    percent: z.number().int('a whole percentage').min(1, 'at least 1').max(100, 'at most 100').optional(),
    /** How long every proxy of the stage must run the version before the rollout goes on. */
    soakSeconds: z.number().int('whole seconds').min(0).max(86_400, 'at most a day').default(30),
    /** Wait for an operator's promote before going on. */
    approval: z.boolean().default(false),
  })
  .readonly()
export type StagedRolloutStageInput = z.infer<typeof StagedRolloutStageSchema>

export const MAX_ROLLOUT_STAGES = 10

/**
 * POST /fleets/{fleet}/rollouts: commit the draft as a new version (the commit's checks, If-Match
 * and acceptWarnings apply) and roll it out in stages instead of to every proxy at once.
 */
export const StagedRolloutCreateInput = z.strictObject({
  message: z.string().trim().min(1, 'a commit needs a message').max(2000),
  /** Roll back to this version's content in stages, instead of committing the draft (the rollback's rules apply: `discardDraft` or If-Match over pending changes). */
  rollbackTo: z.number().int().min(1).optional(),
  discardDraft: z.boolean().optional(),
  acceptWarnings: z.boolean().optional(),
  stages: z.array(StagedRolloutStageSchema).min(1, 'at least one stage').max(MAX_ROLLOUT_STAGES, `at most ${MAX_ROLLOUT_STAGES} stages`),
})
export type StagedRolloutCreateInput = z.infer<typeof StagedRolloutCreateInput>

export const StagedRolloutStateSchema = z.enum(['running', 'paused', 'waiting', 'halted', 'completed', 'aborted'])
export const StagedRolloutActionSchema = z.enum(['pause', 'resume', 'promote', 'abort', 'retry'])
export type StagedRolloutAction = z.infer<typeof StagedRolloutActionSchema>

export const StagedRolloutStageViewSchema = z
  .object({
    nodeIdGlob: z.string().nullable(),
    metadata: z.record(z.string(), z.string()),
    percent: z.number().int().nullable(),
    soakSeconds: z.number().int(),
    approval: z.boolean(),
    /** Connected proxies this stage takes now, with earlier stages (null for stages not reached yet). */
    members: z.number().int().nullable(),
    /** Of them, those whose status says they run the new version. */
    reached: z.number().int().nullable(),
  })
  .readonly()

/** GET /fleets/{fleet}/rollouts/{id} */
export const StagedRolloutViewSchema = z
  .object({
    id: z.string(),
    fleet: z.string(),
    /** The version everyone else keeps (the fleet's active version when the rollout began). */
    fromVersion: z.number().int().nullable(),
    toVersion: z.number().int(),
    state: StagedRolloutStateSchema,
    /** The current stage, 0-based. */
    stage: z.number().int(),
    stageStartedAt: z.string(),
    stages: z.array(StagedRolloutStageViewSchema),
    /** Why it halted (the NACK), or what an operator did. */
    reason: z.string().nullable(),
    /** Proxies that rejected the new version. */
    rejections: z.array(z.object({ nodeId: z.string(), message: z.string(), at: z.string() }).readonly()),
    createdBy: z.string(),
    createdAt: z.string(),
    finishedAt: z.string().nullable(),
  })
  .readonly()
export type StagedRolloutView = z.infer<typeof StagedRolloutViewSchema>

export const StagedRolloutListResponse = z.object({ rollouts: z.array(StagedRolloutViewSchema) })
