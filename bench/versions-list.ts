// `npm run bench:versions`: the versions list and one version's rollout at many proxies (#11: "the
// versions list at 10,000 proxies answers in under 100 ms"). Proxy status and rollout rows are
// written straight into the database (what 10,000 proxies through 50 commits leave behind), then
// the API is timed. Env: BENCH_PROXIES (10000), BENCH_VERSIONS (50), BENCH_DATABASE_URL (else embedded).
import { randomUUID } from 'node:crypto'
import pg from 'pg'
import { apiClient } from '../tests/support/http'
import { startServer } from '../tests/support/server'
import { benchStorage } from './bench-database'

const PROXIES = Number(process.env.BENCH_PROXIES ?? 10_000)
const VERSIONS = Number(process.env.BENCH_VERSIONS ?? 50)
const RUNS = 30

const quantile = (sorted: number[], q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!

async function main(): Promise<void> {
  const storage = await benchStorage()
  const env: Record<string, string | undefined> = { LOG_LEVEL: 'info', LEGATION_DEMO: 'false', ...storage.env }
  const server = await startServer({ env, readyTimeoutMs: 120_000 })
  const api = apiClient(server.baseUrl)
  try {
    await api('POST', '/api/v1/fleets', { body: { name: 'bench' } })
    for (let v = 1; v <= VERSIONS; v++) {
      const cluster = { name: 'c', type: 'STATIC', connect_timeout: `${v}s` }
      if ((await api('PUT', '/api/v1/fleets/bench/draft/clusters/c', { body: cluster })).status >= 300) throw new Error('draft write failed')
      if ((await api('POST', '/api/v1/fleets/bench/commit', { body: { message: `v${v}` } })).status !== 201) throw new Error('commit failed')
    }
    // What PROXIES connected proxies leave after VERSIONS commits: one live stream each, and a
    // rollout row per proxy and version (a few rejections on one version, some still pending on the last).
    const dbUrl = storage.databaseUrl
    if (!dbUrl) throw new Error('set BENCH_DATABASE_URL: this benchmark writes rows straight into the database')
    const db = new pg.Client({ connectionString: dbUrl })
    await db.connect()
    const t0 = performance.now()
    const rows = Array.from({ length: PROXIES }, (_, i) => ({ id: randomUUID(), node_id: `proxy-${i}` }))
    await db.query(
      `INSERT INTO proxy_connection (id, replica_id, node_id, node_cluster, fleet, peer, user_agent_name, user_agent_version, stream, connected_at, last_seen_at, types)
       SELECT (x->>'id')::uuid, 'bench', x->>'node_id', 'bench', 'bench', 'ipv4:127.0.0.1:1', 'envoy', '1.36.0', 'ADS', now() - interval '1 day', now(), '{}'::jsonb
         FROM jsonb_array_elements($1::jsonb) x`,
      [JSON.stringify(rows)],
    )
    await db.query(
      `INSERT INTO version_rollout (version_id, node_id, outcome, at, since_commit_ms, connected_before, type_url, message)
       SELECT v.id, 'proxy-' || n, CASE WHEN v.number = 10 AND n < 20 THEN 'rejected' ELSE 'reached' END,
              v.created_at + make_interval(secs => (n % 500) / 1000.0), n % 500, true, NULL, NULL
         FROM version v JOIN fleet f ON f.id = v.fleet_id, generate_series(0, $1 - 1) n
        WHERE f.name = 'bench' AND NOT (v.number = $2 AND n % 100 = 0)`,
      [PROXIES, VERSIONS],
    )
    await db.query('ANALYZE version_rollout; ANALYZE proxy_connection')
    const seeded = Math.round(performance.now() - t0)
    const count = (await db.query<{ n: string }>('SELECT count(*) AS n FROM version_rollout')).rows[0]!.n

    const time = async (p: string): Promise<number[]> => {
      // The heartbeat a live replica would send: these streams stay connected.
      await db.query('UPDATE proxy_connection SET last_seen_at = now()')
      const ms: number[] = []
      for (let i = 0; i < RUNS; i++) {
        const t = performance.now()
        const res = await api('GET', p)
        ms.push(performance.now() - t)
        if (res.status !== 200) throw new Error(`${p}: ${res.status} ${res.text.slice(0, 200)}`)
      }
      return ms.sort((a, b) => a - b)
    }
    // The first list after the rows arrive stores the summaries of superseded versions (once).
    await db.query('UPDATE proxy_connection SET last_seen_at = now()')
    const t1 = performance.now()
    await api('GET', '/api/v1/fleets/bench/versions')
    const firstListMs = Math.round(performance.now() - t1)
    const list = await time('/api/v1/fleets/bench/versions')
    const rollout = await time(`/api/v1/fleets/bench/versions/${VERSIONS}/rollout`)
    await db.end()
    const sample = await api<{ versions: Array<{ number: number; convergence: unknown }> }>('GET', '/api/v1/fleets/bench/versions')
    console.log(JSON.stringify({
      proxies: PROXIES,
      versions: VERSIONS,
      rolloutRows: Number(count),
      seedMs: seeded,
      versionsListFirstMs: firstListMs,
      versionsListMs: { p50: +quantile(list, 0.5).toFixed(1), p90: +quantile(list, 0.9).toFixed(1), max: +list.at(-1)!.toFixed(1) },
      activeRolloutMs: { p50: +quantile(rollout, 0.5).toFixed(1), p90: +quantile(rollout, 0.9).toFixed(1), max: +rollout.at(-1)!.toFixed(1) },
      newestRow: sample.body.versions[0],
    }, null, 2))
  } finally {
    await server.stop()
    // BENCH_KEEP_DB=1 keeps the database for EXPLAIN ANALYZE.
    if (process.env.BENCH_KEEP_DB) console.log(`kept ${storage.databaseUrl ?? storage.env.LEGATION_DATA_DIR}`)
    else await storage.cleanup()
  }
}

main().catch((err: unknown) => {
  console.error(err)
  process.exit(1)
})
