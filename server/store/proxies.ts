import type { Db } from './db'
import { EVENT_CHANNEL, type LegationEvent } from '../events/types'
import type { ConnectionStore } from '../status/registry'
import { deriveProxyState, PROXY_STATES, type ConnectionStatus, type ProxyEventRecord, type ProxyState, type TypeStatus } from '../contract/proxy-state'
import { LegationError } from '../errors'
import { isDataError } from './sql-state'
import type { FleetProxyCounts, ProxyEventView, ProxySummary } from '../contract'

type Row = {
  id: string
  replica_id: string
  node_id: string
  node_cluster: string
  node_metadata: Record<string, string>
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

/** The default of LEGATION_STALE_REPLICA_MS. */
export const DEFAULT_STALE_REPLICA_MS = 45_000

/**
 * A replica that stops refreshing its rows for this long is presumed dead, its streams gone. Set
 * once at start by the composition root (setStaleReplicaMs, from LEGATION_STALE_REPLICA_MS); a live
 * binding, so every query reads the configured value.
 */
export let STALE_REPLICA_MS = DEFAULT_STALE_REPLICA_MS

export function setStaleReplicaMs(ms: number): void {
  STALE_REPLICA_MS = ms
}

/** How often a replica refreshes its live streams' last_seen_at: four or more times per stale window. */
export function replicaHeartbeatMs(staleReplicaMs: number): number {
  return Math.min(10_000, Math.floor(staleReplicaMs / 4))
}

function toStatus(r: Row, now: number): ConnectionStatus {
  const presumedGone = !r.disconnected_at && now - r.last_seen_at.getTime() > STALE_REPLICA_MS
  return {
    id: r.id,
    replicaId: r.replica_id,
    nodeId: r.node_id,
    nodeCluster: r.node_cluster,
    nodeMetadata: r.node_metadata,
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
INSERT INTO proxy_connection (id, replica_id, node_id, node_cluster, node_metadata, fleet, peer, user_agent_name, user_agent_version, stream,
                              connected_at, disconnected_at, last_seen_at, close_reason, types, state, updated_at)
SELECT id, replica_id, node_id, node_cluster, node_metadata, fleet, peer, user_agent_name, user_agent_version, stream,
       connected_at, disconnected_at, last_seen_at, close_reason, types, state, now()
FROM jsonb_to_recordset($1::jsonb) AS x(id uuid, replica_id text, node_id text, node_cluster text, node_metadata jsonb, fleet text, peer text,
     user_agent_name text, user_agent_version text, stream text, connected_at timestamptz, disconnected_at timestamptz,
     last_seen_at timestamptz, close_reason text, types jsonb, state text)
ON CONFLICT (id) DO UPDATE SET fleet = EXCLUDED.fleet, disconnected_at = EXCLUDED.disconnected_at, last_seen_at = EXCLUDED.last_seen_at,
     close_reason = EXCLUDED.close_reason, types = EXCLUDED.types, state = EXCLUDED.state, updated_at = now()`

const MAX_NODE_IDS_PER_EVENT = 20
/** Postgres refuses NOTIFY payloads of 8,000 bytes or more (22023); keep well under. */
const MAX_NOTIFY_BYTES = 7000

const INSERT_EVENTS_SQL = `
INSERT INTO proxy_event (connection_id, node_id, fleet, at, kind, type_url, version, nonce, from_version, message, repeat_count, last_at)
SELECT connection_id, node_id, fleet, at, kind, type_url, version, nonce, from_version, message, coalesce(repeat_count, 1), last_at
FROM jsonb_to_recordset($1::jsonb) AS x(connection_id uuid, node_id text, fleet text, at timestamptz, kind text, type_url text,
     version text, nonce text, from_version int, message text, repeat_count int, last_at timestamptz)`

/** Identical repeats of a row written earlier (event-gate.ts): found by stream, kind and first time, among its node's rows. */
const ADD_REPEATS_SQL = `
UPDATE proxy_event p SET repeat_count = p.repeat_count + x.repeats, last_at = greatest(coalesce(p.last_at, p.at), x.last_at)
FROM jsonb_to_recordset($1::jsonb) AS x(connection_id uuid, node_id text, kind text, at timestamptz, repeats int, last_at timestamptz)
WHERE p.id = (SELECT q.id FROM proxy_event q WHERE q.node_id = x.node_id AND q.connection_id = x.connection_id AND q.kind = x.kind AND q.at = x.at ORDER BY q.id DESC LIMIT 1)`

/**
 * JSON for jsonb_to_recordset. Postgres text cannot hold U+0000 (22P05 "unsupported Unicode escape
 * sequence"), which a client may put in a NACK message or its user agent: it becomes U+FFFD rather
 * than failing the write. An escaped backslash followed by "u0000" is left alone.
 */
export function toPgJson(value: unknown): string {
  return JSON.stringify(value).replace(/(?<!\\)((?:\\\\)*)\\u0000/g, '$1\\ufffd')
}

/**
 * The proxy.changed notifications for one fleet's changed node ids: one, unless the ids are too long
 * for one NOTIFY payload. Past MAX_NODE_IDS_PER_EVENT ids the console refreshes every proxy, so the
 * shortest ids are sent; ids that cannot fit (only possible for rows of an older replica without
 * node limits) are left out.
 */
export function proxyChangedPayloads(fleet: string | null, nodeIds: readonly string[], at: string): string[] {
  const unique = [...new Set(nodeIds)]
  const ids = unique.length > MAX_NODE_IDS_PER_EVENT ? unique.sort((a, b) => a.length - b.length).slice(0, MAX_NODE_IDS_PER_EVENT) : unique
  const payload = (chunk: string[]) => JSON.stringify({ kind: 'proxy.changed', fleet, nodeIds: chunk, at } satisfies LegationEvent)
  const whole = payload(ids)
  if (Buffer.byteLength(whole) <= MAX_NOTIFY_BYTES) return [whole]
  const out: string[] = []
  let chunk: string[] = []
  for (const id of ids) {
    if (Buffer.byteLength(payload([id])) > MAX_NOTIFY_BYTES) continue
    if (chunk.length > 0 && Buffer.byteLength(payload([...chunk, id])) > MAX_NOTIFY_BYTES) {
      out.push(payload(chunk))
      chunk = []
    }
    chunk.push(id)
  }
  out.push(payload(chunk))
  return out
}

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
    repeat_count: e.repeatCount ?? null,
    last_at: e.lastAt ?? null,
  }
}

/** The Postgres side of the connection registry: one statement per flush, plus one NOTIFY per fleet. */
export function createConnectionStore(db: Db): ConnectionStore {
  return {
    async upsert(rows, events, repeats = []) {
      if (rows.length === 0 && events.length === 0 && repeats.length === 0) return
      const payload = rows.map((r) => ({
        id: r.id,
        replica_id: r.replicaId,
        node_id: r.nodeId,
        node_cluster: r.nodeCluster,
        node_metadata: r.nodeMetadata ?? {},
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
        // The stream's own state, for filtering, sorting and counting in SQL (listProxies); liveness is
        // read from disconnected_at and last_seen_at, so this is never DISCONNECTED.
        state: deriveProxyState({ disconnectedAt: null, types: r.types }),
      }))
      const byFleet = new Map<string | null, string[]>()
      for (const r of rows) byFleet.set(r.fleet, [...(byFleet.get(r.fleet) ?? []), r.nodeId])
      const at = new Date().toISOString()
      await db.$transaction(async (tx) => {
        if (payload.length > 0) await tx.$executeRawUnsafe(UPSERT_SQL, toPgJson(payload))
        if (events.length > 0) await tx.$executeRawUnsafe(INSERT_EVENTS_SQL, toPgJson(events.map(toEventRow)))
        if (repeats.length > 0) {
          const rows = repeats.map((r) => ({ connection_id: r.connectionId, node_id: r.nodeId, kind: r.kind, at: r.at, repeats: r.repeats, last_at: r.lastAt }))
          await tx.$executeRawUnsafe(ADD_REPEATS_SQL, toPgJson(rows))
        }
        for (const [fleet, nodeIds] of byFleet) {
          for (const event of proxyChangedPayloads(fleet, nodeIds, at)) await tx.$executeRaw`SELECT pg_notify(${EVENT_CHANNEL}, ${event})`
        }
      })
    },
    isRowError: isDataError,
    async heartbeat(replicaId, ids, at) {
      await db.$executeRawUnsafe(`UPDATE proxy_connection SET last_seen_at = $1 WHERE replica_id = $2 AND id = ANY($3::uuid[]) AND disconnected_at IS NULL`, at, replicaId, ids)
    },
  }
}

/** Closed streams older than this are forgotten; each node keeps at most HISTORY_PER_NODE rows. */
export const RETENTION_HOURS = 24
export const HISTORY_PER_NODE = 20
/**
 * Each node keeps its newest MAX_EVENTS_PER_NODE timeline rows, and the whole timeline table at most
 * MAX_EVENT_BYTES (rows as stored plus an estimate for their index entries), newest kept (#16 item 9).
 * A normal stream writes a few dozen rows a day; repeats are counted, not written (event-gate.ts).
 */
export const MAX_EVENTS_PER_NODE = 1000
export const MAX_EVENT_BYTES = 128 * 1024 * 1024
/** What a row's entries in proxy_event's four indexes take, roughly. */
const EVENT_INDEX_BYTES_PER_ROW = 120

/**
 * Keeps proxy_connection and proxy_event bounded: a proxy that is refused and retries forever, or
 * reconnects often, would otherwise add a row per attempt; the timeline is bounded by age, per node
 * and by size. Returns the number of rows removed.
 */
export async function pruneProxyConnections(options: { db: Db; maxEventsPerNode?: number; maxEventBytes?: number }): Promise<number> {
  const { db } = options
  let removed = await db.$executeRawUnsafe(`DELETE FROM proxy_event WHERE at < now() - make_interval(hours => $1)`, RETENTION_HOURS)
  removed += await db.$executeRawUnsafe(
    `DELETE FROM proxy_event p USING (SELECT id FROM (SELECT id, row_number() OVER (PARTITION BY node_id ORDER BY id DESC) AS n FROM proxy_event) ranked WHERE ranked.n > $1) old
      WHERE p.id = old.id`,
    options.maxEventsPerNode ?? MAX_EVENTS_PER_NODE,
  )
  // The newest row past the size budget, counting from the newest: it and everything older go.
  removed += await db.$executeRawUnsafe(
    `DELETE FROM proxy_event WHERE id <= (SELECT id FROM (SELECT id, sum(pg_column_size(p.*) + $2) OVER (ORDER BY id DESC) AS total FROM proxy_event p) t
                                           WHERE total > $1 ORDER BY id DESC LIMIT 1)`,
    options.maxEventBytes ?? MAX_EVENT_BYTES,
    EVENT_INDEX_BYTES_PER_ROW,
  )
  return removed + await db.$executeRawUnsafe(
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
 WHERE ($1::text IS NULL OR p.node_id = $1) AND ($2::text IS NULL OR p.fleet = $2) AND ($3::text[] IS NULL OR p.node_id = ANY($3))
   AND (p.disconnected_at IS NULL
        OR p.id = (SELECT q.id FROM proxy_connection q WHERE q.node_id = p.node_id ORDER BY q.connected_at DESC LIMIT 1))`

async function readNodeStreams(db: Db, filter: { nodeId?: string; fleet?: string; nodeIds?: readonly string[] }): Promise<Map<string, ConnectionStatus[]>> {
  const rows = await db.$queryRawUnsafe<Row[]>(NODE_STREAMS_SQL, filter.nodeId ?? null, filter.fleet ?? null, filter.nodeIds ? [...filter.nodeIds] : null)
  const now = Date.now()
  const byNode = new Map<string, ConnectionStatus[]>()
  for (const r of rows) byNode.set(r.node_id, [...(byNode.get(r.node_id) ?? []), toStatus(r, now)])
  return byNode
}

/** Every proxy, for the server's own use (CSDS, predictions); the API answers pages (listProxiesPage). */
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
    ...(r.repeatCount > 1 ? { repeatCount: r.repeatCount, lastAt: (r.lastAt ?? r.at).toISOString() } : {}),
  }))
}

