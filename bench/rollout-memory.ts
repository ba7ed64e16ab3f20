// `npm run bench:rollout-memory`: the extra memory of one active staged rollout (#12 item 3). While a
// rollout runs, the snapshot cache holds a second snapshot of the fleet (the canary's version) next
// to the active one; streams keep only what they were sent either way. This builds the snapshots of
// two versions of a fleet of BENCH_CLUSTERS EDS clusters × BENCH_ENDPOINTS endpoints the way the
// snapshot engine does (prepareStoredSnapshot from stored bodies, the second against the first, with
// the resource memo it fills) and measures the heap they keep, with a forced GC around each step.
// Env: BENCH_CLUSTERS (1000), BENCH_ENDPOINTS (10). Run with node --expose-gc (the script does).
import { loadEnvoyRoot } from '../proto/loader'
import type { StoredResource } from '../server/config/diff'
import { serializeResource, sha256Hex } from '../server/config/hash'
import type { ConfigResource } from '../server/config/resource-types'
import { validateResource } from '../server/config/validate'
import { prepareStoredSnapshot } from '../server/snapshot/build-snapshot'
import type { Snapshot } from '../server/snapshot/types'

const CLUSTERS = Number(process.env.BENCH_CLUSTERS ?? 1000)
const ENDPOINTS = Number(process.env.BENCH_ENDPOINTS ?? 10)

function fleet(port: number): ConfigResource[] {
  const out: ConfigResource[] = []
  for (let i = 0; i < CLUSTERS; i++) {
    const name = `service-${String(i).padStart(4, '0')}`
    out.push({ type: 'Cluster', name, resource: { name, type: 'EDS', connect_timeout: '1s', lb_policy: 'ROUND_ROBIN', eds_cluster_config: { eds_config: { ads: {}, resource_api_version: 'V3' } } } })
    const lb_endpoints = Array.from({ length: ENDPOINTS }, (_, e) => ({ endpoint: { address: { socket_address: { address: `10.${i % 250}.${e % 250}.${(i >> 8) % 250}`, port_value: port } } } }))
    out.push({ type: 'ClusterLoadAssignment', name, resource: { cluster_name: name, endpoints: [{ lb_endpoints }] } })
  }
  return out
}

const gc = (): void => (globalThis as { gc?: () => void }).gc?.()
const heapMiB = (): number => (gc(), gc(), process.memoryUsage().heapUsed / 2 ** 20)

/** The fleet's resources as a version stores them: canonical JSON bodies and their hashes. */
function stored(root: ReturnType<typeof loadEnvoyRoot>, port: number): StoredResource[] {
  return fleet(port).map((r) => {
    const body = serializeResource(validateResource(root, r.type, r.name, r.resource).resource!)
    return { type: r.type, name: r.name, body, hash: sha256Hex(body) }
  })
}

function build(root: ReturnType<typeof loadEnvoyRoot>, version: number, resources: readonly StoredResource[], previous: Snapshot | null): Snapshot {
  const prepared = prepareStoredSnapshot(root, { fleet: 'bench', versionNumber: version, resources }, previous)
  if (!prepared.snapshot) throw new Error(`snapshot refused: ${JSON.stringify(prepared.issues.slice(0, 3))}`)
  return prepared.snapshot
}

function main(): void {
  if (!(globalThis as { gc?: unknown }).gc) throw new Error('run with node --expose-gc (npm run bench:rollout-memory does)')
  const root = loadEnvoyRoot()
  // The bodies exist either way (read from the database for each build); only what the builds keep is measured.
  const [v1, v2] = [stored(root, 8080), stored(root, 9090)]
  const base = heapMiB()
  const kept: Snapshot[] = [build(root, 1, v1, null)]
  const one = heapMiB()
  kept.push(build(root, 2, v2, kept[0]!))
  const two = heapMiB()
  console.log(JSON.stringify({ clusters: CLUSTERS, endpointsPerCluster: ENDPOINTS, resources: CLUSTERS * 2, activeSnapshotMiB: +(one - base).toFixed(1), extraForOneRolloutMiB: +(two - one).toFixed(1), snapshotsKept: kept.length }, null, 2))
}

main()
