import type { Db } from './db'
import type { RolloutRecord, RolloutStore } from '../status/rollout-recorder'
import type { ProxyState, VersionConvergence } from '../contract'
import { deriveProxyState, type TypeStatus } from '../contract/proxy-state'
import { LegationError } from '../errors'
import { EVENT_CHANNEL, type LegationEvent } from '../events/types'

/** Node ids named in one notification (NOTIFY payloads stay under 8,000 bytes). */
const MAX_NODE_IDS_PER_EVENT = 20
const MAX_NODE_ID_IN_EVENT = 256
import { STALE_REPLICA_MS } from './proxies'

const RECORD_SQL = `
WITH written AS (
INSERT INTO version_rollout (version_id, node_id, outcome, at, since_commit_ms, connected_before, type_url, message)
SELECT DISTINCT ON (v.id, x.node_id) v.id, x.node_id, x.outcome, x.at,
       GREATEST(0, LEAST(2147483647, floor(extract(epoch FROM (x.at - v.created_at)) * 1000)))::int,
       x.connected_at <= v.created_at, x.type_url, x.message
  FROM jsonb_to_recordset($1::jsonb) AS x(fleet text, version int, node_id text, outcome text, at timestamptz, connected_at timestamptz, type_url text, message text)
  JOIN fleet f ON f.name = x.fleet
  JOIN version v ON v.fleet_id = f.id AND v.number = x.version
 ORDER BY v.id, x.node_id, (x.outcome = 'reached') DESC, x.at
ON CONFLICT (version_id, node_id) DO UPDATE
   SET outcome = EXCLUDED.outcome, at = EXCLUDED.at, since_commit_ms = EXCLUDED.since_commit_ms,
       connected_before = EXCLUDED.connected_before, type_url = NULL, message = NULL
 WHERE version_rollout.outcome = 'rejected' AND EXCLUDED.outcome = 'reached'
RETURNING version_id
)
DELETE FROM version_rollout_summary WHERE version_id IN (SELECT version_id FROM written)`

/**
 * The Postgres side of the rollout recorder: one statement per batch. A proxy's first outcome for a
 * version stays, except that reaching it replaces an earlier rejection (a retry that succeeded);
 * the first rejection's text is kept.
 */
export function createRolloutStore(db: Db): RolloutStore {
  return {
    async record(rows) {
      if (rows.length === 0) return
      // proxy.changed per fleet once the rows are in: what the console refetches the rollout on.
      const byFleet = new Map<string, Set<string>>()
      for (const r of rows) byFleet.set(r.fleet, (byFleet.get(r.fleet) ?? new Set()).add(r.nodeId))
      const at = new Date().toISOString()
      await db.$transaction(async (tx) => {
        await tx.$executeRawUnsafe(RECORD_SQL, JSON.stringify(rows.map(toRow)))
        for (const [fleet, nodeIds] of byFleet) {
          const event: LegationEvent = { kind: 'proxy.changed', fleet, nodeIds: [...nodeIds].sort((a, b) => a.length - b.length).slice(0, MAX_NODE_IDS_PER_EVENT).filter((id) => id.length <= MAX_NODE_ID_IN_EVENT), at }
          await tx.$executeRaw`SELECT pg_notify(${EVENT_CHANNEL}, ${JSON.stringify(event)})`
        }
      })
    },
  }
}

function toRow(r: RolloutRecord) {
  return { fleet: r.fleet, version: r.version, node_id: r.nodeId, outcome: r.outcome, at: r.at, connected_at: r.connectedAt, type_url: r.typeUrl ?? null, message: r.message ?? null }
}

/** Live streams as the proxies list counts them (a replica silent for STALE_REPLICA_MS is presumed gone). */
const LIVE_NODES_SQL = `SELECT DISTINCT node_id FROM proxy_connection
  WHERE fleet = $1 AND disconnected_at IS NULL AND last_seen_at > now() - make_interval(secs => $2::double precision / 1000)`

