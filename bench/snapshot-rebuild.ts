// `npm run bench:snapshot`: the #13 row "one changed resource in a 2,002-resource fleet: snapshot
// rebuild". A fleet of 1,000 EDS clusters with their load assignments plus a listener and its route
// configuration (2,002 resources, stored as the draft stores them: canonical JSON and its hash) is
// committed once; then one load assignment changes and the next version's snapshot is built the way
// the snapshot engine builds it (renderStored → prepareStoredSnapshot against the serving snapshot),
// and checked the way a commit checks it (checkStoredConfig: validation and analysis).
// Pure, in-process: no database or sockets. Env: BENCH_CLUSTERS (1000), BENCH_ENDPOINTS (10), BENCH_RUNS (30).
// `npm run bench` (bench/compare.ts) runs it as row 8; `npm run bench:snapshot` alone.
import os from 'node:os'
import { pathToFileURL } from 'node:url'
import { loadEnvoyRoot } from '../proto/loader'
import { serializeResource, sha256Hex } from '../server/config/hash'
import { renderStored, type StoredConfig } from '../server/config/render'
import type { StoredResource } from '../server/config/diff'
import type { ValueCipher } from '../server/config/sealed-values'
import type { ResourceType } from '../server/config/resource-types'
import { validateResource } from '../server/config/validate'
import { prepareStoredSnapshot } from '../server/snapshot/build-snapshot'
import type { Snapshot } from '../server/snapshot/types'
import { checkStoredConfig } from '../server/services/check-draft'

const root = loadEnvoyRoot()

function stored(type: ResourceType, name: string, input: Record<string, unknown>): StoredResource {
  const read = validateResource(root, type, name, input)
  if (!read.resource) throw new Error(`${type} ${name}: ${JSON.stringify(read.issues)}`)
  const body = serializeResource(read.resource)
  return { type, name, body, hash: sha256Hex(body) }
}

const assignment = (i: number, port: number, ENDPOINTS: number): StoredResource =>
  stored('ClusterLoadAssignment', `cluster-${i}`, {
    cluster_name: `cluster-${i}`,
    endpoints: [{ locality: { zone: 'z1' }, lb_endpoints: Array.from({ length: ENDPOINTS }, (_, e) => ({ endpoint: { address: { socket_address: { address: `10.${(i >> 8) & 255}.${i & 255}.${e + 1}`, port_value: port + e } } } })) }],
  })

function fleet(CLUSTERS: number, ENDPOINTS: number): StoredResource[] {
  const out: StoredResource[] = []
  for (let i = 0; i < CLUSTERS; i++) {
    out.push(stored('Cluster', `cluster-${i}`, { name: `cluster-${i}`, type: 'EDS', eds_cluster_config: { eds_config: { ads: {} } }, connect_timeout: '1s' }))
    out.push(assignment(i, 8000, ENDPOINTS))
  }
  out.push(stored('RouteConfiguration', 'local', { name: 'local', virtual_hosts: [{ name: 'all', domains: ['*'], routes: [{ match: { prefix: '/' }, route: { cluster: 'cluster-0' } }] }] }))
  out.push(
    stored('Listener', 'http', {
      name: 'http',
      address: { socket_address: { address: '0.0.0.0', port_value: 10000 } },
      filter_chains: [{ filters: [{ name: 'envoy.filters.network.http_connection_manager', typed_config: { '@type': 'type.googleapis.com/envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager', stat_prefix: 'http', rds: { route_config_name: 'local', config_source: { ads: {} } }, http_filters: [{ name: 'envoy.filters.http.router', typed_config: { '@type': 'type.googleapis.com/envoy.extensions.filters.http.router.v3.Router' } }] } }] }],
    }),
  )
  return out
}

/** The fleet has no sealed values: nothing is ever unsealed. */
const cipher: ValueCipher = { seal: (text) => text, unseal: (text) => text }

function build(config: StoredConfig, version: number, previous: Snapshot | null): Snapshot {
  const rendered = renderStored(root, config, { reveal: (v) => v.value })
  const prepared = prepareStoredSnapshot(root, { fleet: 'bench', versionNumber: version, resources: rendered.resources }, previous)
  if (!prepared.snapshot) throw new Error(`snapshot refused: ${JSON.stringify(prepared.issues.slice(0, 3))}`)
  return prepared.snapshot
}

const percentile = (values: readonly number[], p: number): number => {
  const s = [...values].sort((a, b) => a - b)
  return s[Math.min(s.length - 1, Math.floor(p * s.length))]!
}

export type SnapshotRebuildResult = Readonly<{ resources: number; firstBuildMs: number; rebuildP50Ms: number; rebuildP90Ms: number; rebuildMaxMs: number; checkP50Ms: number; checkP90Ms: number }>

/** Builds the fleet's first snapshot, then `runs` times changes one load assignment and checks and rebuilds. */
export function measureSnapshotRebuild(options: { clusters: number; endpoints: number; runs: number }): SnapshotRebuildResult {
  const { clusters, endpoints, runs } = options
  const resources = fleet(clusters, endpoints)
  let t = performance.now()
  let serving = build({ resources, variables: {}, template: null }, 1, null)
  const firstBuildMs = performance.now() - t
  const rebuild: number[] = []
  const check: number[] = []
  for (let run = 0; run < runs; run++) {
    // One load assignment moves (a different one each run, so nothing is served from a previous run).
    const i = (run * 37) % clusters
    const next = resources.map((r) => (r.type === 'ClusterLoadAssignment' && r.name === `cluster-${i}` ? assignment(i, 9000 + run * 20, endpoints) : r))
    const config: StoredConfig = { resources: next, variables: {}, template: null }
    t = performance.now()
    const { issues, findings } = checkStoredConfig(root, cipher, config, [])
    check.push(performance.now() - t)
    if (issues.length > 0 || findings.some((f) => f.severity === 'error')) throw new Error(`check refused: ${JSON.stringify(issues.slice(0, 3))}`)
    t = performance.now()
    serving = build(config, run + 2, serving)
    rebuild.push(performance.now() - t)
  }
  return { resources: resources.length, firstBuildMs, rebuildP50Ms: percentile(rebuild, 0.5), rebuildP90Ms: percentile(rebuild, 0.9), rebuildMaxMs: Math.max(...rebuild), checkP50Ms: percentile(check, 0.5), checkP90Ms: percentile(check, 0.9) }
}

function main(): void {
  const runs = Number(process.env.BENCH_RUNS ?? 30)
  const r = measureSnapshotRebuild({ clusters: Number(process.env.BENCH_CLUSTERS ?? 1000), endpoints: Number(process.env.BENCH_ENDPOINTS ?? 10), runs })
  const machine = `${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, Node ${process.version}`
  process.stdout.write(
    [
      `${new Date().toISOString()} — ${machine}; ${r.resources} resources, one load assignment changed per run, ${runs} runs`,
      `first build (every resource encoded):  ${r.firstBuildMs.toFixed(1)} ms`,
      `snapshot rebuild (one changed):        p50 ${r.rebuildP50Ms.toFixed(2)} ms, p90 ${r.rebuildP90Ms.toFixed(2)} ms, max ${r.rebuildMaxMs.toFixed(2)} ms`,
      `commit check (validation + analysis):  p50 ${r.checkP50Ms.toFixed(2)} ms, p90 ${r.checkP90Ms.toFixed(2)} ms`,
      '',
    ].join('\n'),
  )
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) main()