/**
 * One row per node id, its state read in SQL: no live stream (closed, or its replica stopped
 * refreshing last_seen_at) → DISCONNECTED, else the worst state among its live streams, each written
 * by the status writer with deriveProxyState (NACKED > STALE > SYNCED > NOT_SENT: the same order
 * deriveProxyState applies to the merged types, see mergeNodeStreams). Its fleet and connectedAt are
 * those mergeNodeStreams shows, and the fleet filter (`$2`) applies to that fleet: a proxy that moved
 * is listed in its new fleet only. `$1` is STALE_REPLICA_MS; `$3` an optional node id substring
 * (already a LIKE pattern).
 */
const NODE_STATES_SQL = `
SELECT n.node_id,
       CASE WHEN NOT n.live THEN 'DISCONNECTED' WHEN n.rank = 3 THEN 'NACKED' WHEN n.rank = 2 THEN 'STALE' WHEN n.rank = 1 THEN 'SYNCED' ELSE 'NOT_SENT' END AS state,
       n.fleet, n.connected_at
  FROM (SELECT p.node_id,
               bool_or(p.live) AS live,
               max(CASE p.state WHEN 'NACKED' THEN 3 WHEN 'STALE' THEN 2 WHEN 'SYNCED' THEN 1 ELSE 0 END) FILTER (WHERE p.live) AS rank,
               (array_agg(p.fleet ORDER BY p.live DESC, p.connected_at DESC))[1] AS fleet,
               coalesce(min(p.connected_at) FILTER (WHERE p.live), max(p.connected_at)) AS connected_at
          FROM (SELECT node_id, fleet, state, connected_at,
                       (disconnected_at IS NULL AND last_seen_at > now() - make_interval(secs => $1::double precision / 1000)) AS live
                  FROM proxy_connection
                 WHERE $3::text IS NULL OR node_id ILIKE $3) p
         GROUP BY p.node_id) n
 WHERE $2::text IS NULL OR n.fleet = $2`

