// `npm run bench` (also `bench:compare`): the workloads of issue #13's table, run against Legation and against a
// go-control-plane reference server (bench/reference), one server after the other, driven by the
// same Go load client. Prints each row as Legation / go-control-plane / ratio, and writes the
// report to bench/out/compare.md. See bench/reference/README.md.
//
// Env: BENCH_PROXIES (1000), BENCH_CLUSTERS (1000), BENCH_ENDPOINTS (10), BENCH_IDLE_STREAMS (10000),
// BENCH_IDLE_CONNECT_RATE (1000 streams/s for the idle-memory row), BENCH_REPEATS (3: changes per
// change/reconnect row), BENCH_SMALL_REPEATS (20), BENCH_WORKLOADS (comma list of ids or row
// numbers; default all), BENCH_SERVERS (legation,go-control-plane), BENCH_PHASE_TIMEOUT_MS
// (300000), BENCH_STREAMS_PER_CONN (1: each simulated proxy has its own HTTP/2 connection), BENCH_DATABASE_URL (Legation's PostgreSQL server; else an embedded one),
// LEGATION_NEXT_DIST_DIR (where Legation's Next production build is; default .next).
// BENCH_SERVER_NODE_ARGS: node flags for Legation's process (e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof`).
import { execFileSync } from 'node:child_process'
import { accessSync, constants, readFileSync } from 'node:fs'
import { mkdir, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { PROJECT_ROOT } from '../tests/support/server'
import { eventNumber, startLoadClient, type LoadClient, type LoadEvent } from './compare/load-client'
import { rssKiB, startLegation, startReference, type ServerUnderTest } from './compare/servers'
import { measureSnapshotRebuild } from './snapshot-rebuild'

const intEnv = (name: string, def: number): number => {
  const v = process.env[name]
  if (v === undefined || v === '') return def
  const n = Number(v)
  if (!Number.isInteger(n) || n < 0) throw new Error(`${name} must be a non-negative integer, got ${v}`)
  return n
}

const PROXIES = intEnv('BENCH_PROXIES', 1000)
const CLUSTERS = intEnv('BENCH_CLUSTERS', 1000)
const ENDPOINTS = intEnv('BENCH_ENDPOINTS', 10)
const IDLE_STREAMS = intEnv('BENCH_IDLE_STREAMS', 10_000)
const IDLE_CONNECT_RATE = intEnv('BENCH_IDLE_CONNECT_RATE', 1000)
const REPEATS = Math.max(1, intEnv('BENCH_REPEATS', 3))
const SMALL_REPEATS = Math.max(1, intEnv('BENCH_SMALL_REPEATS', 20))
const PHASE_TIMEOUT_MS = intEnv('BENCH_PHASE_TIMEOUT_MS', 300_000)
const STREAMS_PER_CONN = Math.max(1, intEnv('BENCH_STREAMS_PER_CONN', 1))
const SMALL = { clusters: 10, endpoints: 2, proxies: 10 } as const

const BIN_DIR = path.join(PROJECT_ROOT, 'bench', 'out', 'bin')
const REFERENCE_DIR = path.join(PROJECT_ROOT, 'bench', 'reference')
const LOAD_BIN = path.join(BIN_DIR, 'xds-load')
const SERVER_BIN = path.join(BIN_DIR, 'reference-server')

type WorkloadId = 'sotw-change' | 'delta-change' | 'sotw-sync' | 'idle-memory' | 'connect-storm' | 'small-commit' | 'delta-reconnect' | 'snapshot-rebuild'

type Workload = Readonly<{
  id: WorkloadId
  row: number
  label: string
  /** The metrics shown in the table (keys of a measurement's values), with their unit. */
  metrics: ReadonlyArray<{ key: string; name: string; unit: 'ms' | 'KiB' }>
  target: string
}>

const WORKLOADS: readonly Workload[] = [
  { id: 'sotw-change', row: 1, label: `${PROXIES} SotW proxies, ${CLUSTERS} EDS clusters × ${ENDPOINTS} endpoints, one endpoint change: commit → every proxy ACKed`, metrics: [{ key: 'p50Ms', name: 'p50', unit: 'ms' }, { key: 'maxMs', name: 'max', unit: 'ms' }], target: "half of go-control-plane's, p50 and max" },
  { id: 'delta-change', row: 2, label: `same fleet, ${PROXIES} delta proxies, one cluster's endpoints change`, metrics: [{ key: 'maxMs', name: 'max', unit: 'ms' }], target: 'commit → every proxy ACKed ≤ 150 ms' },
  { id: 'sotw-sync', row: 3, label: `same fleet, initial sync of ${PROXIES} SotW proxies`, metrics: [{ key: 'maxMs', name: 'all synced', unit: 'ms' }], target: '≤ 2 s' },
  { id: 'idle-memory', row: 4, label: `${IDLE_STREAMS} idle streams, small fleet: server memory per stream`, metrics: [{ key: 'kibPerStream', name: 'per stream', unit: 'KiB' }], target: '≤ 30 KiB' },
  { id: 'connect-storm', row: 5, label: `${IDLE_STREAMS} streams connecting at once (admission limit off): every first response ACKed`, metrics: [{ key: 'firstResponseMaxMs', name: 'all first ACKs', unit: 'ms' }], target: '≤ 1.5 s' },
  { id: 'small-commit', row: 6, label: `small fleet (${SMALL.clusters} clusters × ${SMALL.endpoints} endpoints, ${SMALL.proxies} proxies), commit request → first proxy ACK, ${SMALL_REPEATS} changes`, metrics: [{ key: 'p50Ms', name: 'p50', unit: 'ms' }], target: 'p50 ≤ 15 ms' },
  { id: 'delta-reconnect', row: 7, label: `delta reconnect storm, ${PROXIES} proxies with initial_resource_versions (one change while disconnected)`, metrics: [{ key: 'maxMs', name: 'max', unit: 'ms' }], target: '≤ 2 s' },
  { id: 'snapshot-rebuild', row: 8, label: `one changed resource in a ${2 * CLUSTERS + 2}-resource fleet: snapshot rebuild (Legation only; in-process, bench/snapshot-rebuild.ts)`, metrics: [{ key: 'rebuildP50Ms', name: 'p50', unit: 'ms' }, { key: 'rebuildP90Ms', name: 'p90', unit: 'ms' }], target: '≤ 5 ms' },
]

function selectedWorkloads(): Set<WorkloadId> {
  const raw = process.env.BENCH_WORKLOADS
  if (!raw) return new Set(WORKLOADS.map((w) => w.id))
  const out = new Set<WorkloadId>()
  for (const part of raw.split(',').map((s) => s.trim()).filter(Boolean)) {
    const w = WORKLOADS.find((x) => x.id === part || String(x.row) === part)
    if (!w) throw new Error(`BENCH_WORKLOADS: unknown workload ${part} (known: ${WORKLOADS.map((x) => `${x.row}=${x.id}`).join(', ')})`)
    out.add(w.id)
  }
  return out
}

type ServerKind = 'legation' | 'go-control-plane'
const SERVER_KINDS: readonly ServerKind[] = ['legation', 'go-control-plane']
const SERVER_LABEL: Record<ServerKind, string> = { legation: 'Legation', 'go-control-plane': 'go-control-plane' }

function selectedServers(): ServerKind[] {
  const raw = process.env.BENCH_SERVERS
  if (!raw) return [...SERVER_KINDS]
  return raw.split(',').map((s) => {
    const k = s.trim()
    if (!(SERVER_KINDS as readonly string[]).includes(k)) throw new Error(`BENCH_SERVERS: unknown server ${k}`)
    return k as ServerKind
  })
}

/** One workload's result on one server: the table's values (medians over repeats) and the detail. */
type Measurement = { values: Record<string, number>; runs: Array<Record<string, number>>; sent: string[] }

const median = (xs: readonly number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

function measurementOf(runs: Array<Record<string, number>>, sent: string[]): Measurement {
  const keys = new Set(runs.flatMap((r) => Object.keys(r)))
  return { values: Object.fromEntries([...keys].map((k) => [k, median(runs.map((r) => r[k]!).filter((v) => v !== undefined))])), runs, sent }
}

/** What the server sent during a phase, by type: "Cluster 1000 responses/1000000 resources, …". */
function sentOf(e: LoadEvent): string {
  const responses = (e['responses'] ?? {}) as Record<string, number>
  const resources = (e['resources'] ?? {}) as Record<string, number>
  return Object.keys(responses).sort().map((t) => `${t} ${responses[t]}/${resources[t] ?? 0}`).join(', ')
}

const clientCpu = (e: LoadEvent): Record<string, number> => (typeof e['clientCpuMs'] === 'number' ? { clientCpuMs: e['clientCpuMs'] } : {})
const phaseValues = (e: LoadEvent): Record<string, number> => ({ firstMs: eventNumber(e, 'firstMs'), p50Ms: eventNumber(e, 'p50Ms'), p99Ms: eventNumber(e, 'p99Ms'), maxMs: eventNumber(e, 'maxMs'), retriesSoFar: eventNumber(e, 'retries'), ...clientCpu(e) })

function log(message: string): void {
  process.stderr.write(`[compare ${new Date().toISOString().slice(11, 19)}] ${message}\n`)
}

async function withClient<T>(options: Parameters<typeof startLoadClient>[0], body: (c: LoadClient) => Promise<T>): Promise<T> {
  const client = await startLoadClient({ streamsPerConn: STREAMS_PER_CONN, ...options })
  try {
    return await body(client)
  } finally {
    await client.quit()
  }
}

/** `mark` (t0), then the change request; every proxy's first ACK of the changed EDS response counts. */
async function measuredChange(server: ServerUnderTest, client: LoadClient, fleet: string): Promise<{ event: LoadEvent; commitMs: number }> {
  await server.prepareChange(fleet)
  client.send('mark')
  await client.next('marked')
  const commitMs = await server.commitChange(fleet)
  const event = await client.next('converged')
  return { event, commitMs }
}

/** REPEATS measured changes of the fleet `bench`, two seconds apart, as one measurement. */
async function repeatedChanges(server: ServerUnderTest, client: LoadClient, label: string): Promise<Measurement> {
  const runs: Array<Record<string, number>> = []
  const sent: string[] = []
  for (let r = 0; r < REPEATS; r++) {
    await sleep(2000)
    const { event, commitMs } = await measuredChange(server, client, 'bench')
    runs.push({ ...phaseValues(event), commitMs })
    sent.push(sentOf(event))
    log(`${server.name}: ${label} ${r + 1}/${REPEATS}: p50 ${eventNumber(event, 'p50Ms')} ms, max ${eventNumber(event, 'maxMs')} ms (change request ${Math.round(commitMs)} ms)`)
  }
  return measurementOf(runs, sent)
}

async function runSessionA(kind: ServerKind, selected: Set<WorkloadId>, results: Map<WorkloadId, Measurement>): Promise<void> {
  const big = (['sotw-change', 'sotw-sync', 'delta-change', 'delta-reconnect'] as const).some((w) => selected.has(w))
  if (!big && !selected.has('small-commit')) return
  log(`${SERVER_LABEL[kind]}: starting (fleet ${CLUSTERS} × ${ENDPOINTS}, ${PROXIES} proxies)`)
  const server = kind === 'legation' ? await startLegation() : await startReference(SERVER_BIN)
  try {
    if (big) {
      const t = performance.now()
      await server.createFleet('bench', CLUSTERS, ENDPOINTS)
      log(`${server.name}: fleet bench built and published in ${Math.round(performance.now() - t)} ms`)
    }
    if (selected.has('small-commit')) await server.createFleet('small', SMALL.clusters, SMALL.endpoints)
    const base = { bin: LOAD_BIN, target: server.xdsTarget, fleet: 'bench', timeoutMs: PHASE_TIMEOUT_MS }

    if (selected.has('sotw-sync') || selected.has('sotw-change')) {
      await withClient({ ...base, proxies: PROXIES, mode: 'sotw', nodePrefix: 'sotw' }, async (client) => {
        client.send('connect')
        const synced = await client.next('synced')
        log(`${server.name}: ${PROXIES} SotW proxies synced in ${eventNumber(synced, 'maxMs')} ms`)
        results.set('sotw-sync', measurementOf([phaseValues(synced)], [sentOf(synced)]))
        if (!selected.has('sotw-change')) return
        results.set('sotw-change', await repeatedChanges(server, client, 'SotW change'))
      })
    }

    if (selected.has('delta-change') || selected.has('delta-reconnect')) {
      await sleep(2000)
      await withClient({ ...base, proxies: PROXIES, mode: 'delta', nodePrefix: 'delta' }, async (client) => {
        client.send('connect')
        const synced = await client.next('synced')
        log(`${server.name}: ${PROXIES} delta proxies synced in ${eventNumber(synced, 'maxMs')} ms`)
        if (selected.has('delta-change')) results.set('delta-change', await repeatedChanges(server, client, 'delta change'))
        if (selected.has('delta-reconnect')) {
          const runs: Array<Record<string, number>> = []
          const sent: string[] = []
          for (let r = 0; r < REPEATS; r++) {
            await sleep(2000)
            // Every stream (and connection) closes; one change is made and published while they are
            // away; then all reconnect at once with initial_resource_versions. Done when each has
            // ACKed the changed EDS resource.
            client.send('disconnect')
            await client.next('disconnected')
            await server.prepareChange('bench')
            await server.commitChange('bench')
            await sleep(2000)
            client.send('reconnect')
            const event = await client.next('converged')
            runs.push(phaseValues(event))
            sent.push(sentOf(event))
            log(`${server.name}: delta reconnect ${r + 1}/${REPEATS}: p50 ${eventNumber(event, 'p50Ms')} ms, max ${eventNumber(event, 'maxMs')} ms`)
          }
          results.set('delta-reconnect', measurementOf(runs, sent))
        }
      })
    }

    if (selected.has('small-commit')) {
      await sleep(2000)
      await withClient({ ...base, fleet: 'small', proxies: SMALL.proxies, mode: 'sotw', nodePrefix: 'small' }, async (client) => {
        client.send('connect')
        await client.next('synced')
        const runs: Array<Record<string, number>> = []
        for (let r = 0; r < SMALL_REPEATS; r++) {
          await sleep(300)
          const { event, commitMs } = await measuredChange(server, client, 'small')
          // Row 6 is "commit request → first proxy ACK": the first of the proxies' times.
          runs.push({ p50Ms: eventNumber(event, 'firstMs'), allAckedMs: eventNumber(event, 'maxMs'), commitMs })
        }
        const m = measurementOf(runs, [])
        results.set('small-commit', m)
        log(`${server.name}: small fleet commit → first ACK p50 ${m.values['p50Ms']} ms over ${SMALL_REPEATS}`)
      })
    }
  } finally {
    await server.stop()
  }
}

async function runSessionB(kind: ServerKind, selected: Set<WorkloadId>, results: Map<WorkloadId, Measurement>): Promise<void> {
  if (!selected.has('idle-memory') && !selected.has('connect-storm')) return
  log(`${SERVER_LABEL[kind]}: starting for ${IDLE_STREAMS} streams (small fleet${kind === 'legation' ? ', LEGATION_XDS_MAX_NEW_STREAMS_PER_SECOND=0' : ''})`)
  // A fresh server, so the memory row starts from a server that has served nothing.
  const server = kind === 'legation' ? await startLegation({ env: { LEGATION_XDS_MAX_NEW_STREAMS_PER_SECOND: '0' } }) : await startReference(SERVER_BIN)
  try {
    await server.createFleet('small', SMALL.clusters, SMALL.endpoints)
    const base = { bin: LOAD_BIN, target: server.xdsTarget, fleet: 'small', proxies: IDLE_STREAMS, mode: 'sotw' as const, timeoutMs: PHASE_TIMEOUT_MS }
    if (selected.has('idle-memory')) {
      await sleep(3000)
      // BENCH_HEAP_SNAPSHOTS=1 (with BENCH_SERVER_NODE_ARGS=--heapsnapshot-signal=SIGUSR2): Legation writes a heap snapshot before and after the idle streams.
      const heapSnapshot = async (): Promise<void> => {
        if (kind !== 'legation' || process.env.BENCH_HEAP_SNAPSHOTS !== '1') return
        process.kill(server.pid, 'SIGUSR2')
        await sleep(8000)
      }
      await heapSnapshot()
      const before = await rssKiB(server.pid)
      const detailBefore = await server.memoryDetail?.()
      await withClient({ ...base, nodePrefix: 'idle', connectRate: IDLE_CONNECT_RATE }, async (client) => {
        client.send('connect')
        const synced = await client.next('synced')
        await sleep(5000)
        const after = await rssKiB(server.pid)
        const detailAfter = await server.memoryDetail?.()
        await heapSnapshot()
        const kibPerStream = Math.round(((after - before) / IDLE_STREAMS) * 10) / 10
        // Where the RSS growth is: the JS heap (used and reserved) and memory outside it (Buffers, HTTP/2 sessions).
        const split = detailBefore && detailAfter ? Object.fromEntries(Object.keys(detailAfter).map((k) => [`${k.replace('KiB', '')}PerStreamKiB`, Math.round(((detailAfter[k]! - detailBefore[k]!) / IDLE_STREAMS) * 10) / 10])) : {}
        results.set('idle-memory', measurementOf([{ kibPerStream, ...split, rssBeforeMiB: Math.round(before / 102.4) / 10, rssAfterMiB: Math.round(after / 102.4) / 10, syncedMs: eventNumber(synced, 'maxMs'), ...clientCpu(synced) }], [sentOf(synced)]))
        log(`${server.name}: ${IDLE_STREAMS} idle streams: RSS ${Math.round(before / 1024)} → ${Math.round(after / 1024)} MiB, ${kibPerStream} KiB per stream`)
      })
      await sleep(5000)
    }
    if (selected.has('connect-storm')) {
      await withClient({ ...base, nodePrefix: 'storm', connectRate: 0 }, async (client) => {
        client.send('connect')
        const synced = await client.next('synced')
        results.set('connect-storm', measurementOf([{ firstResponseMaxMs: eventNumber(synced, 'firstResponseMaxMs'), firstResponseP50Ms: eventNumber(synced, 'firstResponseP50Ms'), allSyncedMs: eventNumber(synced, 'maxMs'), retries: eventNumber(synced, 'retries'), ...clientCpu(synced) }], [sentOf(synced)]))
        log(`${server.name}: ${IDLE_STREAMS} streams at once: every first response ACKed in ${eventNumber(synced, 'firstResponseMaxMs')} ms (all synced ${eventNumber(synced, 'maxMs')} ms, ${eventNumber(synced, 'retries')} retries)${typeof synced['lastError'] === 'string' ? `; last stream error: ${synced['lastError']}` : ''}`)
      })
    }
  } finally {
    await server.stop()
  }
}

function goBinary(): string {
  if (process.env.GO) return process.env.GO
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    try {
      accessSync(path.join(dir, 'go'), constants.X_OK)
      return path.join(dir, 'go')
    } catch {
      // not here
    }
  }
  return '/usr/local/go/bin/go'
}

function buildGo(go: string): void {
  log('building bench/reference (go build)')
  for (const cmd of ['reference-server', 'xds-load']) execFileSync(go, ['build', '-o', path.join(BIN_DIR, cmd), `./cmd/${cmd}`], { cwd: REFERENCE_DIR, stdio: 'inherit' })
}

const fmt = (v: number | undefined, unit: 'ms' | 'KiB'): string => {
  if (v === undefined || Number.isNaN(v)) return '—'
  if (unit === 'KiB') return `${v.toFixed(1)} KiB`
  return v >= 1000 ? `${(v / 1000).toFixed(2)} s` : `${v < 10 ? v.toFixed(1) : Math.round(v)} ms`
}

function tableRows(results: Map<ServerKind, Map<WorkloadId, Measurement>>, selected: Set<WorkloadId>): string[][] {
  const rows: string[][] = []
  for (const w of WORKLOADS) {
    if (!selected.has(w.id)) continue
    const l = results.get('legation')?.get(w.id)
    const g = results.get('go-control-plane')?.get(w.id)
    const cell = (m: Measurement | undefined) => (m ? w.metrics.map((x) => `${w.metrics.length > 1 ? `${x.name} ` : ''}${fmt(m.values[x.key], x.unit)}`).join(', ') : '—')
    const ratio = w.metrics
      .map((x) => {
        const a = l?.values[x.key]
        const b = g?.values[x.key]
        const r = a !== undefined && b !== undefined && b > 0 ? `${(a / b).toFixed(2)}×` : '—'
        return w.metrics.length > 1 ? `${x.name} ${r}` : r
      })
      .join(', ')
    rows.push([String(w.row), w.label, cell(l), cell(g), ratio, w.target])
  }
  return rows
}

function versions(go: string): Record<string, string> {
  const gomod = readFileSync(path.join(REFERENCE_DIR, 'go.mod'), 'utf8')
  const modVersion = (mod: string) => new RegExp(`^\\s*${mod.replaceAll('.', '\\.')} (v\\S+)`, 'm').exec(gomod)?.[1] ?? '?'
  const git = (args: string[]) => {
    try {
      return execFileSync('git', args, { cwd: PROJECT_ROOT, encoding: 'utf8' }).trim()
    } catch {
      return '?'
    }
  }
  const dirty = git(['status', '--porcelain', '--', 'server']) !== ''
  return {
    legation: `${git(['rev-parse', '--short', 'HEAD'])}${dirty ? ' + uncommitted changes in server/' : ''}`,
    'go-control-plane': `github.com/envoyproxy/go-control-plane ${modVersion('github.com/envoyproxy/go-control-plane')}, envoy ${modVersion('github.com/envoyproxy/go-control-plane/envoy')}, grpc-go ${modVersion('google.golang.org/grpc')}`,
    go: execFileSync(go, ['version'], { encoding: 'utf8' }).trim(),
    node: process.version,
  }
}

/** Legation's production server needs a Next build (in LEGATION_NEXT_DIST_DIR, else .next); this does not make one. */
function checkNextBuild(): void {
  const dist = process.env.LEGATION_NEXT_DIST_DIR ?? '.next'
  try {
    accessSync(path.join(PROJECT_ROOT, dist, 'BUILD_ID'))
  } catch {
    throw new Error(`no Next production build in ${dist}/: run \`LEGATION_NEXT_DIST_DIR=${dist} npx next build\` first (it rewrites tsconfig.json: \`git checkout tsconfig.json\` afterwards), or BENCH_SERVERS=go-control-plane`)
  }
}

async function main(): Promise<void> {
  const selected = selectedWorkloads()
  const servers = selectedServers()
  if (servers.includes('legation')) checkNextBuild()
  const go = goBinary()
  await mkdir(BIN_DIR, { recursive: true })
  buildGo(go)
  const results = new Map<ServerKind, Map<WorkloadId, Measurement>>()
  const started = new Date()
  for (const kind of servers) {
    const r = new Map<WorkloadId, Measurement>()
    results.set(kind, r)
    await runSessionA(kind, selected, r)
    await runSessionB(kind, selected, r)
    // Row 8 has no go-control-plane counterpart: the code the snapshot engine runs, timed in this process.
    if (kind === 'legation' && selected.has('snapshot-rebuild')) {
      const rebuilt = measureSnapshotRebuild({ clusters: CLUSTERS, endpoints: ENDPOINTS, runs: 30 })
      r.set('snapshot-rebuild', measurementOf([{ ...rebuilt }], []))
      log(`Legation: snapshot rebuild of ${rebuilt.resources} resources, one changed: p50 ${rebuilt.rebuildP50Ms.toFixed(2)} ms, p90 ${rebuilt.rebuildP90Ms.toFixed(2)} ms (first build ${Math.round(rebuilt.firstBuildMs)} ms)`)
    }
  }

  const machine = `${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, ${os.platform()} ${os.release()}`
  const v = versions(go)
  const header = ['#', 'workload', 'Legation', 'go-control-plane', 'ratio (Legation / gcp)', 'target (#13)']
  const rows = tableRows(results, selected)
  const md = (cells: string[]) => `| ${cells.join(' | ')} |`
  const table = [md(header), md(header.map(() => '---')), ...rows.map(md)].join('\n')
  const detail: string[] = []
  for (const w of WORKLOADS) {
    if (!selected.has(w.id)) continue
    detail.push(`- **${w.row}. ${w.id}**`)
    for (const kind of servers) {
      const m = results.get(kind)?.get(w.id)
      if (!m) continue
      const runs = m.runs.map((r) => Object.entries(r).map(([k, x]) => `${k} ${Math.round(x * 10) / 10}`).join(' '))
      detail.push(`  - ${SERVER_LABEL[kind]}: ${m.runs.length > 3 ? `median ${Object.entries(m.values).map(([k, x]) => `${k} ${Math.round(x * 10) / 10}`).join(' ')} (${m.runs.length} runs)` : runs.join('; ')}${m.sent.length ? ` — sent (type responses/resources): ${[...new Set(m.sent)].join('; ')}` : ''}`)
    }
  }
  const report = [
    `### ${started.toISOString().slice(0, 16).replace('T', ' ')} UTC — Legation vs go-control-plane (\`npm run bench:compare\`)`,
    '',
    `Machine: ${machine}. Legation ${v.legation}; ${v['go-control-plane']}; ${v.go}; Node ${v.node}.`,
    `Sizes: ${PROXIES} proxies, ${CLUSTERS} clusters × ${ENDPOINTS} endpoints, ${IDLE_STREAMS} idle/storm streams (idle ones opened at ${IDLE_CONNECT_RATE}/s), ${STREAMS_PER_CONN === 1 ? 'one HTTP/2 connection per proxy' : `${STREAMS_PER_CONN} streams per HTTP/2 connection`}, ${REPEATS} repeats of the change rows (medians shown), ${SMALL_REPEATS} small-fleet changes. Lower is better; ratio = Legation / go-control-plane.`,
    '',
    table,
    '',
    'Per run:',
    '',
    ...detail,
    '',
  ].join('\n')
  await writeFile(path.join(PROJECT_ROOT, 'bench', 'out', 'compare.md'), report)
  process.stdout.write(`${report}\n`)
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    process.stderr.write(`bench:compare failed: ${(err as Error).stack ?? String(err)}\n`)
    process.exit(1)
  },
)
