import type { Db } from './db'
import { EVENT_CHANNEL, type LegationEvent } from '../events/types'
import type { ConnectionStore } from '../status/registry'
import { deriveProxyState, isOnVersion, lastAckAt, PROXY_STATES, type ConnectionStatus, type ProxyEventRecord, type ProxyState, type TypeStatus } from '../contract/proxy-state'
import { LegationError } from '../errors'
import type { FleetProxyCounts, ProxyEventView, ProxySummary, VersionConvergence } from '../contract'

type Row = {
  id: string
  replica_id: string
  node_id: string
  node_cluster: string
  fleet: string | null
  peer: string
  user_agent_name: string
  user_agent_version: string
  stream: string
  connected_at: Date
  disconnected_at: Date | null
  last_seen_at: Date
  close_reason: string | null
  types: Record<string, TypeStatus>
}

/** A replica that stops refreshing its rows for this long is presumed dead, its streams gone. */
export const STALE_REPLICA_MS = 45_000

function toStatus(r: Row, now: number): ConnectionStatus {
  const presumedGone = !r.disconnected_at && now - r.last_seen_at.getTime() > STALE_REPLICA_MS
  return {
    id: r.id,
    replicaId: r.replica_id,
    nodeId: r.node_id,
    nodeCluster: r.node_cluster,
    fleet: r.fleet,
    peer: r.peer,
    userAgentName: r.user_agent_name,
    userAgentVersion: r.user_agent_version,
    stream: r.stream,
    connectedAt: r.connected_at.toISOString(),
    disconnectedAt: r.disconnected_at?.toISOString() ?? (presumedGone ? r.last_seen_at.toISOString() : null),
    lastSeenAt: r.last_seen_at.toISOString(),
    closeReason: r.close_reason ?? (presumedGone ? 'the replica serving this stream stopped reporting' : null),
    types: r.types,
  }
}

const UPSERT_SQL = `
INSERT INTO proxy_connection (id, replica_id, node_id, node_cluster, fleet, peer, user_agent_name, user_agent_version, stream,
                              connected_at, disconnected_at, last_seen_at, close_reason, types, updated_at)
SELECT id, replica_id, node_id, node_cluster, fleet, peer, user_agent_name, user_agent_version, stream,
       connected_at, disconnected_at, last_seen_at, close_reason, types, now()
FROM jsonb_to_recordset($1::jsonb) AS x(id uuid, replica_id text, node_id text, node_cluster text, fleet text, peer text,
     user_agent_name text, user_agent_version text, stream text, connected_at timestamptz, disconnected_at timestamptz,
     last_seen_at timestamptz, close_reason text, types jsonb)
ON CONFLICT (id) DO UPDATE SET fleet = EXCLUDED.fleet, disconnected_at = EXCLUDED.disconnected_at, last_seen_at = EXCLUDED.last_seen_at,
     close_reason = EXCLUDED.close_reason, types = EXCLUDED.types, updated_at = now()`

const MAX_NODE_IDS_PER_EVENT = 20

const INSERT_EVENTS_SQL = `
INSERT INTO proxy_event (connection_id, node_id, fleet, at, kind, type_url, version, nonce, from_version, message)
SELECT connection_id, node_id, fleet, at, kind, type_url, version, nonce, from_version, message
FROM jsonb_to_recordset($1::jsonb) AS x(connection_id uuid, node_id text, fleet text, at timestamptz, kind text, type_url text,
     version text, nonce text, from_version int, message text)`

function toEventRow(e: ProxyEventRecord) {
  return {
    connection_id: e.connectionId,
    node_id: e.nodeId,
    fleet: e.fleet,
    at: e.at,
    kind: e.kind,
    type_url: e.typeUrl ?? null,
    version: e.version ?? null,
    nonce: e.nonce ?? null,
    from_version: e.fromVersion ?? null,
    message: e.message ?? null,
  }
}

