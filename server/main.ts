import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import { createServer as createHttpsServer } from 'node:https'
import { readFile } from 'node:fs/promises'
import type { AddressInfo } from 'node:net'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import next from 'next'
import { loadEnvoyRoot } from '../proto/loader'
import { parseEnv, type Env } from './env'
import { createEventBus } from './events/bus'
import { createFailureLog, createLogger, type Logger } from './log'
import { setRuntime } from './runtime'
import { createServices } from './services'
import { DEFAULT_AUTH_SETTINGS } from './services/auth'
import { bootstrapDefaults } from './config/bootstrap'
import type { ControlPlanePort } from './config/analysis'
import { createDb, databasePoolStats, type Db } from './store/db'
import { startEmbeddedPostgres, type EmbeddedPostgres } from './store/embedded-postgres'
import { migrateDatabase } from './store/migrate'
import { seedDemoFleet } from './services/seed-demo'
import { settleExpiredVersions } from './services/expiry'
import { driveStagedRollouts } from './services/staged-rollouts'
import { CLIENT_ADDRESS_HEADER, REQUEST_PATH_HEADER } from './http/client'
import { browserSecurityHeaders } from './http/security-headers'
import { checkApiPath, isApiPath, keepApiErrorsInShape } from './http/api-path'
import { observeApiRequest, serveMetrics } from './http/metrics'
import { listApiRoutePatterns, toRoutePatterns } from './http/route-pattern'
import { getMetrics } from './metrics'
import { startPgEventListener, type PgEventListener } from './sync/pg-events'
import { hostname } from 'node:os'
import { randomBytes } from 'node:crypto'
import { createSnapshotCache } from './cache/snapshot-cache'
import { matchFleet, nodeMetadataStrings } from './config/fleet-match'
import { createConnectionRegistry, type ConnectionRegistry } from './status/registry'
import { createConnectionStore, pruneProxyConnections, replicaHeartbeatMs, setStaleReplicaMs } from './store/proxies'
import { createRolloutRecorder, type RolloutRecorder } from './status/rollout-recorder'
import { createRolloutStore, pruneRolloutRows } from './store/rollout'
import type { OnVersionActivated } from './config/activated-version'
import { startSnapshotSync, type SnapshotSync } from './sync/snapshot-sync'
import { startXdsServer, type XdsServer } from './transport/grpc/xds-server'
import { handleRestDiscovery, type RestGatewayDeps } from './transport/rest/discovery-gateway'
import { createValueCipher, loadSecretKey } from './store/secret-key'
import { answerClientStatus, checkProxyToken, requireCsdsAdmin } from './services/client-status'
import { loadXdsCredentials } from './tls/xds-credentials'

/**
 * Composition root: the only place that reads the environment and wires Postgres (embedded or
 * DATABASE_URL), migrations, the Next.js handler, the HTTP server and signals.
 */
const PROJECT_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const READY_CHECK_TIMEOUT_MS = 2000
const PRUNE_INTERVAL_MS = 10 * 60_000
/** How often expiring changes are checked: an expired version is rolled back within about this long. */
const EXPIRY_CHECK_MS = 1000
/** How often the staged rollout driver looks at running rollouts (soak times are whole seconds). */
const ROLLOUT_DRIVER_MS = 500

type Running = {
  env: Env
  log: Logger
  http: Server
  db: Db
  events: PgEventListener
  sync: SnapshotSync
  registry: ConnectionRegistry
  rollout: RolloutRecorder
  xds: XdsServer
  embedded: EmbeddedPostgres | null
  isShuttingDown: () => boolean
  beginShutdown: () => void
}

async function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined
  try {
    return await Promise.race([promise, new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error('timed out')), ms)))])
  } finally {
    clearTimeout(timer)
  }
}

async function packageVersion(): Promise<string> {
  const pkg = JSON.parse(await readFile(path.join(PROJECT_ROOT, 'package.json'), 'utf8')) as { version?: string }
  return pkg.version ?? 'unknown'
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' })
  res.end(JSON.stringify(body))
}

