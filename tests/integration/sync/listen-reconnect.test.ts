import { mkdtemp, rm } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import type * as grpc from '@grpc/grpc-js'
import pg from 'pg'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import { callEcho, startEchoBackend, type EchoBackend } from '../../support/echo-backend'
import { scrapeMetrics, valueOf } from '../../support/metrics'
import { setupTestServer } from '../../support/test-server'
import { apiClient, type ApiClient } from '../../support/http'
import { startServer, type ServerHandle } from '../../support/server'
import { waitFor } from '../../support/wait-for'
import { createEchoFleet, createXdsEchoClient, echoFleetResources } from '../../support/xds-client'
import { commitDraft, putEchoDraft } from '../../support/xds-fleet'

/**
 * The replica's LISTEN connection (server/sync/pg-events.ts) is what carries other replicas'
 * commits to its snapshot engine (its own it serves at once). Here it is killed from the database
 * side, as a failover, a pooler restart or an idle-connection reaper would: the listener must log the
 * loss, reconnect, and reconcile what it missed (main.ts wires `onReconnect` to an immediate
 * reconcile), so a connected proxy still gets every commit, including one made through another
 * replica while nobody was listening.
 */
const FLEET = 'listen-fleet'
const NODE_ID = 'listen-client'
const LOST = 'event listener lost its database connection; reconnecting with backoff'
const RECONNECTED = 'event listener reconnected'

const t = setupTestServer('sync_listen')
let backends: EchoBackend[] = []
let client: grpc.Client
/** A connection of the test's own, to the maintenance database (a database cannot refuse connections to itself from inside). */
let admin: pg.Client
/** A second replica on the same database, whose commits the first hears of only through NOTIFY. */
let replica: { server: ServerHandle; api: ApiClient; dataDir: string } | null = null

beforeAll(async () => {
  backends = await Promise.all(['backend-1', 'backend-2', 'backend-3'].map((n) => startEchoBackend(n)))
  admin = new pg.Client({ connectionString: inject('pgAdminUrl'), application_name: 'listen-reconnect-test' })
  await admin.connect()
})

afterAll(async () => {
  client?.close()
  if (replica) {
    expect(await replica.server.stop(), 'the second replica exits 0 on SIGTERM').toBe(0)
    await rm(replica.dataDir, { recursive: true, force: true })
  }
  await admin?.query(`ALTER DATABASE "${t.db.name}" ALLOW_CONNECTIONS true`).catch(() => undefined)
  await admin?.end()
  await Promise.all(backends.map((b) => b.stop()))
})

/**
 * The server's LISTEN backend. pg-events.ts sets no application_name, so it is found by what it
 * ran last (`LISTEN legation_events`), in this test file's database only.
 */
async function listenBackends(): Promise<number[]> {
  const { rows } = await admin.query<{ pid: number }>("SELECT pid FROM pg_stat_activity WHERE datname = $1 AND query ILIKE 'LISTEN%'", [t.db.name])
  return rows.map((r) => r.pid)
}

const logLines = (msg: string) => t.server.logs().filter((l) => l['msg'] === msg)

const waitForBackend = (backend: string, timeoutMs = 15_000): Promise<true> =>
  waitFor(
    async () => {
      expect(await callEcho(client, 1000)).toBe(backend)
      return true as const
    },
    { what: `calls reach ${backend}`, timeoutMs },
  )

/** What this replica serves for the fleet (GET /fleets/{fleet} → serving), next to the fleet's active version. */
async function servingAndActive(): Promise<{ serving: number | null; active: number | null }> {
  const res = await t.api<{ activeVersion: { number: number } | null; serving: { servingVersion: number | null } }>('GET', `/api/v1/fleets/${FLEET}`)
  expect(res.status).toBe(200)
  return { serving: res.body.serving.servingVersion, active: res.body.activeVersion?.number ?? null }
}