/** The Postgres side of the connection registry: one statement per flush, plus one NOTIFY per fleet. */
export function createConnectionStore(db: Db): ConnectionStore {
  return {
    async upsert(rows, events) {
      if (rows.length === 0 && events.length === 0) return
      const payload = rows.map((r) => ({
        id: r.id,
        replica_id: r.replicaId,
        node_id: r.nodeId,
        node_cluster: r.nodeCluster,
        fleet: r.fleet,
        peer: r.peer,
        user_agent_name: r.userAgentName,
        user_agent_version: r.userAgentVersion,
        stream: r.stream,
        connected_at: r.connectedAt,
        disconnected_at: r.disconnectedAt,
        last_seen_at: r.lastSeenAt,
        close_reason: r.closeReason,
        types: r.types,
      }))
      const byFleet = new Map<string | null, string[]>()
      for (const r of rows) byFleet.set(r.fleet, [...(byFleet.get(r.fleet) ?? []), r.nodeId])
      const at = new Date().toISOString()
      await db.$transaction(async (tx) => {
        if (payload.length > 0) await tx.$executeRawUnsafe(UPSERT_SQL, JSON.stringify(payload))
        if (events.length > 0) await tx.$executeRawUnsafe(INSERT_EVENTS_SQL, JSON.stringify(events.map(toEventRow)))
        for (const [fleet, nodeIds] of byFleet) {
          const event: LegationEvent = { kind: 'proxy.changed', fleet, nodeIds: [...new Set(nodeIds)].slice(0, MAX_NODE_IDS_PER_EVENT), at }
          await tx.$executeRaw`SELECT pg_notify(${EVENT_CHANNEL}, ${JSON.stringify(event)})`
        }
      })
    },
    async heartbeat(replicaId, ids, at) {
      await db.$executeRawUnsafe(`UPDATE proxy_connection SET last_seen_at = $1 WHERE replica_id = $2 AND id = ANY($3::uuid[]) AND disconnected_at IS NULL`, at, replicaId, ids)
    },
  }
}

/** Closed streams older than this are forgotten; each node keeps at most HISTORY_PER_NODE rows. */
export const RETENTION_HOURS = 24
export const HISTORY_PER_NODE = 20

/**
 * Keeps proxy_connection bounded: a proxy that is refused and retries forever, or reconnects often,
 * would otherwise add a row per attempt. Returns the number of rows removed.
 */
export async function pruneProxyConnections(options: { db: Db }): Promise<number> {
  const events = await options.db.$executeRawUnsafe(`DELETE FROM proxy_event WHERE at < now() - make_interval(hours => $1)`, RETENTION_HOURS)
  return events + await options.db.$executeRawUnsafe(
    `DELETE FROM proxy_connection p
      WHERE p.disconnected_at IS NOT NULL
        AND (p.disconnected_at < now() - make_interval(hours => $1)
             OR p.id IN (SELECT id FROM (SELECT id, row_number() OVER (PARTITION BY node_id ORDER BY connected_at DESC) AS n FROM proxy_connection) ranked WHERE ranked.n > $2))`,
    RETENTION_HOURS,
    HISTORY_PER_NODE,
  )
}

/**
 * One entry per node id. A proxy may hold several live streams at once (per-type xDS: LDS, CDS, …
 * each on its own stream): those are merged into one proxy, each type taken from the stream that
 * carries it. A node with no live stream shows its latest one.
 */
export function mergeNodeStreams(streams: readonly ConnectionStatus[]): ConnectionStatus {
  const byAge = [...streams].sort((x, y) => (x.connectedAt < y.connectedAt ? -1 : x.connectedAt > y.connectedAt ? 1 : 0))
  const live = byAge.filter((c) => !c.disconnectedAt)
  if (live.length === 0) return byAge.at(-1)!
  const latest = live.at(-1)!
  if (live.length === 1) return latest
  return {
    ...latest,
    stream: [...new Set(live.map((c) => c.stream))].join(' + '),
    connectedAt: live[0]!.connectedAt,
    types: Object.assign({}, ...live.map((c) => c.types)) as Record<string, TypeStatus>,
  }
}

const NODE_STREAMS_SQL = `
SELECT * FROM proxy_connection p
 WHERE ($1::text IS NULL OR p.node_id = $1) AND ($2::text IS NULL OR p.fleet = $2)
   AND (p.disconnected_at IS NULL
        OR p.id = (SELECT q.id FROM proxy_connection q WHERE q.node_id = p.node_id ORDER BY q.connected_at DESC LIMIT 1))`

async function readNodeStreams(db: Db, filter: { nodeId?: string; fleet?: string }): Promise<Map<string, ConnectionStatus[]>> {
  const rows = await db.$queryRawUnsafe<Row[]>(NODE_STREAMS_SQL, filter.nodeId ?? null, filter.fleet ?? null)
  const now = Date.now()
  const byNode = new Map<string, ConnectionStatus[]>()
  for (const r of rows) byNode.set(r.node_id, [...(byNode.get(r.node_id) ?? []), toStatus(r, now)])
  return byNode
}

