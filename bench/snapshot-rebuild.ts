// `npm run bench:snapshot`: the #13 row "one changed resource in a 2,002-resource fleet: snapshot
// rebuild". A fleet of 1,000 EDS clusters with their load assignments plus a listener and its route
// configuration (2,002 resources, stored as the draft stores them: canonical JSON and its hash) is
// committed once; then one load assignment changes and the next version's snapshot is built the way
// the snapshot engine builds it (renderStored → prepareStoredSnapshot against the serving snapshot),
// and checked the way a commit checks it (checkStoredConfig: validation and analysis).
// Pure, in-process: no database or sockets. Env: BENCH_CLUSTERS (1000), BENCH_ENDPOINTS (10), BENCH_RUNS (30).
import os from 'node:os'
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

const CLUSTERS = Number(process.env.BENCH_CLUSTERS ?? 1000)
const ENDPOINTS = Number(process.env.BENCH_ENDPOINTS ?? 10)
const RUNS = Number(process.env.BENCH_RUNS ?? 30)
const root = loadEnvoyRoot()

function stored(type: ResourceType, name: string, input: Record<string, unknown>): StoredResource {
  const read = validateResource(root, type, name, input)
  if (!read.resource) throw new Error(`${type} ${name}: ${JSON.stringify(read.issues)}`)
  const body = serializeResource(read.resource)
  return { type, name, body, hash: sha256Hex(body) }
}

const assignment = (i: number, port: number): StoredResource =>
  stored('ClusterLoadAssignment', `cluster-${i}`, {
    cluster_name: `cluster-${i}`,
    endpoints: [{ locality: { zone: 'z1' }, lb_endpoints: Array.from({ length: ENDPOINTS }, (_, e) => ({ endpoint: { address: { socket_address: { address: `10.${(i >> 8) & 255}.${i & 255}.${e + 1}`, port_value: port + e } } } })) }],
  })

function fleet(): StoredResource[] {
  const out: StoredResource[] = []
  for (let i = 0; i < CLUSTERS; i++) {
    out.push(stored('Cluster', `cluster-${i}`, { name: `cluster-${i}`, type: 'EDS', eds_cluster_config: { eds_config: { ads: {} } }, connect_timeout: '1s' }))
    out.push(assignment(i, 8000))
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

function stats(values: number[]): string {
  const s = [...values].sort((a, b) => a - b)
  const at = (p: number): number => s[Math.min(s.length - 1, Math.floor(p * s.length))]!
  return `p50 ${at(0.5).toFixed(2)} ms, p90 ${at(0.9).toFixed(2)} ms, min ${s[0]!.toFixed(2)} ms, max ${s.at(-1)!.toFixed(2)} ms`
}

function main(): void {
  const resources = fleet()
  const base: StoredConfig = { resources, variables: {}, template: null }
  let t = performance.now()
  let serving = build(base, 1, null)
  const firstBuildMs = performance.now() - t
  const rebuild: number[] = []
  const check: number[] = []
  for (let run = 0; run < RUNS; run++) {
    // One load assignment moves (a different one each run, so nothing is served from a previous run).
    const i = (run * 37) % CLUSTERS
    const next = resources.map((r) => (r.type === 'ClusterLoadAssignment' && r.name === `cluster-${i}` ? assignment(i, 9000 + run * 20) : r))
    const config: StoredConfig = { resources: next, variables: {}, template: null }
    t = performance.now()
    const { issues, findings } = checkStoredConfig(root, cipher, config, [])
    check.push(performance.now() - t)
    if (issues.length > 0 || findings.some((f) => f.severity === 'error')) throw new Error(`check refused: ${JSON.stringify(issues.slice(0, 3))}`)
    t = performance.now()
    const snapshot = build(config, run + 2, serving)
    rebuild.push(performance.now() - t)
    serving = snapshot
  }
  const machine = `${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, Node ${process.version}`
  process.stdout.write(
    [
      `${new Date().toISOString()} — ${machine}; ${resources.length} resources, one load assignment changed per run, ${RUNS} runs`,
      `first build (every resource encoded):  ${firstBuildMs.toFixed(1)} ms`,
      `snapshot rebuild (one changed):        ${stats(rebuild)}`,
      `commit check (validation + analysis):  ${stats(check)}`,
      '',
    ].join('\n'),
  )
}

main()
