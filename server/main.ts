import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import next from 'next'
import { loadEnvoyRoot } from '../proto/loader'
import { parseEnv, type Env } from './env'
import { createEventBus } from './events/bus'
import { createLogger, type Logger } from './log'
import { setRuntime } from './runtime'
import { createServices } from './services'
import { createDb, type Db } from './store/db'
import { startEmbeddedPostgres, type EmbeddedPostgres } from './store/embedded-postgres'
import { migrateDatabase } from './store/migrate'
import { seedDemoFleet } from './store/seed-demo'
import { startPgEventListener, type PgEventListener } from './sync/pg-events'
import { hostname } from 'node:os'
import { randomBytes } from 'node:crypto'
import { createSnapshotCache } from './cache/snapshot-cache'
import { matchFleet, nodeMetadataStrings } from './config/fleet-match'
import { createConnectionRegistry, type ConnectionRegistry } from './status/registry'
import { createConnectionStore, pruneProxyConnections } from './store/proxies'
import { startSnapshotSync, type SnapshotSync } from './sync/snapshot-sync'
import { startXdsServer, type XdsServer } from './transport/grpc/xds-server'
import { handleRestDiscovery, type RestGatewayDeps } from './transport/rest/discovery-gateway'
import { createValueCipher, loadSecretKey } from './store/secret-key'
import { answerClientStatus } from './services/client-status'
import { loadXdsCredentials } from './tls/xds-credentials'

/**
 * Composition root: the only place that reads the environment and wires Postgres (embedded or
 * DATABASE_URL), migrations, the Next.js handler, the HTTP server and signals.
 */
const PROJECT_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const READY_CHECK_TIMEOUT_MS = 2000
const PRUNE_INTERVAL_MS = 10 * 60_000

type Running = {
  env: Env
  log: Logger
  http: Server
  db: Db
  events: PgEventListener
  sync: SnapshotSync
  registry: ConnectionRegistry
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

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' })
  res.end(JSON.stringify(body))
}

async function start(env: Env, log: Logger, dev: boolean): Promise<Running> {
  const embedded = env.DATABASE_URL ? null : await startEmbeddedPostgres({ dataDir: env.LEGATION_DATA_DIR, log: log.child({ component: 'postgres' }) })
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
    const services = createServices({ db, root, bus, cipher })
    if (env.LEGATION_DEMO) await seedDemoFleet({ db, root, cipher, log })

    // xDS: load every fleet's snapshot first, so that no proxy is ever served an empty one.
    const replicaId = `${hostname()}-${process.pid}-${randomBytes(3).toString('hex')}`
    const cache = createSnapshotCache((err) => log.error({ err }, 'snapshot watcher failed'))
    const sync = await startSnapshotSync({ db, root, cipher, cache, bus, log: log.child({ component: 'snapshots' }) })
    reconcileAfterReconnect = () => void sync.reconcile().catch((err: unknown) => log.warn({ err }, 'reconcile after reconnect failed'))
    const registry = createConnectionRegistry({
      replicaId,
      store: createConnectionStore(db),
      onError: (err) => log.warn({ err }, 'could not write proxy status; will retry'),
    })
    const pruneTimer = setInterval(() => {
      pruneProxyConnections({ db }).then(
        (removed) => removed > 0 && log.info({ removed }, 'pruned old proxy connection rows'),
        (err: unknown) => log.warn({ err }, 'could not prune proxy connection rows'),
      )
    }, PRUNE_INTERVAL_MS)
    pruneTimer.unref()
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
      deps: { cache, registry, log: log.child({ component: 'xds' }), controlPlaneId, resolveFleet },
      maxConnectionAgeMs: env.LEGATION_XDS_MAX_CONNECTION_AGE_MS,
      maxConnectionAgeGraceMs: env.LEGATION_XDS_MAX_CONNECTION_AGE_GRACE_MS,
      maxNewStreamsPerSecond: env.LEGATION_XDS_MAX_NEW_STREAMS_PER_SECOND,
      clientStatus: (request) => answerClientStatus({ services, root, request }),
    })
    const rest: RestGatewayDeps = { root, cache, resolveFleet, controlPlaneId, maxBodyBytes: env.LEGATION_MAX_BODY_BYTES }

    const nextApp = next({ dev, dir: PROJECT_ROOT, hostname: env.HOST, port: env.PORT })
    await nextApp.prepare()
    const handle = nextApp.getRequestHandler()
    setRuntime({ services, bus, xds: { snapshotStatus: sync.status, streams: xds.sessions }, maxBodyBytes: env.LEGATION_MAX_BODY_BYTES, log })

    let shuttingDown = false
    const http = createServer((req: IncomingMessage, res: ServerResponse) => {
      const url = req.url ?? '/'
      if (url === '/healthz') return sendJson(res, 200, { status: 'ok' })
      if (url === '/readyz') {
        if (shuttingDown) return sendJson(res, 503, { status: 'shutting down' })
        withTimeout(db.$queryRaw`SELECT 1`, READY_CHECK_TIMEOUT_MS)
          .then(() => sendJson(res, 200, { status: 'ready', database: 'ok', migrations: 'done', events: events.connected() ? 'ok' : 'reconnecting' }))
          .catch((err: Error) => sendJson(res, 503, { status: 'not ready', database: err.message }))
        return
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
    })
    await new Promise<void>((resolve, reject) => {
      http.once('error', reject)
      http.listen(env.PORT, env.HOST, () => resolve())
    })
    const { port } = http.address() as AddressInfo
    log.info({ http: `http://${env.HOST}:${port}`, port, xdsPort: xds.port, dev, database: embedded ? `embedded (${env.LEGATION_DATA_DIR})` : 'DATABASE_URL' }, `Legation is ready: console at http://${env.HOST === '0.0.0.0' ? '127.0.0.1' : env.HOST}:${port}`)
    return { env, log, http, db, events, sync, registry, xds, embedded, isShuttingDown: () => shuttingDown, beginShutdown: () => void (shuttingDown = true) }
  } catch (err) {
    await embedded?.stop()
    throw err
  }
}

/**
 * Graceful shutdown: /readyz fails at once, no new connections, open ones get the drain period, then
 * everything is closed and the embedded Postgres is stopped.
 */
async function stop(running: Running): Promise<void> {
  const { log, http, env } = running
  running.beginShutdown()
  log.info({ drainMs: env.LEGATION_SHUTDOWN_DRAIN_MS, streams: running.xds.sessions() }, 'shutting down')
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
  await running.events.stop()
  await running.db.$disconnect()
  await running.embedded?.stop()
  log.info('stopped')
}

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
  let running: Running
  try {
    running = await start(env, log, dev)
  } catch (err) {
    log.fatal({ err }, `Legation could not start: ${(err as Error).message}`)
    process.exit(1)
  }
  let signalled = false
  const onSignal = (signal: NodeJS.Signals): void => {
    if (signalled) {
      log.warn({ signal }, 'second signal: exiting now')
      process.exit(1)
    }
    signalled = true
    stop(running).then(
      () => process.exit(0),
      (err: unknown) => {
        log.error({ err }, 'shutdown failed')
        process.exit(1)
      },
    )
  }
  process.on('SIGTERM', onSignal)
  process.on('SIGINT', onSignal)
}

void main()
