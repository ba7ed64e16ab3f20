import path from 'node:path'
import pg from 'pg'
import pino from 'pino'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createDb, type Db } from '../../../server/store/db'
import { migrateDatabase } from '../../../server/store/migrate'
import { pruneRolloutRows, readFleetConvergence, ROLLOUT_ROWS_KEPT_VERSIONS } from '../../../server/store/rollout'
import { createTestDatabase, type TestDatabase } from '../../support/database'
import { PROJECT_ROOT } from '../../support/server'

/** version_rollout has a row per proxy and version: old versions keep a summary and lose their rows. */
let database: TestDatabase
let db: Db
const VERSIONS = ROLLOUT_ROWS_KEPT_VERSIONS + 5
const NODES = 3

beforeAll(async () => {
  database = await createTestDatabase('prune_rollout')
  await migrateDatabase({ databaseUrl: database.url, migrationsDir: path.join(PROJECT_ROOT, 'prisma', 'migrations'), log: pino({ level: 'silent' }) })
  db = createDb(database.url)
  const client = new pg.Client({ connectionString: database.url })
  await client.connect()
  try {
    // A fleet with VERSIONS versions committed an hour ago, a minute apart, each reached by NODES proxies.
    await client.query(`INSERT INTO fleet (id, name, updated_at) VALUES (gen_random_uuid(), 'f', now())`)
    await client.query(
      `INSERT INTO version (id, fleet_id, number, message, author, created_at, content_hash, resource_count, origin, changes)
       SELECT gen_random_uuid(), f.id, n, 'v' || n, 't', now() - interval '2 hours' + make_interval(mins => n), 'h' || n, 0, 'COMMIT', '{}'
         FROM fleet f, generate_series(1, $1) n`,
      [VERSIONS],
    )
    await client.query(`UPDATE fleet SET active_version_id = (SELECT id FROM version WHERE number = $1)`, [VERSIONS])
    await client.query(
      `INSERT INTO version_rollout (version_id, node_id, outcome, at, since_commit_ms, connected_before)
       SELECT v.id, 'node-' || k, 'reached', v.created_at + make_interval(secs => k), k * 1000, true FROM version v, generate_series(1, $1) k`,
      [NODES],
    )
  } finally {
    await client.end()
  }
})
afterAll(async () => {
  await db?.$disconnect()
  await database?.drop()
})

async function rowsPerVersion(): Promise<Map<number, number>> {
  const rows = await db.$queryRawUnsafe<Array<{ number: number; n: number }>>(
    `SELECT v.number, count(r.node_id)::int AS n FROM version v LEFT JOIN version_rollout r ON r.version_id = v.id GROUP BY v.number`,
  )
  return new Map(rows.map((r) => [r.number, r.n]))
}

describe('pruneRolloutRows', () => {
  it('keeps the rows of the newest versions and a summary of the older ones, whose convergence reads the same', async () => {
    const before = await readFleetConvergence({ db, fleet: 'f', versions: [1, 2, 5, 6, VERSIONS] })
    expect(before.find((c) => c.version === 1)).toMatchObject({ proxies: NODES, onVersion: NODES, p50Ms: 2000, maxMs: 3000 })

    const removed = await pruneRolloutRows({ db })
    expect(removed).toBe(5 * NODES)
    const rows = await rowsPerVersion()
    for (let n = 1; n <= 5; n++) expect(rows.get(n), `version ${n}`).toBe(0)
    for (let n = 6; n <= VERSIONS; n++) expect(rows.get(n), `version ${n}`).toBe(NODES)

    expect(await readFleetConvergence({ db, fleet: 'f', versions: [1, 2, 5, 6, VERSIONS] })).toEqual(before)
    expect(await pruneRolloutRows({ db })).toBe(0)
  })
})
