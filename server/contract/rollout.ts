import { z } from 'zod'
import { ResourceChangeSchema, resourceKeyShape } from './common'
import { ProxyStateSchema, TypeStateSchema } from './proxies'

/**
 * Convergence of one version, from the rollout rows recorded when proxies reached or rejected it
 * (docs/xds-conformance.md "When a proxy runs version N"). Times run from the commit to the proxy's
 * last ACK and count only proxies that were connected at the commit.
 */
export const VersionConvergenceSchema = z
  .object({
    version: z.number().int(),
    /**
     * N: for the active version, the proxies connected to the fleet now plus those that reached or
     * rejected it since; for an older version, those that reached or rejected it while it was active.
     */
    proxies: z.number().int(),
    /** n: how many of them reached it. */
    onVersion: z.number().int(),
    /** How many rejected it (NACK). */
    rejected: z.number().int(),
    /** Time until the last proxy reached it, once all N have (null until then). */
    convergenceMs: z.number().nullable(),
    p50Ms: z.number().nullable(),
    p90Ms: z.number().nullable(),
    maxMs: z.number().nullable(),
  })
  .readonly()
export type VersionConvergence = z.infer<typeof VersionConvergenceSchema>

/** `staged`: the version of an open staged rollout (#12 item 3): served only to its stage's proxies, not active yet. */
export const ROLLOUT_STATES = ['converging', 'converged', 'rejected', 'stalled', 'superseded', 'no-proxies', 'staged'] as const
export const RolloutStateSchema = z.enum(ROLLOUT_STATES)
export type RolloutState = z.infer<typeof RolloutStateSchema>

export const RolloutRejectionSchema = z
  .object({
    nodeId: z.string(),
    typeUrl: z.string().nullable(),
    /** The client's error_detail. */
    message: z.string(),
    at: z.string(),
    /** Resource names the message mentions that the version has, best first (where to look). */
    resources: z.array(z.object(resourceKeyShape).readonly()).readonly(),
    /** The newest version of this fleet this proxy reached before (to roll back to), if any. */
    lastAcceptedVersion: z.number().int().nullable(),
  })
  .readonly()
export type RolloutRejection = z.infer<typeof RolloutRejectionSchema>

/** A proxy that has not reached the version, and why. */
export const RolloutMissingSchema = z
  .object({
    nodeId: z.string(),
    /** pending: connected, not ACKed yet; disconnected: connected at the commit, gone before reaching it. */
    reason: z.enum(['pending', 'disconnected']),
    state: ProxyStateSchema,
    since: z.string(),
  })
  .readonly()
export type RolloutMissing = z.infer<typeof RolloutMissingSchema>

/** GET /fleets/{fleet}/versions/{n}/rollout: where the rollout of one version stands. */
export const VersionRolloutSchema = z
  .object({
    fleet: z.string(),
    version: z.number().int(),
    active: z.boolean(),
    committedAt: z.string(),
    /**
     * converged: every proxy reached it; rejected: a proxy NACKed it; stalled: proxies still missing
     * `stallAfterMs` after the commit; converging: still within that time; superseded: no longer active;
     * no-proxies: active, and no proxy is connected.
     */
    state: RolloutStateSchema,
    stallAfterMs: z.number().int(),
    convergence: VersionConvergenceSchema,
    /** At most `listLimit` of each; the counts are in `convergence`. */
    rejections: z.array(RolloutRejectionSchema).readonly(),
    missing: z.array(RolloutMissingSchema).readonly(),
    missingCount: z.number().int(),
    listLimit: z.number().int(),
  })
  .readonly()
export type VersionRollout = z.infer<typeof VersionRolloutSchema>

/** One type of one proxy: what it runs (ACKed) against what the fleet's active version has for its subscription. */
export const TypeDriftSchema = z
  .object({
    typeUrl: z.string(),
    /** The version whose content the proxy ACKed last for this type (null: nothing ACKed yet). */
    ackedFromVersion: z.number().int().nullable(),
    state: TypeStateSchema,
    /** From what the proxy runs to what the active version wants (sealed values shown as `<set:…>`). */
    changes: z.array(ResourceChangeSchema).readonly(),
    /** Why this comparison may not be exact (null: exact), e.g. a subscription too long to keep in the status. */
    caveat: z.string().nullable(),
  })
  .readonly()
export type TypeDrift = z.infer<typeof TypeDriftSchema>

/** GET /proxies/{node}/drift: desired (the active version) against actual (what the proxy ACKed), per type. */
export const ProxyDriftSchema = z
  .object({
    nodeId: z.string(),
    fleet: z.string().nullable(),
    activeVersion: z.number().int().nullable(),
    /** The proxy runs exactly the active version's resources for its subscription on every type. */
    runsActive: z.boolean(),
    types: z.array(TypeDriftSchema).readonly(),
  })
  .readonly()
export type ProxyDrift = z.infer<typeof ProxyDriftSchema>

/** GET /proxies?onActive=false: only the proxies not running their fleet's active version. */
export const OnActiveQuery = z.object({ onActive: z.enum(['true', 'false']).optional() })