describe('the LISTEN connection is killed', () => {
  it('serves a client before anything breaks', async () => {
    expect(await createEchoFleet(t.api, FLEET, [backends[0]!])).toBe(1)
    client = createXdsEchoClient({ xdsPort: t.xdsPort, nodeId: NODE_ID, fleet: FLEET, target: 'echo' })
    expect(await callEcho(client)).toBe('backend-1')
    expect(await listenBackends()).toHaveLength(1)
  })

  it('logs the loss, LISTENs again on a new connection, and the next commit reaches the client', async ({ annotate }) => {
    const [pid] = await listenBackends()
    const { rows } = await admin.query<{ killed: boolean }>('SELECT pg_terminate_backend($1) AS killed', [pid])
    expect(rows[0]?.killed).toBe(true)
    const killed = performance.now()

    const lost = await waitFor(() => logLines(LOST)[0], { what: 'the loss logged' })
    expect(lost).toMatchObject({ level: 40, component: 'events' })
    expect(String(lost['err'])).toMatch(/terminat/i)
    const reconnected = await waitFor(() => logLines(RECONNECTED)[0], { what: 'the reconnect logged' })
    expect(reconnected).toMatchObject({ level: 30, component: 'events', attempts: 1 })
    expect(reconnected['downMs']).toEqual(expect.any(Number))
    await annotate(`LISTEN backend killed → reconnected (logged downMs ${String(reconnected['downMs'])}): ${Math.round(performance.now() - killed)} ms`)
    const now = await waitFor(async () => {
      const pids = await listenBackends()
      return pids.length === 1 && pids[0] !== pid ? pids : null
    })
    expect(now).not.toContain(pid)

    await putEchoDraft(t.api, FLEET, echoFleetResources([backends[1]!]))
    expect(await commitDraft(t.api, FLEET, 'after the reconnect')).toBe(2)
    await waitForBackend('backend-2')
  })

  it('repairs a commit made through another replica while nobody was listening, once the listener is back (reconnect + reconcile)', async ({ annotate }) => {
    const dataDir = await mkdtemp(path.join(os.tmpdir(), 'legation-listen-b-'))
    const server = await startServer({ env: { DATABASE_URL: t.db.url, LEGATION_DATA_DIR: dataDir } })
    replica = { server, api: apiClient(server.baseUrl), dataDir }
    // The server also reconciles every 30 s (snapshot-sync reconcileMs). Should that tick fall
    // between the missed commit and the reconnect, the repair would not be the reconnect's: then
    // the scenario runs once more, a few seconds later, where no other tick can fall.
    const first = await commitWhileNobodyListens(3, 'backend-3')
    await annotate(`first try: repaired by ${first.repairedBy}, ${first.ms} ms after connections were allowed again`)
    if (first.repairedBy === 'reconnect') return
    const second = await commitWhileNobodyListens(4, 'backend-1')
    await annotate(`second try: repaired by ${second.repairedBy}, ${second.ms} ms after connections were allowed again`)
    expect(second.repairedBy).toBe('reconnect')
  })
})

/**
 * Keeps the listeners out (every new connection to this database refused, superusers too; the
 * APIs' pools keep the connections they have), kills both replicas' LISTEN connections, commits
 * `version` through the second replica, lets connections in again, and waits until the client (on
 * the first) is on it. Says what published the version on the first replica: the reconcile after the
 * reconnect, or (if before it) the periodic one.
 */
async function commitWhileNobodyListens(version: number, backend: string): Promise<{ repairedBy: 'reconnect' | 'periodic reconcile'; ms: number }> {
  const other = replica!
  // Warm the APIs' connection pools, so they have connections open when new ones are refused.
  await Promise.all(Array.from({ length: 6 }, () => servingAndActive()))
  await Promise.all(Array.from({ length: 6 }, () => other.api('GET', `/api/v1/fleets/${FLEET}`)))
  const lostBefore = logLines(LOST).length
  const reconnectedBefore = logLines(RECONNECTED).length
  const target = backends.find((b) => b.name === backend)!

  await admin.query(`ALTER DATABASE "${t.db.name}" ALLOW_CONNECTIONS false`)
  try {
    for (const pid of await listenBackends()) await admin.query('SELECT pg_terminate_backend($1)', [pid])
    await waitFor(() => logLines(LOST).length > lostBefore, { what: 'the loss logged' })
    expect(await listenBackends()).toEqual([])

    // The commit's NOTIFY goes to nobody: no connection LISTENs on this database now.
    await putEchoDraft(other.api, FLEET, echoFleetResources([target]))
    expect(await commitDraft(other.api, FLEET, `while nobody listened (${version})`)).toBe(version)
    expect(await listenBackends()).toEqual([])
    expect(logLines(RECONNECTED)).toHaveLength(reconnectedBefore)
    // GET /metrics says so while it lasts (an alert's input: docs/operations.md "Metrics and alerts").
    expect(valueOf((await scrapeMetrics(t.server.baseUrl)).samples, 'legation_database_listen_up')).toBe(0)
    // Unless the periodic reconcile ran just now, the replica has not heard of the version.
    const state = await servingAndActive()
    expect(state.active).toBe(version)
    expect([version - 1, version]).toContain(state.serving)
  } finally {
    await admin.query(`ALTER DATABASE "${t.db.name}" ALLOW_CONNECTIONS true`)
  }
  const allowed = performance.now()

  const reconnected = await waitFor(() => logLines(RECONNECTED)[reconnectedBefore], { what: 'the reconnect logged', timeoutMs: 15_000 })
  expect(reconnected['attempts']).toBeGreaterThanOrEqual(1)
  const metrics = (await scrapeMetrics(t.server.baseUrl)).samples
  expect(valueOf(metrics, 'legation_database_listen_up')).toBe(1)
  expect(valueOf(metrics, 'legation_database_listen_reconnects_total')).toBe(logLines(RECONNECTED).length)
  await waitForBackend(backend)
  const ms = Math.round(performance.now() - allowed)
  expect(await servingAndActive()).toEqual({ serving: version, active: version })

  const logs = t.server.logs()
  const publishedAt = logs.findIndex((l) => l['msg'] === 'snapshot published' && l['fleet'] === FLEET && l['version'] === version)
  expect(publishedAt, `version ${version} published`).toBeGreaterThanOrEqual(0)
  return { repairedBy: publishedAt > logs.indexOf(reconnected) ? 'reconnect' : 'periodic reconcile', ms }
}