/** `onEmbedded` hears of the embedded PostgreSQL as it starts, so that a second signal during the start can still stop it. */
async function start(env: Env, log: Logger, dev: boolean, onEmbedded: (starting: Promise<EmbeddedPostgres>) => void): Promise<Running> {
  // Loading the console's build needs no database: overlap it with the database's start (#17: a
  // restart is ready in seconds).
  const nextApp = next({ dev, dir: PROJECT_ROOT, hostname: env.HOST, port: env.PORT })
  const nextPrepared = nextApp.prepare()
  nextPrepared.catch(() => undefined) // awaited below; a start that fails before then must not leave it unhandled
  let embedded: EmbeddedPostgres | null = null
  if (!env.DATABASE_URL) {
    const starting = startEmbeddedPostgres({ dataDir: env.LEGATION_DATA_DIR, log: log.child({ component: 'postgres' }), resetData: env.LEGATION_RESET_DATA })
    onEmbedded(starting)
    embedded = await starting
  }
  try {
    const databaseUrl = env.DATABASE_URL ?? embedded!.url
    const migrations = await migrateDatabase({ databaseUrl, migrationsDir: path.join(PROJECT_ROOT, 'prisma', 'migrations'), log })
    log.info({ applied: migrations.applied.length, alreadyApplied: migrations.alreadyApplied.length }, 'database schema up to date')

    const secretKey = await loadSecretKey({ fromEnv: env.LEGATION_SECRET_KEY, dataDir: env.LEGATION_DATA_DIR })
    if (secretKey.source === 'generated') log.warn({ dataDir: env.LEGATION_DATA_DIR }, 'generated a new secret.key to seal private keys at rest; replicas sharing this database need the same key (LEGATION_SECRET_KEY)')
    const cipher = createValueCipher(secretKey.key)
    const root = loadEnvoyRoot()
    const db = createDb(databaseUrl)
    const bus = createEventBus((err) => log.error({ err }, 'event subscriber failed'))
    // After a dropped LISTEN connection, notifications may have been missed: reconcile at once.
    let reconcileAfterReconnect = (): void => undefined
    const events = await startPgEventListener({ databaseUrl, bus, log: log.child({ component: 'events' }), onReconnect: () => reconcileAfterReconnect() })
    // GET /metrics (docs/operations.md "Metrics and alerts"): what is sampled at each scrape, and Node's own metrics.
    const metrics = getMetrics()
    metrics.sample({ listenConnected: events.connected, pool: () => databasePoolStats(db) })
    metrics.collectProcessMetrics()
    metrics.buildInfo.set({ version: await packageVersion() }, 1)
    // The config analysis reports endpoints on these; filled in once the xDS and HTTP servers are bound.
    const controlPlanePorts: ControlPlanePort[] = []
    // A commit or rollback on this replica hands its new version to the snapshot engine started below.
    let publishActivated: OnVersionActivated = () => undefined
    const services = createServices({
      db,
      root,
      bus,
      cipher,
      bootstrapDefaults: bootstrapDefaults({ publicHost: env.LEGATION_XDS_PUBLIC_HOST, publicPort: env.LEGATION_XDS_PUBLIC_PORT, xdsPort: env.XDS_PORT }),
      rolloutStallMs: env.LEGATION_ROLLOUT_STALL_MS,
      controlPlanePorts: () => controlPlanePorts,
      onVersionActivated: (activated) => publishActivated(activated),
      auth: { ...DEFAULT_AUTH_SETTINGS, sessionIdleMs: env.LEGATION_SESSION_IDLE_MINUTES * 60_000, sessionMaxMs: env.LEGATION_SESSION_MAX_HOURS * 3600_000 },
      ...(env.LEGATION_OIDC_ISSUER
        ? {
            oidc: {
              issuer: env.LEGATION_OIDC_ISSUER,
              clientId: env.LEGATION_OIDC_CLIENT_ID!,
              clientSecret: env.LEGATION_OIDC_CLIENT_SECRET!,
              redirectUrl: env.LEGATION_OIDC_REDIRECT_URL!,
              scopes: env.LEGATION_OIDC_SCOPES,
              groupsClaim: env.LEGATION_OIDC_GROUPS_CLAIM,
              roleMap: env.LEGATION_OIDC_ROLE_MAP,
              label: env.LEGATION_OIDC_LABEL,
            },
          }
        : {}),
    })
    if (env.LEGATION_DEMO) await seedDemoFleet({ db, root, cipher, log })

    // xDS: load every fleet's snapshot first, so that no proxy is ever served an empty one.
    const replicaId = `${hostname()}-${process.pid}-${randomBytes(3).toString('hex')}`
    const cache = createSnapshotCache((err) => log.error({ err }, 'snapshot watcher failed'))
    const sync = await startSnapshotSync({ db, root, cipher, cache, bus, log: log.child({ component: 'snapshots' }) })
    publishActivated = sync.publishActivated
    reconcileAfterReconnect = () => void sync.reconcile().catch((err: unknown) => log.warn({ err }, 'reconcile after reconnect failed'))
    setStaleReplicaMs(env.LEGATION_STALE_REPLICA_MS)
    const registry = createConnectionRegistry({
      replicaId,
      heartbeatMs: replicaHeartbeatMs(env.LEGATION_STALE_REPLICA_MS),
      store: createConnectionStore(db),
      onError: (err, { failures }) => log.warn({ err, failures }, failures === 1 ? 'could not write proxy status; retrying with backoff' : 'still cannot write proxy status; retrying with backoff'),
      onRecovered: ({ failures, downMs }) => log.info({ failures, downMs }, 'proxy status writes work again'),
      onDropped: ({ connectionId, nodeId, rows, events, err }) =>
        log.error({ err, connectionId, nodeId: nodeId.slice(0, 200), rows, events }, 'the database refuses this stream’s status; it is no longer written (the others are)'),
    })
    const rollout = createRolloutRecorder({
      store: createRolloutStore(db),
      beforeWrite: () => registry.flush(),
      onError: (err, info) => log.warn({ err, ...info }, 'could not record rollout progress; keeping it in memory and retrying'),
    })
    const pruneTimer = setInterval(() => {
      pruneProxyConnections({ db }).then(
        (removed) => removed > 0 && log.info({ removed }, 'pruned old proxy connection rows'),
        (err: unknown) => log.warn({ err }, 'could not prune proxy connection rows'),
      )
      pruneRolloutRows({ db }).then(
        (removed) => removed > 0 && log.info({ removed }, 'pruned the per-proxy rollout rows of old versions (their summaries stay)'),
        (err: unknown) => log.warn({ err }, 'could not prune rollout rows'),
      )
    }, PRUNE_INTERVAL_MS)
    pruneTimer.unref()
    // Expiring changes (#12 item 4): every replica looks; the one that claims a due row acts.
    const expiryFailures = createFailureLog()
    const expiryTimer = setInterval(() => {
      settleExpiredVersions({ db, onError: (err, what) => log.error({ err, ...what }, 'could not roll back an expired version; retrying') }).then(
        (settled) => {
          const outage = expiryFailures.succeeded()
          if (outage) log.info(outage, 'expiring versions are checked again')
          settled.forEach((s) => log.info(s, s.outcome === 'rolled-back' ? 'expired version rolled back' : 'expired version was already replaced'))
        },
        (err: unknown) => {
          const report = expiryFailures.failed()
          if (report) log.warn({ err }, report === 'first' ? 'could not check expiring versions; retrying every second' : 'still cannot check expiring versions')
        },
      )
    }, EXPIRY_CHECK_MS)
    expiryTimer.unref()
    // Staged rollouts (#12 item 3): every replica tries; the one holding the advisory lock drives the stages.
    const rolloutFailures = createFailureLog()
    const rolloutTimer = setInterval(() => {
      driveStagedRollouts({ db }).then(
        (steps) => {
          const outage = rolloutFailures.succeeded()
          if (outage) log.info(outage, 'staged rollouts are driven again')
          steps.forEach((s) => log.info(s, `staged rollout: ${s.step}`))
        },
        (err: unknown) => {
          const report = rolloutFailures.failed()
          if (report) log.warn({ err }, report === 'first' ? 'could not drive staged rollouts; retrying every second' : 'still cannot drive staged rollouts')
        },
      )
    }, ROLLOUT_DRIVER_MS)
    rolloutTimer.unref()
    const controlPlaneId = `legation/${replicaId}`
    const resolveFleet = (node: { id: string; cluster: string; metadata?: unknown }) =>
      matchFleet({ id: node.id, cluster: node.cluster, metadata: nodeMetadataStrings(node.metadata) }, { hasFleet: sync.hasFleet, selectors: sync.selectors(), defaultFleet: env.LEGATION_DEFAULT_FLEET })
    const tls = await loadXdsCredentials({
      mode: env.LEGATION_XDS_TLS,
      certFile: env.LEGATION_XDS_TLS_CERT,
      keyFile: env.LEGATION_XDS_TLS_KEY,
      clientCaFile: env.LEGATION_XDS_TLS_CLIENT_CA,
      identity: env.LEGATION_XDS_IDENTITY,
      dataDir: env.LEGATION_DATA_DIR,
      serverNames: ['localhost', '127.0.0.1', '::1', hostname()],
    })
    if (tls.devCaDir) log.warn({ dir: tls.devCaDir }, 'xDS TLS uses a generated development CA; give proxies certificates from it, or set LEGATION_XDS_TLS_CERT/KEY/CLIENT_CA')
    const xds = await startXdsServer({
      credentials: tls.credentials,
      ...(tls.authorize ? { authorize: tls.authorize } : {}),
      host: env.XDS_HOST,
      port: env.XDS_PORT,
      deps: {
        cache,
        registry,
        rollout,
        log: log.child({ component: 'xds' }),
        controlPlaneId,
        resolveFleet,
        ...(env.LEGATION_XDS_AUTH === 'token' ? { authenticateProxy: (authorization: string | undefined, fleet: string) => checkProxyToken(services.auth, authorization, fleet) } : {}),
      },
      maxConnectionAgeMs: env.LEGATION_XDS_MAX_CONNECTION_AGE_MS,
      maxConnectionAgeGraceMs: env.LEGATION_XDS_MAX_CONNECTION_AGE_GRACE_MS,
      maxNewStreamsPerSecond: env.LEGATION_XDS_MAX_NEW_STREAMS_PER_SECOND,
      clientStatus: async (request, authorization) => answerClientStatus({ services: services.as(await requireCsdsAdmin(services.auth, authorization)), root, request }),
    })
    const rest: RestGatewayDeps = { root, cache, resolveFleet, controlPlaneId, maxBodyBytes: env.LEGATION_MAX_BODY_BYTES, restAuth: env.LEGATION_XDS_REST_AUTH, authenticateToken: (secret) => services.auth.authenticateToken(secret) }

    await nextPrepared
    const handle = nextApp.getRequestHandler()
    setRuntime({ services, bus, xds: { snapshotStatus: sync.status, streams: xds.sessions }, maxBodyBytes: env.LEGATION_MAX_BODY_BYTES, eventsHeartbeatMs: env.LEGATION_EVENTS_HEARTBEAT_MS, log })

    if (env.LEGATION_BOOTSTRAP_TOKEN && (await services.auth.ensureBootstrapToken(env.LEGATION_BOOTSTRAP_TOKEN))) log.info('stored LEGATION_BOOTSTRAP_TOKEN as an admin API token')
    const setupToken = await services.auth.prepareSetup()
    const securityHeaders = browserSecurityHeaders(dev)
    // API latency is labelled by route pattern, never by the raw path (server/http/route-pattern.ts).
    const routePatterns = toRoutePatterns(await listApiRoutePatterns(path.join(PROJECT_ROOT, 'app', 'api')))

    let shuttingDown = false
    // Optional HTTPS for the console and API from certificate files (otherwise a TLS-terminating proxy).
    const https = env.LEGATION_HTTPS_CERT && env.LEGATION_HTTPS_KEY ? { cert: await readFile(env.LEGATION_HTTPS_CERT), key: await readFile(env.LEGATION_HTTPS_KEY) } : null
    const scheme = https ? 'https' : 'http'
    const handler = (req: IncomingMessage, res: ServerResponse): void => {
      const url = req.url ?? '/'
      // Next and the session cookie's Secure flag learn the scheme from this header; only we set it when we terminate TLS.
      if (https) {
        req.headers['x-forwarded-proto'] = 'https'
        res.setHeader('strict-transport-security', 'max-age=31536000')
      }
      for (const [name, value] of securityHeaders) res.setHeader(name, value)
      // Who is on the other end of the socket, for sign-in throttling; a client cannot set it.
      req.headers[CLIENT_ADDRESS_HEADER] = req.socket.remoteAddress ?? 'unknown'
      // Where a signed-out visitor is sent back to after sign-in (server/http/console-session.ts).
      req.headers[REQUEST_PATH_HEADER] = url
      if (url === '/healthz') return sendJson(res, 200, { status: 'ok' })
      if (url === '/metrics' || url.startsWith('/metrics?')) {
        serveMetrics(req, res, { token: env.LEGATION_METRICS_TOKEN }).catch((err: unknown) => {
          log.error({ err }, 'could not render metrics')
          if (!res.headersSent) sendJson(res, 500, { error: { code: 'INTERNAL', message: 'internal error', issues: [] } })
        })
        return
      }
      if (url === '/readyz') {
        if (shuttingDown) return sendJson(res, 503, { status: 'shutting down' })
        withTimeout(db.$queryRaw`SELECT 1`, READY_CHECK_TIMEOUT_MS)
          .then(() => sendJson(res, 200, { status: 'ready', database: 'ok', migrations: 'done', events: events.connected() ? 'ok' : 'reconnecting' }))
          .catch((err: unknown) => {
            // The raw error names the database host and port: log it, never answer it (#16 item 13).
            log.debug({ err }, 'readiness check: database unreachable')
            sendJson(res, 503, { status: 'not ready', database: 'unreachable' })
          })
        return
      }
      if (isApiPath(url)) {
        observeApiRequest(req, res, routePatterns)
        // Before Next: it would answer a dot segment with a redirect to the parent path (#16 item 4).
        const bad = checkApiPath(url)
        if (bad) return sendJson(res, bad.status, { error: { code: bad.code, message: bad.message, issues: [{ path: 'path', message: bad.message }] } })
        // Next's own 404 page and empty 405s become errors in the API's shape.
        keepApiErrorsInShape(res, req.method ?? 'GET', url.split('?')[0]!)
      }
      if (url.startsWith('/v3/discovery:')) {
        handleRestDiscovery(rest, req, res).catch((err: unknown) => {
          log.error({ err, url }, 'REST discovery failed')
          if (!res.headersSent) sendJson(res, 500, { error: { code: 'INTERNAL', message: 'internal error', issues: [] } })
        })
        return
      }
      handle(req, res).catch((err: unknown) => {
        log.error({ err, url }, 'request failed')
        if (!res.headersSent) sendJson(res, 500, { error: { code: 'INTERNAL', message: 'internal error', issues: [] } })
      })
    }
    const http: Server = https ? createHttpsServer(https, handler) : createServer(handler)
    await new Promise<void>((resolve, reject) => {
      http.once('error', reject)
      http.listen(env.PORT, env.HOST, () => resolve())
    })
    const { port } = http.address() as AddressInfo
    controlPlanePorts.push({ port: xds.port, what: 'xDS' }, { port, what: 'HTTP' })
    if (env.LEGATION_XDS_PUBLIC_PORT !== undefined && env.LEGATION_XDS_PUBLIC_PORT !== xds.port) controlPlanePorts.push({ port: env.LEGATION_XDS_PUBLIC_PORT, what: 'public xDS' })
    const consoleUrl = `${scheme}://${env.HOST === '0.0.0.0' ? '127.0.0.1' : env.HOST}:${port}`
    // First start (no user yet): the one way in is this token, printed once, as Jupyter and Argo CD do.
    if (setupToken) log.warn({ setupToken, setupUrl: `${consoleUrl}/setup` }, `No user exists yet: open ${consoleUrl}/setup and create the first admin with the setup token ${setupToken}`)
    log.info({ http: `${scheme}://${env.HOST}:${port}`, port, xdsPort: xds.port, dev, database: embedded ? `embedded (${env.LEGATION_DATA_DIR})` : 'DATABASE_URL' }, `Legation is ready: console at ${consoleUrl}`)
    return { env, log, http, db, events, sync, registry, rollout, xds, embedded, isShuttingDown: () => shuttingDown, beginShutdown: () => void (shuttingDown = true) }
  } catch (err) {
    await embedded?.stop()
    throw err
  }
}