export const PROXY_SORTS = ['nodeId', 'state', 'connectedAt'] as const
export type ProxySort = (typeof PROXY_SORTS)[number]
export const PROXY_PAGE_DEFAULT = 100
export const PROXY_PAGE_MAX = 500

/**
 * What a sort orders by, always ending in the node id so the order is total and a cursor (the last
 * row's key) resumes exactly after it. Node ids compare bytewise (COLLATE "C"), not by locale. State
 * sorts most urgent first, as the console's badges do.
 */
const STATE_SORT_ORDER: readonly ProxyState[] = ['NACKED', 'STALE', 'NOT_SENT', 'DISCONNECTED', 'SYNCED']
const SORT_KEYS: Record<ProxySort, string> = {
  nodeId: `''::text`,
  state: `array_position(ARRAY[${STATE_SORT_ORDER.map((s) => `'${s}'`).join(', ')}]::text[], state)::text`,
  // Milliseconds as fixed-width text: the column is timestamptz(3), so nothing is lost.
  connectedAt: `lpad((extract(epoch FROM connected_at) * 1000)::bigint::text, 16, '0')`,
}

type Cursor = Readonly<{ k: string; n: string }>

export function encodeProxyCursor(cursor: Cursor): string {
  return Buffer.from(JSON.stringify(cursor)).toString('base64url')
}

