import path from 'node:path'
import pg from 'pg'
import pino from 'pino'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createDb, type Db } from '../../../server/store/db'
import { migrateDatabase } from '../../../server/store/migrate'
import { HISTORY_PER_NODE, pruneProxyConnections } from '../../../server/store/proxies'
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
})