/**
 * Graceful shutdown: /readyz fails at once, no new connections, open ones get the drain period, then
 * everything is closed and the embedded Postgres is stopped.
 */
async function stop(running: Running, reason: string): Promise<void> {
  const { log, http, env } = running
  running.beginShutdown()
  log.info({ reason, drainMs: env.LEGATION_SHUTDOWN_DRAIN_MS, streams: running.xds.sessions() }, `shutting down (${reason})`)
  const closed = new Promise<void>((resolve) => http.close(() => resolve()))
  http.closeIdleConnections()
  await Promise.all([
    running.xds.shutdown(env.LEGATION_SHUTDOWN_DRAIN_MS),
    Promise.race([closed, new Promise((r) => setTimeout(r, env.LEGATION_SHUTDOWN_DRAIN_MS))]),
  ])
  http.closeAllConnections()
  await closed
  setRuntime(undefined)
  running.sync.stop()
  await running.sync.idle()
  await running.registry.stop('Legation shut down')
  await running.rollout.stop()
  await running.events.stop()
  await running.db.$disconnect()
  await running.embedded?.stop()
  log.info('stopped')
}

/** What ends Legation: Ctrl-C, `kill` / `docker stop`, and closing the terminal. */
const STOP_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const
/**
 * A terminal's Ctrl-C reaches every process of the foreground group, and npm (and node --watch in
 * `npm run dev`) relay it to their child as well, so one Ctrl-C arrives here two or three times
 * within milliseconds. Those are one request; a signal after this window is a second one (#17).
 */
