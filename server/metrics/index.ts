import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client'
import { createCommitTimes } from './convergence'

/**
 * What GET /metrics exposes (Prometheus text format, prom-client), defined in one place. The
 * adapters record into it (transport, sync, status, services, http, main); the pure folders never
 * import it. Labels stay bounded: fleet, type (cds, eds, lds, rds, sds), stream kind, route pattern,
 * status, never a node id, a peer or a raw path. docs/operations.md "Metrics and alerts" lists them.
 */

/** Latencies from sub-millisecond (an ACK on localhost) to minutes (a stalled rollout). */
const LATENCY_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300]
const SHORT_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10]

function defineMetrics(registry: Registry, sources: () => MetricSources) {
  const registers = [registry]
  return {
    registry,
    buildInfo: new Gauge({ name: 'legation_build_info', help: 'Always 1; its labels name the running version (count the series to see how many replicas are up)', labelNames: ['version'] as const, registers }),

    // xDS, per replica
    streams: new Gauge({ name: 'legation_xds_streams', help: 'xDS streams served by this replica, by fleet and stream kind (ADS, Delta ADS, CDS, Delta CDS, …)', labelNames: ['fleet', 'stream'] as const, registers }),
    streamsUnsynced: new Gauge({
      name: 'legation_xds_streams_unsynced',
      help: 'Served xDS streams that have not ACKed everything sent for the latest snapshot they processed (a push in flight, or a NACK standing)',
      labelNames: ['fleet'] as const,
      registers,
    }),
    pushes: new Counter({ name: 'legation_xds_pushes_total', help: 'xDS responses sent (initial answers and pushes), by fleet and type', labelNames: ['fleet', 'type'] as const, registers }),
    pushBytes: new Counter({ name: 'legation_xds_push_bytes_total', help: 'Encoded bytes of xDS responses sent over gRPC, by type', labelNames: ['type'] as const, registers }),
    acks: new Counter({ name: 'legation_xds_acks_total', help: 'xDS responses ACKed by proxies, by fleet and type', labelNames: ['fleet', 'type'] as const, registers }),
    nacks: new Counter({ name: 'legation_xds_nacks_total', help: 'xDS responses NACKed (rejected) by proxies, by fleet and type', labelNames: ['fleet', 'type'] as const, registers }),
    pushLatency: new Histogram({
      name: 'legation_xds_push_latency_seconds',
      help: 'From writing an xDS response to the proxy’s ACK or NACK of that nonce, by type and result',
      labelNames: ['type', 'result'] as const,
      buckets: LATENCY_BUCKETS,
      registers,
    }),

    // Rollout
    convergence: new Histogram({
      name: 'legation_rollout_convergence_seconds',
      help: 'From a commit (or rollback) to each proxy reaching that version, for proxies connected at the commit, by fleet',
      labelNames: ['fleet'] as const,
      buckets: LATENCY_BUCKETS,
      registers,
    }),

    // Snapshots (DB → cache)
    snapshotBuild: new Histogram({ name: 'legation_snapshot_build_seconds', help: 'Time to build (decode, validate, encode) a fleet’s snapshot from its active version', labelNames: ['fleet'] as const, buckets: SHORT_BUCKETS, registers }),
    snapshotRejections: new Counter({ name: 'legation_snapshot_rejections_total', help: 'Active versions whose snapshot failed its checks and is not served (the previous one stays)', labelNames: ['fleet'] as const, registers }),
    snapshotVersion: new Gauge({ name: 'legation_snapshot_version', help: 'The version number this replica serves, by fleet', labelNames: ['fleet'] as const, registers }),

    // Commits
    commit: new Histogram({ name: 'legation_commit_seconds', help: 'A commit request in the service, from lock to the version summary, by result (committed, refused, failed)', labelNames: ['result'] as const, buckets: SHORT_BUCKETS, registers }),
    commitValidation: new Histogram({ name: 'legation_commit_validation_seconds', help: 'Validation and analysis of the whole draft at commit (drafts that pass)', buckets: SHORT_BUCKETS, registers }),

    // HTTP API
    apiRequest: new Histogram({
      name: 'legation_api_request_duration_seconds',
      help: 'JSON API requests (/api/v1), by method, route pattern (e.g. /api/v1/fleets/[fleet]) and status',
      labelNames: ['method', 'route', 'status'] as const,
      buckets: SHORT_BUCKETS,
      registers,
    }),

    // Database
    // Sampled at each scrape: prom-client runs a metric's collect() before it renders it.
    listenUp: new Gauge({
      name: 'legation_database_listen_up',
      help: '1 while the LISTEN connection (cross-replica events) is connected, else 0',
      registers,
      collect() {
        const connected = sources().listenConnected
        if (connected) this.set(connected() ? 1 : 0)
      },
    }),
    listenReconnects: new Counter({ name: 'legation_database_listen_reconnects_total', help: 'Times the LISTEN connection was re-established after a loss', registers }),
    pool: new Gauge({
      name: 'legation_database_pool_connections',
      help: 'The database pool’s connections by state (total, idle) and requests waiting for one (waiting)',
      labelNames: ['state'] as const,
      registers,
      collect() {
        const stats = sources().pool?.()
        if (!stats) return
        this.set({ state: 'total' }, stats.total)
        this.set({ state: 'idle' }, stats.idle)
        this.set({ state: 'waiting' }, stats.waiting)
      },
    }),
  }
}

export type Metrics = ReturnType<typeof defineMetrics> & Readonly<{
  commitTimes: ReturnType<typeof createCommitTimes>
  /** Reads gauges that are sampled at scrape time (LISTEN, pool) from the running process. */
  sample: (sources: MetricSources) => void
  /** Node's process and event-loop metrics (prom-client's defaults); main.ts turns them on once. */
  collectProcessMetrics: () => void
}>

export type MetricSources = Readonly<{
  listenConnected?: () => boolean
  pool?: () => Readonly<{ total: number; idle: number; waiting: number }> | null
}>

function createMetrics(): Metrics {
  const registry = new Registry()
  let sources: MetricSources = {}
  let processMetrics = false
  return {
    ...defineMetrics(registry, () => sources),
    commitTimes: createCommitTimes(),
    sample: (next) => void (sources = { ...sources, ...next }),
    collectProcessMetrics() {
      if (processMetrics) return
      processMetrics = true
      collectDefaultMetrics({ register: registry })
    },
  }
}

/**
 * One registry per process. Next bundles route modules into its own module graph, so a module-level
 * singleton could exist twice (see server/runtime.ts); the one registry lives on globalThis.
 */
const METRICS_KEY = Symbol.for('legation.metrics')
type Holder = { [METRICS_KEY]?: Metrics }

export function getMetrics(): Metrics {
  const holder = globalThis as Holder
  return (holder[METRICS_KEY] ??= createMetrics())
}

/** The Prometheus text exposition of every metric, with its content type. */
export async function renderMetrics(): Promise<{ contentType: string; body: string }> {
  const { registry } = getMetrics()
  return { contentType: registry.contentType, body: await registry.metrics() }
}
