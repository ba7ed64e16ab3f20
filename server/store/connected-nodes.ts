import type { ConnectedNode } from '../config/fleet-match'
import type { Db } from './db'
import { STALE_REPLICA_MS } from './proxies'
import type { Tx } from './tx'

/**
 * The proxies connected now, on any replica, with the fleet each is served by and what fleet
 * selectors match on (node id, node.cluster, node.metadata's strings). One entry per node id: its
 * latest live stream. Streams of a replica that stopped reporting are left out (server/store/proxies.ts).
 */
export async function listConnectedNodes(db: Db | Tx): Promise<ConnectedNode[]> {
  const rows = await db.$queryRawUnsafe<Array<{ node_id: string; node_cluster: string; node_metadata: Record<string, string> | null; fleet: string }>>(
    `SELECT DISTINCT ON (node_id) node_id, node_cluster, node_metadata, fleet
       FROM proxy_connection
      WHERE disconnected_at IS NULL AND fleet IS NOT NULL AND last_seen_at > now() - $1 * interval '1 millisecond'
      ORDER BY node_id, connected_at DESC`,
    STALE_REPLICA_MS,
  )
  return rows.map((r) => ({ id: r.node_id, cluster: r.node_cluster, metadata: r.node_metadata ?? {}, fleet: r.fleet }))
}
