import type { ActivityBucket, BucketPlan, CurvePoint } from '../contract'
import { LegationError } from '../errors'
import type { Db } from './db'
import { STALE_REPLICA_MS } from './proxies'

/**
 * The proxies that reached (or rejected) one version, in time order, as `[ms since the commit, rank]`.
 * Up to `pointLimit` rows come back one per proxy; past that every k-th (and the first and last),
 * each with its exact rank, so the curve keeps its shape without sending 100,000 points.
 */
const CURVE_SQL = `
WITH r AS (
  SELECT since_commit_ms AS ms,
         row_number() OVER (ORDER BY since_commit_ms, node_id) AS n,
         count(*) OVER () AS total
    FROM version_rollout
   WHERE version_id = $1::uuid AND outcome = $2
)
SELECT ms, n::int AS n, total::int AS total
  FROM r
 WHERE total <= $3 OR n = 1 OR n = total OR n % ceil(total::numeric / $3)::int = 0
 ORDER BY n`

type CurveRow = { ms: number; n: number; total: number }

export async function readConvergenceCurve(options: { db: Db; fleet: string; number: number; pointLimit: number }): Promise<{
  committedAt: Date
  reached: { total: number; points: CurvePoint[] }
  rejected: { total: number; points: CurvePoint[] }
}> {
  const { db, fleet, number, pointLimit } = options
  const version = await db.version.findFirst({ where: { number, fleet: { name: fleet } }, select: { id: true, createdAt: true } })
  if (!version) throw new LegationError('VERSION.NOT_FOUND', `fleet '${fleet}' has no version ${number}`)
  const side = async (outcome: 'reached' | 'rejected') => {
    const rows = await db.$queryRawUnsafe<CurveRow[]>(CURVE_SQL, version.id, outcome, pointLimit)
    return { total: rows[0]?.total ?? 0, points: rows.map((r): CurvePoint => [r.ms, r.n]) }
  }
  return { committedAt: version.createdAt, reached: await side('reached'), rejected: await side('rejected') }
}

/**
 * A fleet's xDS activity per bucket, computed in SQL: responses sent, ACKs and NACKs from the
 * proxies' stream timelines (proxy_event, kept RETENTION_HOURS; an event row standing for repeats
 * counts them all, at the time of the first), and the node ids with a live stream at the end of each
 * bucket (proxy_connection; a stream whose replica stopped refreshing it ends at its last sign of life).
 * $1 fleet, $2 from, $3 bucket width (ms), $4 bucket count, $5 now, $6 STALE_REPLICA_MS.
 */
const ACTIVITY_SQL = `
WITH buckets AS (
  SELECT i,
         $2::timestamptz + make_interval(secs => i * $3::double precision / 1000) AS start_at,
         LEAST($2::timestamptz + make_interval(secs => (i + 1) * $3::double precision / 1000), $5::timestamptz) AS sample_at
    FROM generate_series(0, $4::int - 1) AS i
),
events AS (
  SELECT floor(extract(epoch FROM (e.at - $2::timestamptz)) * 1000 / $3::double precision)::int AS i,
         coalesce(sum(e.repeat_count) FILTER (WHERE e.kind = 'send'), 0) AS pushes,
         coalesce(sum(e.repeat_count) FILTER (WHERE e.kind = 'ack'), 0) AS acks,
         coalesce(sum(e.repeat_count) FILTER (WHERE e.kind = 'nack'), 0) AS nacks
    FROM proxy_event e
   WHERE e.fleet = $1 AND e.kind IN ('send', 'ack', 'nack')
     AND e.at >= $2::timestamptz AND e.at < $2::timestamptz + make_interval(secs => $4::int * $3::double precision / 1000)
   GROUP BY 1
),
streams AS (
  SELECT c.node_id, c.connected_at,
         coalesce(c.disconnected_at,
                  CASE WHEN c.last_seen_at > $5::timestamptz - make_interval(secs => $6::double precision / 1000) THEN 'infinity'::timestamptz ELSE c.last_seen_at END) AS ended_at
    FROM proxy_connection c
   WHERE c.fleet = $1 AND c.connected_at <= $5::timestamptz AND (c.disconnected_at IS NULL OR c.disconnected_at > $2::timestamptz)
)
SELECT b.start_at AS at,
       coalesce(e.pushes, 0)::int AS pushes, coalesce(e.acks, 0)::int AS acks, coalesce(e.nacks, 0)::int AS nacks,
       (SELECT count(DISTINCT s.node_id) FROM streams s WHERE s.connected_at <= b.sample_at AND s.ended_at > b.sample_at)::int AS connected
  FROM buckets b LEFT JOIN events e ON e.i = b.i
 ORDER BY b.i`

type ActivityRow = { at: Date; pushes: number; acks: number; nacks: number; connected: number }

export async function readXdsActivity(options: { db: Db; fleet: string; plan: BucketPlan; now: Date }): Promise<ActivityBucket[]> {
  const { db, fleet, plan, now } = options
  const rows = await db.$queryRawUnsafe<ActivityRow[]>(ACTIVITY_SQL, fleet, new Date(plan.from), plan.bucketMs, plan.count, now, STALE_REPLICA_MS)
  return rows.map((r) => ({ at: r.at.toISOString(), pushes: r.pushes, acks: r.acks, nacks: r.nacks, connected: r.connected }))
}