function decodeProxyCursor(after: string): Cursor {
  try {
    const value = JSON.parse(Buffer.from(after, 'base64url').toString('utf8')) as unknown
    const c = value as Cursor
    // Postgres text cannot hold U+0000: such a cursor was not ours, and must not become a 500.
    if (c && typeof c === 'object' && typeof c.k === 'string' && typeof c.n === 'string' && !`${c.k}${c.n}`.includes('\u0000')) return c
  } catch {
    // fall through to the error below
  }
  throw new LegationError('REQUEST.INVALID', 'invalid request: after: not a cursor this list returned')
}

/** `%`, `_` and `\` in a search are literal characters, not LIKE wildcards. */
export function likeContains(q: string): string {
  return `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`
}

export type ProxyPageOptions = {
  db: Db
  fleet?: string
  state?: ProxyState
  /** A case-insensitive substring of the node id. */
  q?: string
  sort?: ProxySort
  desc?: boolean
  limit?: number
  /** nextCursor of the previous page. */
  after?: string
  /** Only these fleets (and, with `unassigned`, proxies of no fleet): what the caller may read. Absent: all. */
  readableFleets?: readonly string[]
  unassigned?: boolean
  /** Only connected proxies whose node id is in (true) or not in (false) `onActiveNodes`. */
  onActive?: { nodes: readonly string[]; on: boolean }
}

export type ProxyPage = { proxies: ProxySummary[]; nextCursor: string | null; total: number }

