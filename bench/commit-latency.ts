// `npm run bench:commit`: the #13 row "small fleet, commit request → first proxy ACK". A fleet of
// BENCH_CLUSTERS (10) EDS clusters × BENCH_ENDPOINTS (2), BENCH_PROXIES (10) simulated ADS proxies,
// then BENCH_COMMITS (30) commits that each move one cluster's endpoints; for each: the commit call's
// own time and the time from the request to the first and last proxy ACK of the new EDS version.
import os from 'node:os'
import pg from 'pg'
import { apiClient } from '../tests/support/http'
import { startServer } from '../tests/support/server'
import { CLUSTER_LOAD_ASSIGNMENT_TYPE_URL } from '../server/xds-types/type-urls'
import { connectSimulatedProxy, type SimulatedProxy } from './ads-client'
import { benchStorage } from './bench-database'

const PROXIES = Number(process.env.BENCH_PROXIES ?? 10)
const CLUSTERS = Number(process.env.BENCH_CLUSTERS ?? 10)
const ENDPOINTS = Number(process.env.BENCH_ENDPOINTS ?? 2)
const COMMITS = Number(process.env.BENCH_COMMITS ?? 30)

const cluster = (i: number) => ({ type: 'Cluster', name: `cluster-${i}`, resource: { name: `cluster-${i}`, type: 'EDS', eds_cluster_config: { eds_config: { ads: {} } }, connect_timeout: '1s' } })
const endpoints = (i: number, portBase: number) => ({
  type: 'ClusterLoadAssignment',
  name: `cluster-${i}`,
  resource: { cluster_name: `cluster-${i}`, endpoints: [{ locality: { zone: 'z1' }, lb_endpoints: Array.from({ length: ENDPOINTS }, (_, e) => ({ endpoint: { address: { socket_address: { address: `10.0.${i & 255}.${e + 1}`, port_value: portBase + e } } } })) }] },
})

const percentile = (sorted: readonly number[], p: number): number => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!
const summary = (values: readonly number[]): string => {
  const s = [...values].sort((a, b) => a - b)
  return `p50 ${percentile(s, 0.5).toFixed(1)} ms, p90 ${percentile(s, 0.9).toFixed(1)} ms, min ${s[0]!.toFixed(1)} ms, max ${s.at(-1)!.toFixed(1)} ms`
}

async function main(): Promise<void> {
  const storage = await benchStorage()
  // BENCH_LOG_STATEMENTS=1: PostgreSQL logs every statement of the bench database with its duration (its server log).
  if (process.env.BENCH_LOG_STATEMENTS === '1' && storage.databaseUrl) {
    const name = new URL(storage.databaseUrl).pathname.slice(1)
    const c = new pg.Client({ connectionString: process.env.BENCH_DATABASE_URL })
    await c.connect()
    await c.query(`ALTER DATABASE ${name} SET log_min_duration_statement = 0`)
    await c.end()
  }
  const server = await startServer({ env: { LOG_LEVEL: 'info', LEGATION_DEMO: 'false', ...storage.env }, readyTimeoutMs: 120_000 })
  const xdsPort = server.logs().find((l) => typeof l['xdsPort'] === 'number')!['xdsPort'] as number
  const api = apiClient(server.baseUrl)
  const proxies: SimulatedProxy[] = []
  const commitCall: number[] = []
  const firstAck: number[] = []
  const lastAck: number[] = []
  try {
    await api('POST', '/api/v1/fleets', { body: { name: 'bench' } })
    const bundle = Array.from({ length: CLUSTERS }, (_, i) => [cluster(i), endpoints(i, 8000)]).flat()
    const put = await api('PUT', '/api/v1/fleets/bench/draft', { body: bundle })
    if (put.status >= 300) throw new Error(`draft write failed: ${put.text}`)
    const v1 = await api('POST', '/api/v1/fleets/bench/commit', { body: { message: 'v1' } })
    if (v1.status !== 201) throw new Error(`commit failed: ${v1.text}`)
    for (let i = 0; i < PROXIES; i++) proxies.push(connectSimulatedProxy({ address: `127.0.0.1:${xdsPort}`, nodeId: `bench-${i}`, fleet: 'bench' }))
    await Promise.all(proxies.map((p) => p.ackedOtherThan(CLUSTER_LOAD_ASSIGNMENT_TYPE_URL, null)))
    for (let n = 0; n < COMMITS; n++) {
      const moved = endpoints(n % CLUSTERS, 9000 + n * 10)
      const edit = await api('PUT', `/api/v1/fleets/bench/draft/endpoints/${moved.name}`, { body: moved.resource })
      if (edit.status >= 300) throw new Error(`draft write failed: ${edit.text}`)
      const before = proxies.map((p) => p.lastAcked(CLUSTER_LOAD_ASSIGNMENT_TYPE_URL))
      const acks = proxies.map((p, i) => p.ackedOtherThan(CLUSTER_LOAD_ASSIGNMENT_TYPE_URL, before[i]!))
      const t = performance.now()
      const committed = await api('POST', '/api/v1/fleets/bench/commit', { body: { message: `move ${n}` } })
      commitCall.push(performance.now() - t)
      if (committed.status !== 201) throw new Error(`commit failed: ${committed.text}`)
      const times = (await Promise.all(acks)).map((a) => a.at - t).sort((a, b) => a - b)
      firstAck.push(times[0]!)
      lastAck.push(times.at(-1)!)
      await new Promise((r) => setTimeout(r, 50))
    }
  } finally {
    for (const p of proxies) p.close()
    await server.stop()
    await storage.cleanup()
  }
  const machine = `${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, Node ${process.version}`
  process.stdout.write(
    [
      `${new Date().toISOString()} — ${machine}; ${PROXIES} proxies, ${CLUSTERS} clusters × ${ENDPOINTS} endpoints, ${COMMITS} commits`,
      `commit call:                    ${summary(commitCall)}`,
      `commit request → first ACK:     ${summary(firstAck)}`,
      `commit request → every ACK:     ${summary(lastAck)}`,
      '',
    ].join('\n'),
  )
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    process.stderr.write(`bench failed: ${(err as Error).stack ?? String(err)}\n`)
    process.exit(1)
  },
)
