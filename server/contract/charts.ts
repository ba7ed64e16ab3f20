import { z } from 'zod'
import { VersionConvergenceSchema } from './rollout'

/**
 * The console's charts (#15 item 3): the convergence curve of a version and a fleet's xDS activity
 * over time. Both come from rows the server records anyway (version_rollout, proxy_event,
 * proxy_connection); nothing is sampled from the in-memory metrics, which keep no history.
 */

/** At most this many points per outcome of one curve; past it every k-th proxy is drawn (its rank stays exact). */
export const CONVERGENCE_POINT_LIMIT = 10_000

/** `[msSinceCommit, n]`: the n-th proxy (by time) reached or rejected the version `ms` after the commit. */
export const CurvePointSchema = z.tuple([z.number().int(), z.number().int()])
export type CurvePoint = z.infer<typeof CurvePointSchema>

const curveSide = z.object({
  /** How many proxies in all; `points` has one per proxy unless that is more than `pointLimit`. */
  total: z.number().int(),
  points: z.array(CurvePointSchema).readonly(),
})

/** GET /fleets/{fleet}/versions/{n}/convergence: one point per proxy that ACKed (reached) or NACKed (rejected) the version. */
export const ConvergenceCurveSchema = z
  .object({
    fleet: z.string(),
    version: z.number().int(),
    committedAt: z.string(),
    /** The same counts and percentiles as the rollout and the history (N is the curve's ceiling). */
    convergence: VersionConvergenceSchema,
    reached: curveSide.readonly(),
    rejected: curveSide.readonly(),
    pointLimit: z.number().int(),
  })
  .readonly()
export type ConvergenceCurve = z.infer<typeof ConvergenceCurveSchema>

/** The windows a fleet's activity chart offers, each split into buckets of a fixed width. */
export const ACTIVITY_RANGES = {
  hour: { spanMs: 60 * 60_000, bucketMs: 60_000 },
  day: { spanMs: 24 * 60 * 60_000, bucketMs: 15 * 60_000 },
} as const
export type ActivityRange = keyof typeof ACTIVITY_RANGES

export const XdsActivityQuery = z.object({ range: z.enum(['hour', 'day'], { error: "range must be 'hour' or 'day'" }).optional() })
export type XdsActivityQuery = z.infer<typeof XdsActivityQuery>

export type BucketPlan = Readonly<{ from: number; bucketMs: number; count: number }>

/**
 * The buckets of a window ending now: aligned to the bucket width (so a chart refetched a few
 * seconds later shows the same buckets), the last one holding `now` (and so still filling).
 */
export function planBuckets(range: ActivityRange, now: number): BucketPlan {
  const { spanMs, bucketMs } = ACTIVITY_RANGES[range]
  const end = Math.floor(now / bucketMs) * bucketMs + bucketMs
  const count = spanMs / bucketMs
  return { from: end - count * bucketMs, bucketMs, count }
}

export const ActivityBucketSchema = z
  .object({
    /** Start of the bucket (ISO time); it spans `bucketMs`. */
    at: z.string(),
    /** Responses sent to the fleet's proxies (each a `send` event; the first response of a stream included). */
    pushes: z.number().int(),
    acks: z.number().int(),
    nacks: z.number().int(),
    /** Proxies (node ids) with a live stream at the end of the bucket (for the current one: now). */
    connected: z.number().int(),
  })
  .readonly()
export type ActivityBucket = z.infer<typeof ActivityBucketSchema>

/** GET /fleets/{fleet}/xds-activity?range=hour|day: pushes, ACKs, NACKs and connected proxies per bucket, oldest first. */
export const XdsActivitySchema = z
  .object({
    fleet: z.string(),
    range: z.enum(['hour', 'day']),
    from: z.string(),
    to: z.string(),
    bucketMs: z.number().int(),
    buckets: z.array(ActivityBucketSchema).readonly(),
  })
  .readonly()
export type XdsActivity = z.infer<typeof XdsActivitySchema>