const CONVERGENCE_SQL = `
WITH live AS (${LIVE_NODES_SQL}),
picked AS (
  SELECT v.id, v.number, v.id = f.active_version_id AS active
    FROM version v JOIN fleet f ON f.id = v.fleet_id
   WHERE f.name = $1 AND v.id = ANY($3::uuid[])
)
SELECT p.id, p.number, p.active,
       count(r.node_id) FILTER (WHERE r.outcome = 'reached')::int AS reached,
       count(r.node_id) FILTER (WHERE r.outcome = 'rejected')::int AS rejected,
       CASE WHEN p.active THEN (SELECT count(*)::int FROM live WHERE NOT EXISTS (SELECT 1 FROM version_rollout x WHERE x.version_id = p.id AND x.node_id = live.node_id)) ELSE 0 END AS live_without_row,
       percentile_disc(0.5) WITHIN GROUP (ORDER BY r.since_commit_ms) FILTER (WHERE r.outcome = 'reached' AND r.connected_before) AS p50,
       percentile_disc(0.9) WITHIN GROUP (ORDER BY r.since_commit_ms) FILTER (WHERE r.outcome = 'reached' AND r.connected_before) AS p90,
       max(r.since_commit_ms) FILTER (WHERE r.outcome = 'reached' AND r.connected_before) AS max
  FROM picked p LEFT JOIN version_rollout r ON r.version_id = p.id
 GROUP BY p.id, p.number, p.active`

type ConvergenceRow = { id: string; number: number; active: boolean; reached: number; rejected: number; live_without_row: number; p50: number | null; p90: number | null; max: number | null }

function toConvergence(r: ConvergenceRow): VersionConvergence {
  const proxies = r.reached + r.rejected + r.live_without_row
  const all = proxies > 0 && r.reached === proxies
  return { version: r.number, proxies, onVersion: r.reached, rejected: r.rejected, convergenceMs: all ? r.max : null, p50Ms: r.p50, p90Ms: r.p90, maxMs: r.max }
}

const VERSIONS_SQL = `
SELECT v.id, v.number, v.id = f.active_version_id AS active,
       (SELECT min(c.created_at) FROM version c WHERE c.fleet_id = v.fleet_id AND c.number > v.number) AS superseded_at,
       s.summary
  FROM version v JOIN fleet f ON f.id = v.fleet_id LEFT JOIN version_rollout_summary s ON s.version_id = v.id
 WHERE f.name = $1 AND v.number = ANY($2::int[])`

type VersionMetaRow = { id: string; number: number; active: boolean; superseded_at: Date | null; summary: VersionConvergence | null }

/**
 * A superseded version's summary is stored once it has been superseded this long: rows for it stop
 * arriving then (a row that still comes, e.g. after a database outage, deletes the summary).
 */
const SUMMARY_SETTLE_MS = 10_000

/**
 * Per version of a fleet, from the recorded rows. The active version (and any superseded one without
 * a stored summary) is aggregated in one query; superseded versions then keep their summary, so the
 * cost does not grow with the number of proxies times versions.
 */
export async function readFleetConvergence(options: { db: Db; fleet: string; versions: readonly number[] }): Promise<VersionConvergence[]> {
  if (options.versions.length === 0) return []
  const { db, fleet } = options
  const meta = await db.$queryRawUnsafe<VersionMetaRow[]>(VERSIONS_SQL, fleet, [...options.versions])
  const stale = meta.filter((m) => m.active || m.summary === null)
  const computed = stale.length === 0 ? [] : await db.$queryRawUnsafe<ConvergenceRow[]>(CONVERGENCE_SQL, fleet, STALE_REPLICA_MS, stale.map((m) => m.id))
  const now = Date.now()
  const settled = new Set(stale.filter((m) => !m.active && m.superseded_at !== null && now - m.superseded_at.getTime() > SUMMARY_SETTLE_MS).map((m) => m.id))
  const toStore = computed.filter((r) => settled.has(r.id)).map((r) => ({ version_id: r.id, summary: toConvergence(r) }))
  if (toStore.length > 0) {
    await db.$executeRawUnsafe(
      `INSERT INTO version_rollout_summary (version_id, summary)
       SELECT (x->>'version_id')::uuid, x->'summary' FROM jsonb_array_elements($1::jsonb) x
       ON CONFLICT (version_id) DO UPDATE SET summary = EXCLUDED.summary, computed_at = now()`,
      JSON.stringify(toStore),
    )
  }
  const fresh = new Map(computed.map((r) => [r.number, toConvergence(r)]))
  return meta
    .map((m) => fresh.get(m.number) ?? m.summary!)
    .sort((a, b) => b.version - a.version)
}