const REPEAT_WINDOW_MS = 1000
/** How often we check that the process that started us (npm, a shell, a test) is still there. */
const PARENT_CHECK_MS = 500
/** Past the drain, how long a graceful stop may take before the fast path takes over. */
const GRACEFUL_STOP_MARGIN_MS = 15_000
/** Bound on the fast path; the embedded PostgreSQL's own stop is bounded below this (fast, then immediate). */
const FAST_STOP_TIMEOUT_MS = 20_000

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms))

async function main(): Promise<void> {
  let env: Env
  try {
    env = parseEnv(process.env)
  } catch (err) {
    process.stderr.write(`legation: ${(err as Error).message}\n`)
    process.exit(2)
  }
  const dev = process.argv.includes('--dev')
  const log = createLogger(env.LOG_LEVEL)
  let running: Running | null = null
  let embedded: Promise<EmbeddedPostgres> | null = null
  let stopRequestedAt: number | null = null
  let stopReason = ''
  let exiting = false

  /**
   * The fast path (a second signal, a stuck graceful stop, a crash): nothing is drained, but the
   * embedded PostgreSQL is still stopped, even one that is only starting, so none is left behind.
   */
  const exitNow = async (reason: string): Promise<void> => {
    if (exiting) return
    exiting = true
    log.warn({ reason }, `${reason}: stopping the embedded PostgreSQL and exiting now`)
    const stopped = (embedded ?? Promise.resolve(null)).then((pg) => pg?.stop(), () => undefined)
    await Promise.race([stopped, sleep(FAST_STOP_TIMEOUT_MS)]).catch((err: unknown) => log.error({ err }, 'could not stop the embedded PostgreSQL'))
    log.info('stopped without draining')
    process.exit(1)
  }
  const beginStop = (running: Running, reason: string): void => {
    stop(running, reason).then(
      () => process.exit(0),
      (err: unknown) => {
        log.error({ err }, 'shutdown failed')
        void exitNow('shutdown failed')
      },
    )
  }
  // A parent that died (npm or a terminal killed with SIGKILL) sends no signal: we are reparented.
  const parentPid = process.ppid
  const parentWatch = setInterval(() => process.ppid !== parentPid && requestStop(`parent process ${parentPid} exited`), PARENT_CHECK_MS)
  parentWatch.unref()
  const requestStop = (reason: string): void => {
    const now = Date.now()
    if (stopRequestedAt === null) {
      stopRequestedAt = now
      stopReason = reason
      clearInterval(parentWatch)
      setTimeout(() => void exitNow('graceful shutdown did not finish in time'), env.LEGATION_SHUTDOWN_DRAIN_MS + GRACEFUL_STOP_MARGIN_MS).unref()
      if (running) beginStop(running, reason)
      else log.info({ reason }, `${reason} while starting: stopping as soon as the start completes`)
      return
    }
    if (now - stopRequestedAt < REPEAT_WINDOW_MS) return log.debug({ reason }, 'repeated signal ignored (relayed by a parent process)')
    void exitNow(`second signal (${reason})`)
  }
  // Before anything starts: a signal during the start must reach this handler, not Node's default.
  for (const signal of STOP_SIGNALS) process.on(signal, () => requestStop(signal))
  process.on('uncaughtException', (err) => {
    log.fatal({ err }, 'uncaught exception')
    void exitNow('uncaught exception')
  })

  try {
    running = await start(env, log, dev, (starting) => (embedded = starting))
  } catch (err) {
    log.fatal({ err }, `Legation could not start: ${(err as Error).message}`)
    process.exit(1)
  }
  if (stopRequestedAt !== null && !exiting) beginStop(running, stopReason)
}

void main()
