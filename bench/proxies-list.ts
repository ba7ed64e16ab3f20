// `npm run bench:proxies`: the proxies list and summary at many proxies (#13 item 5: "proxies page
// first render and each filter ≤ 300 ms at 10,000 proxies"). Proxy status rows are written straight
// into the database (what 10,000 proxies in 4 fleets leave: most SYNCED, some STALE, NACKED, not sent
// or disconnected; one in ten with an older closed stream), then the API is timed.
// Env: BENCH_PROXIES (10000), BENCH_DATABASE_URL (required: rows are written straight into it).
import pg from 'pg'
import { apiClient } from '../tests/support/http'
import { startServer } from '../tests/support/server'
import { benchStorage } from './bench-database'

const PROXIES = Number(process.env.BENCH_PROXIES ?? 10_000)
const RUNS = 30

const quantile = (sorted: number[], q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!

/** Four types, each with a nonce, versions and a few names: the size of a real status row. */
const TYPES = JSON.stringify(
  Object.fromEntries(
    ['envoy.config.cluster.v3.Cluster', 'envoy.config.endpoint.v3.ClusterLoadAssignment', 'envoy.config.listener.v3.Listener', 'envoy.config.route.v3.RouteConfiguration'].map((t) => [
      `type.googleapis.com/${t}`,
      { typeUrl: `type.googleapis.com/${t}`, names: ['a', 'b', 'c'], wildcard: false, nonceSent: '7', versionSent: 'v1-abcdef', nonceAcked: '7', versionAcked: 'v1-abcdef', ackedAt: new Date().toISOString() },
    ]),
  ),
)

async function main(): Promise<void> {
  const storage = await benchStorage()
  const env: Record<string, string | undefined> = { LOG_LEVEL: 'info', LEGATION_DEMO: 'false', ...storage.env }
  const server = await startServer({ env, readyTimeoutMs: 120_000 })
  const api = apiClient(server.baseUrl)
  try {
    for (const name of ['bench-a', 'bench-b', 'bench-c', 'bench-d']) await api('POST', '/api/v1/fleets', { body: { name } })
    const cluster = { name: 'c', type: 'STATIC', connect_timeout: '1s' }
    if ((await api('PUT', '/api/v1/fleets/bench-a/draft/clusters/c', { body: cluster })).status >= 300) throw new Error('draft write failed')
    if ((await api('POST', '/api/v1/fleets/bench-a/commit', { body: { message: 'v1' } })).status !== 201) throw new Error('commit failed')
    const dbUrl = storage.databaseUrl
    if (!dbUrl) throw new Error('set BENCH_DATABASE_URL: this benchmark writes rows straight into the database')
    const db = new pg.Client({ connectionString: dbUrl })
    await db.connect()
    const t0 = performance.now()
    // State by node number: 1 in 50 NACKED, 1 in 20 STALE, 1 in 100 not sent, 1 in 10 disconnected.
    await db.query(
      `INSERT INTO proxy_connection (id, replica_id, node_id, node_cluster, fleet, peer, user_agent_name, user_agent_version, stream, connected_at, disconnected_at, last_seen_at, types, state)
       SELECT gen_random_uuid(), 'bench', 'proxy-' || n, f, f, 'ipv4:10.0.' || (n / 250) || '.' || (n % 250) || ':5000', 'envoy', '1.36.0', 'ADS',
              now() - make_interval(secs => n), CASE WHEN n % 10 = 9 THEN now() - make_interval(secs => n / 2) END, now(), $2::jsonb,
              CASE WHEN n % 50 = 3 THEN 'NACKED' WHEN n % 20 = 7 THEN 'STALE' WHEN n % 100 = 11 THEN 'NOT_SENT' ELSE 'SYNCED' END
         FROM generate_series(0, $1 - 1) n, LATERAL (SELECT 'bench-' || chr(97 + n % 4) AS f) x`,
      [PROXIES, TYPES],
    )
    // One in ten also has an older, closed stream (a reconnect).
    await db.query(
      `INSERT INTO proxy_connection (id, replica_id, node_id, node_cluster, fleet, peer, user_agent_name, user_agent_version, stream, connected_at, disconnected_at, last_seen_at, types, state)
       SELECT gen_random_uuid(), 'bench', 'proxy-' || n, f, f, 'ipv4:10.1.0.1:5000', 'envoy', '1.35.0', 'ADS', now() - interval '1 day', now() - interval '20 hours', now() - interval '20 hours', $2::jsonb, 'SYNCED'
         FROM generate_series(0, $1 - 1, 10) n, LATERAL (SELECT 'bench-' || chr(97 + n % 4) AS f) x`,
      [PROXIES, TYPES],
    )
    // Half of bench-a's proxies reached its active version.
    await db.query(
      `INSERT INTO version_rollout (version_id, node_id, outcome, at, since_commit_ms, connected_before, type_url, message)
       SELECT v.id, 'proxy-' || n, 'reached', now(), 10, true, NULL, NULL
         FROM version v JOIN fleet f ON f.id = v.fleet_id AND f.active_version_id = v.id, generate_series(0, $1 - 1, 8) n
        WHERE f.name = 'bench-a'`,
      [PROXIES],
    )
    await db.query('ANALYZE proxy_connection; ANALYZE version_rollout')
    const seeded = Math.round(performance.now() - t0)
    const streams = Number((await db.query<{ n: string }>('SELECT count(*) AS n FROM proxy_connection')).rows[0]!.n)

    const time = async (p: string): Promise<{ p50: number; p90: number; max: number; rows: number; total: number }> => {
      // The heartbeat a live replica would send: these streams stay connected.
      await db.query(`UPDATE proxy_connection SET last_seen_at = now() WHERE disconnected_at IS NULL`)
      const ms: number[] = []
      let rows = 0
      let total = 0
      for (let i = 0; i < RUNS; i++) {
        const t = performance.now()
        const res = await api<{ proxies?: unknown[]; total?: number }>('GET', p)
        ms.push(performance.now() - t)
        if (res.status !== 200) throw new Error(`${p}: ${res.status} ${res.text.slice(0, 200)}`)
        rows = res.body.proxies?.length ?? 0
        total = res.body.total ?? 0
      }
      ms.sort((a, b) => a - b)
      return { p50: +quantile(ms, 0.5).toFixed(1), p90: +quantile(ms, 0.9).toFixed(1), max: +ms.at(-1)!.toFixed(1), rows, total }
    }
    // A cursor deep in the list: the page after proxy-8999 by node id.
    const deep = Buffer.from(JSON.stringify({ k: '', n: 'proxy-8999' })).toString('base64url')
    const cases: Array<[string, string]> = [
      ['first page (100, by node id)', '/api/v1/proxies'],
      ['a page deep in the list (after=proxy-8999)', `/api/v1/proxies?after=${deep}`],
      ['first page of 500', '/api/v1/proxies?limit=500'],
      ['fleet=bench-b', '/api/v1/proxies?fleet=bench-b'],
      ['state=NACKED', '/api/v1/proxies?state=NACKED'],
      ['state=DISCONNECTED', '/api/v1/proxies?state=DISCONNECTED'],
      ['q=99 (search)', '/api/v1/proxies?q=99'],
      ['sort=state desc', '/api/v1/proxies?sort=state&order=desc'],
      ['sort=connectedAt desc', '/api/v1/proxies?sort=connectedAt&order=desc'],
      ['fleet=bench-a&onActive=false', '/api/v1/proxies?fleet=bench-a&onActive=false'],
      ['fleet=bench-c&state=STALE&q=7', '/api/v1/proxies?fleet=bench-c&state=STALE&q=7'],
      ['summary', '/api/v1/proxies/summary'],
    ]
    const results: Record<string, unknown> = {}
    for (const [name, p] of cases) results[name] = await time(p)
    await db.end()
    console.log(JSON.stringify({ proxies: PROXIES, streams, seedMs: seeded, runsEach: RUNS, ms: results }, null, 2))
  } finally {
    await server.stop()
    if (process.env.BENCH_KEEP_DB) console.log(`kept ${storage.databaseUrl ?? storage.env.LEGATION_DATA_DIR}`)
    else await storage.cleanup()
  }
}

main().catch((err: unknown) => {
  console.error(err)
  process.exit(1)
})
