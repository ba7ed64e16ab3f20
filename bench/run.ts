// `npm run bench`: N simulated ADS proxies that ACK every response, a fleet of C EDS clusters with E
// endpoints each; measures commit → every proxy ACKed, and memory per connected stream.
// Env: BENCH_PROXIES (1000), BENCH_CLUSTERS (1000), BENCH_ENDPOINTS (10), BENCH_DATABASE_URL (else embedded).
import { mkdir, readFile, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { apiClient } from '../tests/support/http'
import { startServer, PROJECT_ROOT } from '../tests/support/server'
import { CLUSTER_LOAD_ASSIGNMENT_TYPE_URL, CLUSTER_TYPE_URL } from '../server/xds-types/type-urls'
import { connectSimulatedProxy, type SimulatedProxy } from './ads-client'
import { benchStorage } from './bench-database'

const PROXIES = Number(process.env.BENCH_PROXIES ?? 1000)
const CLUSTERS = Number(process.env.BENCH_CLUSTERS ?? 1000)
const ENDPOINTS = Number(process.env.BENCH_ENDPOINTS ?? 10)

async function rssKiB(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8')
  return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0)
}

const loadAssignment = (i: number, portBase: number) => ({
  cluster_name: `cluster-${i}`,
  endpoints: [{ locality: { zone: 'z1' }, load_balancing_weight: 1, lb_endpoints: Array.from({ length: ENDPOINTS }, (_, e) => ({ endpoint: { address: { socket_address: { address: `10.${(i >> 8) & 255}.${i & 255}.${e + 1}`, port_value: portBase + e } } } })) }],
})

async function main(): Promise<void> {
  const storage = await benchStorage()
  const env: Record<string, string | undefined> = { LOG_LEVEL: 'info', LEGATION_DEMO: 'false', ...storage.env }
  const cleanup = storage.cleanup
  // BENCH_SERVER_NODE_ARGS (e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof`) are given to the server process only.
  const nodeArgs = (process.env.BENCH_SERVER_NODE_ARGS ?? '').split(' ').filter(Boolean)

  const server = await startServer({ env, nodeArgs, readyTimeoutMs: 120_000 })
  const pid = server.process.pid!
  const xdsPort = server.logs().find((l) => typeof l['xdsPort'] === 'number')!['xdsPort'] as number
  const api = apiClient(server.baseUrl)
  const results: Record<string, number | string> = { proxies: PROXIES, clusters: CLUSTERS, endpointsPerCluster: ENDPOINTS }
  const proxies: SimulatedProxy[] = []
  try {
    await api('POST', '/api/v1/fleets', { body: { name: 'bench' } })
    let t = performance.now()
    for (let i = 0; i < CLUSTERS; i++) {
      const cluster = { name: `cluster-${i}`, type: 'EDS', eds_cluster_config: { eds_config: { ads: {} } }, connect_timeout: '1s' }
      const a = await api('PUT', `/api/v1/fleets/bench/draft/clusters/cluster-${i}`, { body: cluster })
      const b = await api('PUT', `/api/v1/fleets/bench/draft/endpoints/cluster-${i}`, { body: loadAssignment(i, 8000) })
      if (a.status >= 300 || b.status >= 300) throw new Error(`draft write failed: ${a.text} ${b.text}`)
    }
    results.draftWriteMsPerResource = ((performance.now() - t) / (2 * CLUSTERS)).toFixed(2)
    t = performance.now()
    const v1 = await api('POST', '/api/v1/fleets/bench/commit', { body: { message: 'bench v1' } })
    if (v1.status !== 201) throw new Error(`commit failed: ${v1.text}`)
    results.commitMs = Math.round(performance.now() - t)
    await new Promise((r) => setTimeout(r, 500))
    const buildLine = server.logs().find((l) => l['msg'] === 'snapshot published' && l['fleet'] === 'bench')
    results.snapshotBuildMs = Number(buildLine?.['buildMs'] ?? NaN)

    const rssBefore = await rssKiB(pid)
    t = performance.now()
    for (let i = 0; i < PROXIES; i++) {
      proxies.push(connectSimulatedProxy({ address: `127.0.0.1:${xdsPort}`, nodeId: `bench-${i}`, fleet: 'bench' }))
      if (i % 100 === 99) await new Promise((r) => setTimeout(r, 20))
    }
    const firstEds = await Promise.all(proxies.map((p) => p.ackedOtherThan(CLUSTER_LOAD_ASSIGNMENT_TYPE_URL, null)))
    await Promise.all(proxies.map((p) => p.ackedOtherThan(CLUSTER_TYPE_URL, null)))
    results.connectAllSyncedMs = Math.round(performance.now() - t)
    await new Promise((r) => setTimeout(r, 1000))
    const rssAfter = await rssKiB(pid)
    results.serverRssBeforeMiB = (rssBefore / 1024).toFixed(1)
    results.serverRssWithProxiesMiB = (rssAfter / 1024).toFixed(1)
    results.memoryPerStreamKiB = ((rssAfter - rssBefore) / PROXIES).toFixed(1)

    // The measured change: one cluster's endpoints move; every proxy must ACK the new EDS version.
    await api('PUT', '/api/v1/fleets/bench/draft/endpoints/cluster-0', { body: loadAssignment(0, 9000) })
    const oldEds = firstEds[0]!.version
    t = performance.now()
    const committed = await api('POST', '/api/v1/fleets/bench/commit', { body: { message: 'bench v2' } })
    if (committed.status !== 201) throw new Error(`commit failed: ${committed.text}`)
    const acks = await Promise.all(proxies.map((p) => p.ackedOtherThan(CLUSTER_LOAD_ASSIGNMENT_TYPE_URL, oldEds)))
    const times = acks.map((a) => a.at - t).sort((a, b) => a - b)
    results.commitToFirstAckMs = Math.round(times[0]!)
    results.commitToMedianAckMs = Math.round(times[Math.floor(times.length / 2)]!)
    results.commitToAllAckedMs = Math.round(times.at(-1)!)
  } finally {
    for (const p of proxies) p.close()
    await server.stop()
    await cleanup()
  }
  const machine = `${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}, ${os.platform()} ${os.release()}`
  const report = [`### ${new Date().toISOString().slice(0, 10)} — ${machine}`, '', '| metric | value |', '| --- | --- |', ...Object.entries(results).map(([k, v]) => `| ${k} | ${v} |`), ''].join('\n')
  await mkdir(path.join(PROJECT_ROOT, 'bench', 'out'), { recursive: true })
  await writeFile(path.join(PROJECT_ROOT, 'bench', 'out', 'latest.md'), report)
  process.stdout.write(`${report}\n`)
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    process.stderr.write(`bench failed: ${(err as Error).stack ?? String(err)}\n`)
    process.exit(1)
  },
)