type RejectionRow = { node_id: string; type_url: string | null; message: string | null; at: Date; last_accepted: number | null }
type MissingRow = { node_id: string; reason: 'pending' | 'disconnected'; since: Date }

/**
 * Where one version's rollout stands: its convergence, the proxies that rejected it (with the last
 * version each accepted before) and, while it is active, those still missing and why.
 */
export async function readVersionRollout(options: { db: Db; fleet: string; number: number; listLimit: number }): Promise<{
  versionId: string
  committedAt: Date
  active: boolean
  convergence: VersionConvergence
  rejections: Array<{ nodeId: string; typeUrl: string | null; message: string; at: string; lastAcceptedVersion: number | null }>
  missing: Array<{ nodeId: string; reason: 'pending' | 'disconnected'; since: string }>
  missingCount: number
}> {
  const { db, fleet, number, listLimit } = options
  const version = await db.version.findFirst({ where: { number, fleet: { name: fleet } }, select: { id: true, createdAt: true, activeForFleet: { select: { id: true } } } })
  if (!version) throw new LegationError('VERSION.NOT_FOUND', `fleet '${fleet}' has no version ${number}`)
  const [convergence] = await readFleetConvergence({ db, fleet, versions: [number] })
  const rejections = await db.$queryRawUnsafe<RejectionRow[]>(
    `SELECT r.node_id, r.type_url, r.message, r.at,
            (SELECT max(v2.number) FROM version_rollout a JOIN version v2 ON v2.id = a.version_id
              WHERE a.node_id = r.node_id AND a.outcome = 'reached' AND v2.fleet_id = v.fleet_id AND v2.number < v.number) AS last_accepted
       FROM version_rollout r JOIN version v ON v.id = r.version_id
      WHERE r.version_id = $1::uuid AND r.outcome = 'rejected'
      ORDER BY r.at, r.node_id LIMIT $2`,
    version.id,
    listLimit,
  )
  const active = version.activeForFleet !== null
  // Missing while active: connected now without a row (pending), or connected at the commit and gone
  // since without reaching it (disconnected).
  const missingSql = `
    WITH live AS (${LIVE_NODES_SQL}),
    missing AS (
      SELECT l.node_id, 'pending' AS reason, (SELECT min(c.connected_at) FROM proxy_connection c WHERE c.node_id = l.node_id AND c.disconnected_at IS NULL) AS since
        FROM live l
       WHERE NOT EXISTS (SELECT 1 FROM version_rollout x WHERE x.version_id = $3::uuid AND x.node_id = l.node_id)
      UNION ALL
      SELECT c.node_id, 'disconnected', max(c.disconnected_at)
        FROM proxy_connection c
       WHERE c.fleet = $1 AND c.connected_at <= $4 AND c.disconnected_at > $4
         AND NOT EXISTS (SELECT 1 FROM live l WHERE l.node_id = c.node_id)
         AND NOT EXISTS (SELECT 1 FROM version_rollout x WHERE x.version_id = $3::uuid AND x.node_id = c.node_id)
       GROUP BY c.node_id
    )
    SELECT node_id, reason, since, count(*) OVER () AS total FROM missing ORDER BY reason DESC, node_id LIMIT $5`
  const missing = active ? await db.$queryRawUnsafe<Array<MissingRow & { total: bigint }>>(missingSql, fleet, STALE_REPLICA_MS, version.id, version.createdAt, listLimit) : []
  return {
    versionId: version.id,
    committedAt: version.createdAt,
    active,
    convergence: convergence!,
    rejections: rejections.map((r) => ({ nodeId: r.node_id, typeUrl: r.type_url, message: r.message ?? '', at: r.at.toISOString(), lastAcceptedVersion: r.last_accepted })),
    missing: missing.map((m) => ({ nodeId: m.node_id, reason: m.reason, since: m.since.toISOString() })),
    missingCount: missing.length > 0 ? Number(missing[0]!.total) : 0,
  }
}