/**
 * One page of the proxies list, filtered, searched and sorted in SQL (keyset paging, so a page costs
 * the same wherever it is); only the page's own streams are read and merged (#13 item 5).
 */
export async function listProxiesPage(options: ProxyPageOptions): Promise<ProxyPage> {
  const { db } = options
  const sort = options.sort ?? 'nodeId'
  const limit = Math.min(Math.max(options.limit ?? PROXY_PAGE_DEFAULT, 1), PROXY_PAGE_MAX)
  const key = SORT_KEYS[sort]
  const cursor = options.after ? decodeProxyCursor(options.after) : null
  const params: unknown[] = [STALE_REPLICA_MS, options.fleet ?? null, options.q ? likeContains(options.q) : null]
  const param = (value: unknown): string => (params.push(value), `$${params.length}`)
  const where: string[] = []
  if (options.state) where.push(`state = ${param(options.state)}`)
  if (options.readableFleets) {
    where.push(`(fleet = ANY(${param([...options.readableFleets])}::text[])${options.unassigned ? ' OR fleet IS NULL' : ''})`)
  }
  if (options.onActive) {
    where.push(`state <> 'DISCONNECTED'`, `${options.onActive.on ? '' : 'NOT '}(node_id = ANY(${param([...options.onActive.nodes])}::text[]))`)
  }
  const cursorWhere = cursor ? `WHERE (sort_key, node_id COLLATE "C") ${options.desc ? '<' : '>'} (${param(cursor.k)}::text COLLATE "C", ${param(cursor.n)}::text COLLATE "C")` : ''
  const dir = options.desc ? 'DESC' : 'ASC'
  const rows = await db.$queryRawUnsafe<Array<{ node_id: string; state: ProxyState; sort_key: string; total: bigint }>>(
    `SELECT node_id, state, sort_key, total FROM (
       SELECT node_id, state, ${key} COLLATE "C" AS sort_key, count(*) OVER () AS total
         FROM (${NODE_STATES_SQL}) s ${where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''}) f
      ${cursorWhere}
      ORDER BY sort_key ${dir}, node_id COLLATE "C" ${dir}
      LIMIT ${limit + 1}`,
    ...params,
  )
  let total = Number(rows[0]?.total ?? 0)
  if (rows.length === 0 && cursor) total = await countProxies(options)
  const page = rows.slice(0, limit)
  const streams = page.length === 0 ? new Map<string, ConnectionStatus[]>() : await readNodeStreams(db, { nodeIds: page.map((r) => r.node_id) })
  const proxies = page.flatMap((r) => {
    const found = streams.get(r.node_id)
    // The state is the one the filter and the summary used, so a row never contradicts its filter.
    return found ? [{ ...mergeNodeStreams(found), state: r.state }] : []
  })
  const last = page.at(-1)
  return { proxies, nextCursor: rows.length > limit && last ? encodeProxyCursor({ k: last.sort_key, n: last.node_id }) : null, total }
}

async function countProxies(options: ProxyPageOptions): Promise<number> {
  const { after: _after, ...first } = options
  return (await listProxiesPage({ ...first, limit: 1 })).total
}

/** Per fleet, how many proxies are in each state (latest stream per node id): one aggregate in SQL. */
export async function summarizeProxies(options: { db: Db }): Promise<FleetProxyCounts[]> {
  const rows = await options.db.$queryRawUnsafe<Array<{ fleet: string | null; state: ProxyState; n: bigint }>>(
    `SELECT fleet, state, count(*) AS n FROM (${NODE_STATES_SQL}) s GROUP BY fleet, state`,
    STALE_REPLICA_MS,
    null,
    null,
  )
  const byFleet = new Map<string | null, Record<ProxyState, number> & { total: number }>()
  for (const r of rows) {
    const counts = byFleet.get(r.fleet) ?? { total: 0, ...(Object.fromEntries(PROXY_STATES.map((s) => [s, 0])) as Record<ProxyState, number>) }
    counts.total += Number(r.n)
    counts[r.state] += Number(r.n)
    byFleet.set(r.fleet, counts)
  }
  return [...byFleet].map(([fleet, counts]) => ({ fleet, ...counts })).sort((a, b) => (a.fleet ?? '').localeCompare(b.fleet ?? ''))
}
