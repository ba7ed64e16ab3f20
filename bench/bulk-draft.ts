// `npm run bench:bulk`: PUT /api/v1/fleets/{fleet}/draft with a whole bundle (#14 item 3: "2,000
// resources in under 2 s"). A fleet of BENCH_RESOURCES resources (half EDS clusters, half their
// load assignments) written in one PUT: into an empty draft, again unchanged, with every resource
// changed, as YAML and as a JSON array. Env: BENCH_RESOURCES (2000), BENCH_DATABASE_URL (else embedded).
import YAML from 'yaml'
import { apiClient } from '../tests/support/http'
import { startServer } from '../tests/support/server'
import { benchStorage } from './bench-database'

const RESOURCES = Number(process.env.BENCH_RESOURCES ?? 2000)
const RUNS = 5

function bundle(port: number): Array<{ type: string; name: string; resource: Record<string, unknown> }> {
  const docs: Array<{ type: string; name: string; resource: Record<string, unknown> }> = []
  for (let i = 0; i < RESOURCES / 2; i++) {
    const name = `service-${String(i).padStart(4, '0')}`
    docs.push({ type: 'Cluster', name, resource: { name, type: 'EDS', connect_timeout: '1s', lb_policy: 'ROUND_ROBIN', eds_cluster_config: { eds_config: { ads: {}, resource_api_version: 'V3' } } } })
    docs.push({
      type: 'ClusterLoadAssignment',
      name,
      resource: { cluster_name: name, endpoints: [{ lb_endpoints: [0, 1, 2].map((e) => ({ endpoint: { address: { socket_address: { address: `10.${i % 250}.${e}.${(i >> 8) % 250}`, port_value: port } } } })) }] },
    })
  }
  return docs
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!

async function main(): Promise<void> {
  const storage = await benchStorage()
  const server = await startServer({ env: { LOG_LEVEL: 'info', LEGATION_DEMO: 'false', ...storage.env }, readyTimeoutMs: 120_000 }).catch(async (err: unknown) => {
    await storage.cleanup()
    throw err
  })
  const api = apiClient(server.baseUrl)
  const results: Record<string, number> = {}
  try {
    let n = 0
    const put = async (label: string, fleet: string, body: { yaml?: string; json?: unknown[] }, expected: (b: { counts: Record<string, number> }) => boolean) => {
      const t = performance.now()
      const res = body.yaml !== undefined
        ? await api<{ counts: Record<string, number> }>('PUT', `/api/v1/fleets/${fleet}/draft`, { raw: body.yaml, headers: { 'content-type': 'application/yaml' } })
        : await api<{ counts: Record<string, number> }>('PUT', `/api/v1/fleets/${fleet}/draft`, { body: body.json })
      const ms = performance.now() - t
      if (res.status !== 200 || !expected(res.body)) throw new Error(`${label}: ${res.status} ${res.text.slice(0, 500)}`)
      return ms
    }
    const yamlOf = (docs: unknown[]) => docs.map((d) => `---\n${YAML.stringify(d, { lineWidth: 0 })}`).join('')
    const a = bundle(8080)
    const b = bundle(9090)
    const sizes = { yaml: yamlOf(a).length, json: JSON.stringify(a).length }
    const runs: Record<string, number[]> = { newYaml: [], newJson: [], unchangedYaml: [], allChangedYaml: [], allChangedJson: [] }
    for (let r = 0; r < RUNS; r++) {
      const fy = `bench-y-${++n}`
      const fj = `bench-j-${n}`
      await api('POST', '/api/v1/fleets', { body: { name: fy } })
      await api('POST', '/api/v1/fleets', { body: { name: fj } })
      runs.newYaml!.push(await put('new yaml', fy, { yaml: yamlOf(a) }, (x) => x.counts['added'] === RESOURCES))
      runs.newJson!.push(await put('new json', fj, { json: a }, (x) => x.counts['added'] === RESOURCES))
      runs.unchangedYaml!.push(await put('unchanged yaml', fy, { yaml: yamlOf(a) }, (x) => x.counts['unchanged'] === RESOURCES))
      runs.allChangedYaml!.push(await put('changed yaml', fy, { yaml: yamlOf(b) }, (x) => x.counts['modified'] === RESOURCES / 2))
      runs.allChangedJson!.push(await put('changed json', fj, { json: b }, (x) => x.counts['modified'] === RESOURCES / 2))
    }
    for (const [k, v] of Object.entries(runs)) results[`${k}Ms`] = Math.round(median(v))
    console.log(JSON.stringify({ resources: RESOURCES, runs: RUNS, bodyBytes: sizes, medianMs: results, allMs: Object.fromEntries(Object.entries(runs).map(([k, v]) => [k, v.map(Math.round)])) }, null, 2))
  } finally {
    await server.stop()
    await storage.cleanup()
  }
}

void main().catch((err: unknown) => {
  console.error(err)
  process.exit(1)
})
