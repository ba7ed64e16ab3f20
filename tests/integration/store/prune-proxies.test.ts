import path from 'node:path'
import pg from 'pg'
import pino from 'pino'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createDb, type Db } from '../../../server/store/db'
import { migrateDatabase } from '../../../server/store/migrate'
import { HISTORY_PER_NODE, MAX_EVENTS_PER_NODE, pruneProxyConnections } from '../../../server/store/proxies'
import { createTestDatabase, type TestDatabase } from '../../support/database'
import { PROJECT_ROOT } from '../../support/server'

let database: TestDatabase
let db: Db

beforeAll(async () => {
  database = await createTestDatabase('prune')
  await migrateDatabase({ databaseUrl: database.url, migrationsDir: path.join(PROJECT_ROOT, 'prisma', 'migrations'), log: pino({ level: 'silent' }) })
  db = createDb(database.url)
})
afterAll(async () => {
  await db?.$disconnect()
  await database?.drop()
})

async function insert(rows: Array<{ node: string; connectedHoursAgo: number; disconnected: boolean }>): Promise<void> {
  const client = new pg.Client({ connectionString: database.url })
  await client.connect()
  try {
    for (const r of rows) {
      await client.query(
        `INSERT INTO proxy_connection (id, replica_id, node_id, node_cluster, peer, user_agent_name, user_agent_version, stream, connected_at, disconnected_at, last_seen_at, types)
         VALUES (gen_random_uuid(), 'r', $1, 'c', 'p', 'ua', '1', 'ADS', now() - make_interval(secs => $2::float8 * 3600), CASE WHEN $3 THEN now() - make_interval(secs => $2::float8 * 3600) END, now(), '{}')`,
        [r.node, r.connectedHoursAgo, r.disconnected],
      )
    }
  } finally {
    await client.end()
  }
}

describe('pruneProxyConnections', () => {
  it('forgets closed streams older than a day and keeps a bounded history per node, never a live stream', async () => {
    await insert([
      { node: 'old', connectedHoursAgo: 48, disconnected: true },
      { node: 'live-old', connectedHoursAgo: 48, disconnected: false },
      ...Array.from({ length: HISTORY_PER_NODE + 5 }, (_, i) => ({ node: 'flappy', connectedHoursAgo: i / 100, disconnected: true })),
    ])
    const removed = await pruneProxyConnections({ db })
    expect(removed).toBe(1 + 5)
    const counts = await db.proxyConnection.groupBy({ by: ['nodeId'], _count: { _all: true } })
    expect(Object.fromEntries(counts.map((c) => [c.nodeId, c._count._all]))).toEqual({ 'live-old': 1, flappy: HISTORY_PER_NODE })
  })

  // #16 item 9: the timeline is bounded per node and by size, not only by age.
  it('keeps each node’s newest MAX_EVENTS_PER_NODE events, and the whole timeline under its size budget, newest first', async () => {
    const client = new pg.Client({ connectionString: database.url })
    await client.connect()
    const addEvents = (node: string, n: number, messageBytes: number) =>
      client.query(
        `INSERT INTO proxy_event (connection_id, node_id, at, kind, message) SELECT gen_random_uuid(), $1, now(), 'nack', repeat('m', $3) FROM generate_series(1, $2)`,
        [node, n, messageBytes],
      )
    try {
      await client.query('DELETE FROM proxy_event')
      await addEvents('noisy', MAX_EVENTS_PER_NODE + 50, 10)
      await addEvents('quiet', 5, 10)
      await pruneProxyConnections({ db })
      const perNode = await client.query<{ node_id: string; n: number; oldest: string }>('SELECT node_id, count(*)::int AS n, min(id)::text AS oldest FROM proxy_event GROUP BY node_id ORDER BY node_id')
      expect(perNode.rows.map((r) => [r.node_id, r.n])).toEqual([['noisy', MAX_EVENTS_PER_NODE], ['quiet', 5]])

      // By size: 2,000 rows of ~1 KB over a 512 KB budget keep the newest ~400.
      await client.query('DELETE FROM proxy_event')
      for (let i = 0; i < 20; i++) await addEvents(`node-${i}`, 100, 1000)
      const newest = (await client.query<{ id: string }>('SELECT max(id)::text AS id FROM proxy_event')).rows[0]!.id
      await pruneProxyConnections({ db, maxEventBytes: 512 * 1024 })
      const kept = await client.query<{ n: number; bytes: number; newest: string; gap: number }>(
        'SELECT count(*)::int AS n, sum(pg_column_size(p.*) + 120)::int AS bytes, max(id)::text AS newest, (max(id) - min(id) + 1 - count(*))::int AS gap FROM proxy_event p',
      )
      expect(kept.rows[0]!.bytes).toBeLessThanOrEqual(512 * 1024)
      expect(kept.rows[0]!.n).toBeGreaterThan(300)
      expect(kept.rows[0]!.newest).toBe(newest)
      // What is kept is the newest, contiguous run of rows.
      expect(kept.rows[0]!.gap).toBe(0)
    } finally {
      await client.end()
    }
  })
})
