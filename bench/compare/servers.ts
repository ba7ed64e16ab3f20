import { spawn } from 'node:child_process'
import { readFile } from 'node:fs/promises'
import readline from 'node:readline'
import { apiClient, type ApiClient } from '../../tests/support/http'
import { startServer } from '../../tests/support/server'
import { scrapeMetrics, valueOf } from '../../tests/support/metrics'
import { benchStorage } from '../bench-database'

/**
 * A server under test, as the workloads see it: where proxies connect, which process to measure,
 * how to build a fleet, and the measured change split in two: `prepareChange` (not timed: for
 * Legation the draft write) and `commitChange` (timed from the load client's `mark`: Legation's
 * commit request, the reference's new snapshot).
 */
export type ServerUnderTest = Readonly<{
  name: string
  xdsTarget: string
  /** The process serving xDS (its VmRSS is the server's memory). */
  pid: number
  createFleet: (fleet: string, clusters: number, endpoints: number) => Promise<void>
  prepareChange: (fleet: string) => Promise<void>
  /** Returns how long the change request itself took, in ms. */
  commitChange: (fleet: string) => Promise<number>
  /** Legation only: the process's heap and external memory (from GET /metrics), in KiB, to split RSS growth. */
  memoryDetail?: () => Promise<Record<string, number>>
  stop: () => Promise<void>
}>

export async function rssKiB(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8')
  return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0)
}

/** Cluster i's endpoints: the same shape as the reference's internal/fleet. */
export const loadAssignment = (i: number, endpoints: number, portBase: number) => ({
  cluster_name: `cluster-${i}`,
  endpoints: [{ locality: { zone: 'z1' }, load_balancing_weight: 1, lb_endpoints: Array.from({ length: endpoints }, (_, e) => ({ endpoint: { address: { socket_address: { address: `10.${(i >> 8) & 255}.${i & 255}.${e + 1}`, port_value: portBase + e } } } })) }],
})

const edsCluster = (i: number) => ({ name: `cluster-${i}`, type: 'EDS', eds_cluster_config: { eds_config: { ads: {} } }, connect_timeout: '1s' })

async function expectStatus(label: string, res: Promise<{ status: number; text: string }>, ok: (s: number) => boolean, errorLog: () => string = () => ''): Promise<void> {
  const r = await res
  if (!ok(r.status)) throw new Error(`${label}: ${r.status} ${r.text.slice(0, 500)}${errorLog()}`)
}

/**
 * Legation from source (tests/support/server.ts `startServer`: `node --import tsx server/main.ts`,
 * that node process is the one serving), with its own database (bench/bench-database.ts).
 */