/** The newest version of `fleet` that `nodeId` reached, if any. */
export async function lastReachedVersion(options: { db: Db; fleet: string; nodeId: string }): Promise<number | null> {
  const rows = await options.db.$queryRawUnsafe<Array<{ n: number | null }>>(
    `SELECT max(v.number) AS n FROM version_rollout r JOIN version v ON v.id = r.version_id JOIN fleet f ON f.id = v.fleet_id
      WHERE f.name = $1 AND r.node_id = $2 AND r.outcome = 'reached'`,
    options.fleet,
    options.nodeId,
  )
  return rows[0]?.n ?? null
}

export async function versionIdOf(db: Db, fleet: string, number: number): Promise<string | null> {
  const v = await db.version.findFirst({ where: { number, fleet: { name: fleet } }, select: { id: true } })
  return v?.id ?? null
}

/**
 * Node ids that reached their fleet's active version (one query). A proxy that reached it and then
 * received nothing new still runs it: a later change makes a new active version it has no row for.
 */
export async function nodesOnActiveVersion(options: { db: Db; fleet?: string }): Promise<Set<string>> {
  const rows = await options.db.$queryRawUnsafe<Array<{ node_id: string }>>(
    `SELECT r.node_id FROM version_rollout r JOIN fleet f ON f.active_version_id = r.version_id
      WHERE r.outcome = 'reached' AND ($1::text IS NULL OR f.name = $1)`,
    options.fleet ?? null,
  )
  return new Set(rows.map((r) => r.node_id))
}

/**
 * The state the proxies list would show for each of `nodeIds` (their live streams merged; absent:
 * no live stream), read for these nodes only.
 */
export async function liveStatesOf(options: { db: Db; nodeIds: readonly string[] }): Promise<Map<string, ProxyState>> {
  if (options.nodeIds.length === 0) return new Map()
  const rows = await options.db.$queryRawUnsafe<Array<{ node_id: string; types: Record<string, TypeStatus> }>>(
    `SELECT node_id, types FROM proxy_connection
      WHERE node_id = ANY($1::text[]) AND disconnected_at IS NULL AND last_seen_at > now() - make_interval(secs => $2::double precision / 1000)`,
    [...options.nodeIds],
    STALE_REPLICA_MS,
  )
  const types = new Map<string, Record<string, TypeStatus>>()
  for (const r of rows) types.set(r.node_id, { ...(types.get(r.node_id) ?? {}), ...r.types })
  return new Map([...types].map(([nodeId, t]) => [nodeId, deriveProxyState({ disconnectedAt: null, types: t })]))
}

/** Each fleet keeps the per-proxy rollout rows of this many newest versions; older ones keep their summary. */
export const ROLLOUT_ROWS_KEPT_VERSIONS = 100

/**
 * Keeps version_rollout bounded (a row per proxy and version): versions older than the newest
 * ROLLOUT_ROWS_KEPT_VERSIONS of their fleet get their summary stored first, then lose their rows.
 * Returns the number of rows removed.
 */
export async function pruneRolloutRows(options: { db: Db }): Promise<number> {
  const { db } = options
  const old = await db.$queryRawUnsafe<Array<{ fleet: string; number: number }>>(
    `SELECT f.name AS fleet, v.number FROM version v JOIN fleet f ON f.id = v.fleet_id
      WHERE v.number <= (SELECT max(w.number) FROM version w WHERE w.fleet_id = v.fleet_id) - $1
        AND EXISTS (SELECT 1 FROM version_rollout r WHERE r.version_id = v.id)
      ORDER BY f.name, v.number LIMIT 500`,
    ROLLOUT_ROWS_KEPT_VERSIONS,
  )
  const byFleet = new Map<string, number[]>()
  for (const o of old) byFleet.set(o.fleet, [...(byFleet.get(o.fleet) ?? []), o.number])
  for (const [fleet, versions] of byFleet) await readFleetConvergence({ db, fleet, versions })
  return db.$executeRawUnsafe(
    `DELETE FROM version_rollout r USING version v, fleet f
      WHERE r.version_id = v.id AND f.id = v.fleet_id
        AND v.number <= (SELECT max(w.number) FROM version w WHERE w.fleet_id = v.fleet_id) - $1
        AND EXISTS (SELECT 1 FROM version_rollout_summary s WHERE s.version_id = v.id)`,
    ROLLOUT_ROWS_KEPT_VERSIONS,
  )
}