export async function listProxies(options: { db: Db; fleet?: string; state?: ProxyState }): Promise<ProxySummary[]> {
  const byNode = await readNodeStreams(options.db, options.fleet ? { fleet: options.fleet } : {})
  return [...byNode.values()]
    .map(mergeNodeStreams)
    .map((c) => ({ ...c, state: deriveProxyState(c) }))
    .filter((p) => (options.state ? p.state === options.state : true))
    .sort((x, y) => (x.nodeId < y.nodeId ? -1 : x.nodeId > y.nodeId ? 1 : 0))
}

export async function getProxyOrThrow(options: { db: Db; nodeId: string }): Promise<{ proxy: ProxySummary; history: ConnectionStatus[] }> {
  const streams = (await readNodeStreams(options.db, { nodeId: options.nodeId })).get(options.nodeId)
  if (!streams) throw new LegationError('PROXY.NOT_FOUND', `no proxy with node id '${options.nodeId}' has connected`)
  const merged = mergeNodeStreams(streams)
  const rows = await options.db.$queryRawUnsafe<Row[]>(`SELECT * FROM proxy_connection WHERE node_id = $1 ORDER BY connected_at DESC LIMIT 20`, options.nodeId)
  const now = Date.now()
  const live = new Set(streams.filter((c) => !c.disconnectedAt).map((c) => c.id))
  const history = rows.map((r) => toStatus(r, now)).filter((c) => c.id !== merged.id && !live.has(c.id))
  return { proxy: { ...merged, state: deriveProxyState(merged) }, history }
}

export async function listProxyEvents(options: { db: Db; nodeId: string; limit?: number }): Promise<ProxyEventView[]> {
  const rows = await options.db.proxyEvent.findMany({ where: { nodeId: options.nodeId }, orderBy: { id: 'desc' }, take: Math.min(Math.max(options.limit ?? 200, 1), 1000) })
  return rows.map((r) => ({
    id: r.id.toString(),
    connectionId: r.connectionId,
    nodeId: r.nodeId,
    fleet: r.fleet,
    at: r.at.toISOString(),
    kind: r.kind as ProxyEventRecord['kind'],
    ...(r.typeUrl ? { typeUrl: r.typeUrl } : {}),
    ...(r.version ? { version: r.version } : {}),
    ...(r.nonce ? { nonce: r.nonce } : {}),
    ...(r.fromVersion !== null ? { fromVersion: r.fromVersion } : {}),
    ...(r.message ? { message: r.message } : {}),
  }))
}

/** Per fleet, how many proxies are in each state (latest stream per node id). */
export async function summarizeProxies(options: { db: Db }): Promise<FleetProxyCounts[]> {
  const byFleet = new Map<string | null, Record<ProxyState, number> & { total: number }>()
  for (const p of await listProxies({ db: options.db })) {
    const counts = byFleet.get(p.fleet) ?? { total: 0, ...(Object.fromEntries(PROXY_STATES.map((s) => [s, 0])) as Record<ProxyState, number>) }
    counts.total++
    counts[p.state]++
    byFleet.set(p.fleet, counts)
  }
  return [...byFleet].map(([fleet, counts]) => ({ fleet, ...counts })).sort((a, b) => (a.fleet ?? '').localeCompare(b.fleet ?? ''))
}

/**
 * Per version of a fleet: how many of its connected proxies run it, and how long after the version
 * was created the last of them acknowledged it (null until every connected proxy runs it).
 */
export async function getFleetConvergence(options: { db: Db; fleet: string; versions: readonly number[] }): Promise<VersionConvergence[]> {
  const proxies = (await listProxies({ db: options.db, fleet: options.fleet })).filter((p) => p.state !== 'DISCONNECTED')
  const xds = await options.db.version.findMany({
    where: { fleet: { name: options.fleet }, number: { in: [...options.versions] } },
    select: { number: true, createdAt: true, xds: { select: { typeVersions: true } } },
  })
  return xds.map((v) => {
    const typeVersions = (v.xds?.typeVersions ?? null) as Record<string, string> | null
    const on = typeVersions ? proxies.filter((p) => isOnVersion(p, typeVersions)) : []
    const acks = on.map(lastAckAt).filter((t): t is string => t !== null).sort()
    const convergenceMs = proxies.length > 0 && on.length === proxies.length && acks.length > 0 ? Math.max(0, Date.parse(acks.at(-1)!) - v.createdAt.getTime()) : null
    return { version: v.number, proxies: proxies.length, onVersion: on.length, convergenceMs }
  })
}