export async function startLegation(options: { env?: Record<string, string> } = {}): Promise<ServerUnderTest> {
  const storage = await benchStorage()
  // BENCH_SERVER_NODE_ARGS (e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof`) are given to Legation's process only.
  const nodeArgs = (process.env.BENCH_SERVER_NODE_ARGS ?? '').split(' ').filter(Boolean)
  const server = await startServer({ env: { LOG_LEVEL: 'info', LEGATION_DEMO: 'false', ...storage.env, ...options.env }, nodeArgs, readyTimeoutMs: 180_000 }).catch(async (err: unknown) => {
    await storage.cleanup()
    throw err
  })
  const pid = server.process.pid!
  const cmdline = (await readFile(`/proc/${pid}/cmdline`, 'utf8')).split('\0').join(' ')
  if (!cmdline.includes('server/main.ts')) throw new Error(`process ${pid} is not the server: ${cmdline}`)
  const xdsPort = server.logs().find((l) => typeof l['xdsPort'] === 'number')!['xdsPort'] as number
  const api: ApiClient = apiClient(server.baseUrl)
  /** The server's last error lines (pino level ≥ 50), for a failed request's message. */
  const errorLog = (): string => {
    const lines = server.logs().filter((l) => typeof l['level'] === 'number' && l['level'] >= 50).slice(-3)
    return lines.length ? `\nserver errors:\n${lines.map((l) => JSON.stringify(l)).join('\n')}` : ''
  }
  const changes = new Map<string, number>()
  const sizes = new Map<string, number>()

  /** Waits for the fleet's snapshot (its log line); proxies would wait for it anyway, so a missing line only warns. */
  const published = async (fleet: string, after: number): Promise<void> => {
    const deadline = Date.now() + 30_000
    while (Date.now() < deadline) {
      if (server.logs().slice(after).some((l) => l['msg'] === 'snapshot published' && l['fleet'] === fleet)) return
      await new Promise((r) => setTimeout(r, 50))
    }
    process.stderr.write(`warning: no "snapshot published" log line for fleet ${fleet} in 30 s\n`)
  }

  return {
    name: 'Legation',
    xdsTarget: `127.0.0.1:${xdsPort}`,
    pid,
    memoryDetail: async () => {
      const { samples } = await scrapeMetrics(server.baseUrl)
      const kib = (name: string): number => Math.round((valueOf(samples, name) ?? NaN) / 1024)
      return { heapUsedKiB: kib('nodejs_heap_size_used_bytes'), heapTotalKiB: kib('nodejs_heap_size_total_bytes'), externalKiB: kib('nodejs_external_memory_bytes'), rssKiB: kib('process_resident_memory_bytes') }
    },
    createFleet: async (fleet, clusters, endpoints) => {
      await expectStatus('create fleet', api('POST', '/api/v1/fleets', { body: { name: fleet } }), (s) => s < 300)
      const bundle: Array<{ type: string; name: string; resource: Record<string, unknown> }> = []
      for (let i = 0; i < clusters; i++) {
        bundle.push({ type: 'Cluster', name: `cluster-${i}`, resource: edsCluster(i) })
        bundle.push({ type: 'ClusterLoadAssignment', name: `cluster-${i}`, resource: loadAssignment(i, endpoints, 8000) })
      }
      await expectStatus('bulk draft write', api('PUT', `/api/v1/fleets/${fleet}/draft`, { body: bundle }), (s) => s === 200, errorLog)
      const logsBefore = server.logs().length
      await expectStatus('first commit', api('POST', `/api/v1/fleets/${fleet}/commit`, { body: { message: 'bench fleet' } }), (s) => s === 201, errorLog)
      await published(fleet, logsBefore)
      sizes.set(fleet, endpoints)
    },
    prepareChange: async (fleet) => {
      const n = (changes.get(fleet) ?? 0) + 1
      changes.set(fleet, n)
      const body = loadAssignment(0, sizes.get(fleet) ?? 1, n % 2 === 1 ? 9000 : 8000)
      await expectStatus('draft write', api('PUT', `/api/v1/fleets/${fleet}/draft/endpoints/cluster-0`, { body }), (s) => s < 300, errorLog)
    },
    commitChange: async (fleet) => {
      const t = performance.now()
      await expectStatus('commit', api('POST', `/api/v1/fleets/${fleet}/commit`, { body: { message: 'bench change' } }), (s) => s === 201, errorLog)
      return performance.now() - t
    },
    stop: async () => {
      await server.stop()
      await storage.cleanup()
    },
  }
}

/** The go-control-plane reference server (bench/reference/cmd/reference-server), no fleet until createFleet. */
export async function startReference(bin: string): Promise<ServerUnderTest> {
  const child = spawn(bin, ['-fleet', ''], { stdio: ['ignore', 'pipe', 'inherit'] })
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  const ready = await new Promise<{ xdsPort: number; httpPort: number }>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('reference server not ready in 30 s')), 30_000)
    readline.createInterface({ input: child.stdout! }).on('line', (line) => {
      try {
        const parsed = JSON.parse(line) as { ready?: boolean; xdsPort: number; httpPort: number }
        if (parsed.ready) {
          clearTimeout(timer)
          resolve(parsed)
        }
      } catch {
        // not the ready line
      }
    })
    void exited.then(() => reject(new Error('reference server exited before it was ready')))
  })
  const base = `http://127.0.0.1:${ready.httpPort}`
  const post = async (path: string): Promise<void> => {
    const res = await fetch(`${base}${path}`, { method: 'POST' })
    if (res.status !== 200) throw new Error(`reference ${path}: ${res.status} ${await res.text()}`)
  }
  return {
    name: 'go-control-plane',
    xdsTarget: `127.0.0.1:${ready.xdsPort}`,
    pid: child.pid!,
    createFleet: (fleet, clusters, endpoints) => post(`/fleet?name=${encodeURIComponent(fleet)}&clusters=${clusters}&endpoints=${endpoints}`),
    prepareChange: async () => undefined,
    commitChange: async (fleet) => {
      const t = performance.now()
      await post(`/change?fleet=${encodeURIComponent(fleet)}`)
      return performance.now() - t
    },
    stop: async () => {
      child.kill('SIGTERM')
      await exited
    },
  }
}
