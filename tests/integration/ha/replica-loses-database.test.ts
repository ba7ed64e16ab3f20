import type * as grpc from '@grpc/grpc-js'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestDatabase, type TestDatabase } from '../../support/database'
import { callEcho, startEchoBackend, type EchoBackend } from '../../support/echo-backend'
import { scrapeMetrics, sumOf } from '../../support/metrics'
import { type Replica, replicaNamed, startReplicas, stopReplicas, waitForEcho, waitForSynced, waitUntilServing } from '../../support/replicas'
import { startTcpBalancer, startTcpRelay, viaRelay, type TcpBalancer, type TcpRelay } from '../../support/tcp-relay'
import { waitFor } from '../../support/wait-for'
import { createEchoFleet, createXdsEchoClient, echoFleetResources } from '../../support/xds-client'
import { commitDraft, putEchoDraft, type ProxyView } from '../../support/xds-fleet'

/**
 * #13 item 3: one of two replicas loses its database (its own path to Postgres is cut, the other's
 * is not). It fails /readyz, so the balancer in front of the xDS port (a Kubernetes Service, here a
 * TCP balancer that probes /readyz) sends new proxies to the other replica; it keeps its open
 * streams and serves them its last good snapshot; when the database is back it is ready again and
 * brings its proxies up to date on the same streams.
 */
const FLEET = 'ha-db-loss'

let db: TestDatabase
let relays: TcpRelay[] = []
let replicas: Replica[] = []
let a: Replica
let b: Replica
let balancer: TcpBalancer
let backend1: EchoBackend
let backend2: EchoBackend
const clients = new Map<string, grpc.Client>()

beforeAll(async () => {
  db = await createTestDatabase('ha_replica_db_loss')
  const target = new URL(db.url)
  relays = await Promise.all([0, 1].map(() => startTcpRelay({ host: target.hostname, port: Number(target.port || 5432) })))
  const relayOf = { a: relays[0]!, b: relays[1]! }
  ;[replicas, backend1, backend2] = await Promise.all([
    startReplicas(['a', 'b'], (name) => ({ DATABASE_URL: viaRelay(db.url, relayOf[name as 'a' | 'b']), LEGATION_DEMO: 'false' })),
    startEchoBackend('backend-1'),
    startEchoBackend('backend-2'),
  ])
  ;[a, b] = replicas as [Replica, Replica]
  balancer = await startTcpBalancer(
    replicas.map((r) => ({ port: r.xdsPort, readyUrl: `${r.baseUrl}/readyz` })),
    { hosts: 3 },
  )
})

afterAll(async () => {
  for (const client of clients.values()) client.close()
  await balancer?.close()
  await Promise.all([backend1?.stop(), backend2?.stop()])
  const codes = await stopReplicas(replicas)
  for (const relay of relays) await relay.close()
  await db?.drop()
  expect(codes).toEqual([0, 0])
})

const connect = (nodeId: string, xdsPort: number, xdsHost?: string): void =>
  void clients.set(nodeId, createXdsEchoClient({ xdsPort, ...(xdsHost ? { xdsHost } : {}), nodeId, fleet: FLEET, target: 'echo' }))

const waitForBackend = (nodeId: string, backend: string): Promise<true> => waitForEcho(clients.get(nodeId)!, backend, nodeId)
const syncedOn = (nodeId: string, version: number): Promise<ProxyView> => waitForSynced(a.api, nodeId, version)

const readyz = async (r: Replica): Promise<{ status: number; body: unknown }> => {
  const res = await fetch(`${r.baseUrl}/readyz`)
  return { status: res.status, body: await res.json() }
}

/** ADS streams of the fleet that the replica serves now, from its own /metrics (which needs no database). */
const streamsServed = async (r: Replica): Promise<number> => sumOf((await scrapeMetrics(r.baseUrl)).samples, 'legation_xds_streams', { fleet: FLEET })

describe('a replica that loses its database', () => {
  let before: ProxyView

  it('serves a proxy connected to it while both replicas have the database', async () => {
    expect(await createEchoFleet(a.api, FLEET, [backend1])).toBe(1)
    await waitUntilServing(replicas, FLEET, 1)
    connect('on-b', b.xdsPort)
    await waitForBackend('on-b', 'backend-1')
    before = await syncedOn('on-b', 1)
    expect(replicaNamed(replicas, before.replicaId)).toBe('b')
  })

  it('fails /readyz, gets no new proxies, and keeps serving its open stream the last good snapshot', async () => {
    await relays[1]!.cut()
    await waitFor(async () => (await readyz(b)).status === 503, { what: 'B not ready', timeoutMs: 15_000 })
    expect((await readyz(b)).body).toEqual({ status: 'not ready', database: 'unreachable' })
    expect((await readyz(a)).status).toBe(200)
    await balancer.waitUntil(b.xdsPort, false)

    // A proxy that connects now, through the shared address, is served by A.
    connect('new-during-loss', balancer.port, balancer.hosts[0])
    await waitForBackend('new-during-loss', 'backend-1')
    expect(replicaNamed(replicas, (await syncedOn('new-during-loss', 1)).replicaId)).toBe('a')

    // A commit through A reaches A's proxies; B cannot read it and keeps serving version 1 to its
    // proxy, on the same stream (B's own /metrics count it).
    await putEchoDraft(a.api, FLEET, echoFleetResources([backend2]))
    expect(await commitDraft(a.api, FLEET, 'to backend 2 while B has no database')).toBe(2)
    await waitForBackend('new-during-loss', 'backend-2')
    expect(await callEcho(clients.get('on-b')!)).toBe('backend-1')
    expect(await streamsServed(b)).toBe(1)
    expect((await readyz(b)).status).toBe(503)
  })

  it('is ready again when the database is back, and brings its proxy to the active version on the same stream', async () => {
    await relays[1]!.restore()
    await waitFor(async () => (await readyz(b)).status === 200, { what: 'B ready again', timeoutMs: 20_000 })
    await balancer.waitUntil(b.xdsPort, true)
    await waitForBackend('on-b', 'backend-2')
    const after = await syncedOn('on-b', 2)
    expect(after.id).toBe(before.id)
    expect(replicaNamed(replicas, after.replicaId)).toBe('b')

    // New proxies go to B again (round robin over the ready replicas).
    const sentToB = balancer.connectionsTo(b.xdsPort)
    connect('late-1', balancer.port, balancer.hosts[1])
    connect('late-2', balancer.port, balancer.hosts[2])
    await Promise.all(['late-1', 'late-2'].map((n) => waitForBackend(n, 'backend-2')))
    expect(balancer.connectionsTo(b.xdsPort)).toBeGreaterThan(sentToB)
  })
})
