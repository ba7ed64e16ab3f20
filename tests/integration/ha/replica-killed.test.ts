import type * as grpc from '@grpc/grpc-js'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestDatabase, type TestDatabase } from '../../support/database'
import { startEchoBackend, type EchoBackend } from '../../support/echo-backend'
import { type Replica, replicaNamed, startReplicas, stopReplicas, waitForEcho, waitForSynced, waitUntilServing } from '../../support/replicas'
import { startTcpBalancer, type TcpBalancer } from '../../support/tcp-relay'
import { waitFor } from '../../support/wait-for'
import { createEchoFleet, createXdsEchoClient, echoFleetResources } from '../../support/xds-client'
import { commitDraft, getProxy, putEchoDraft, type ProxyView } from '../../support/xds-fleet'

/**
 * #13 item 3: three replicas on one database behind one xDS address (a TCP balancer that, like a
 * Kubernetes Service, sends each new connection to the next ready replica). A commit through one
 * replica reaches the proxies on all three; when one replica is killed (SIGKILL: no goodbye, its
 * status rows stay "connected"), its proxies reconnect through the same address to the others and
 * converge, every replica's API shows them on their new replica, and their streams on the killed
 * one as disconnected once it has been silent for the stale-replica window.
 */
const FLEET = 'ha-failover'
const NODES = ['proxy-0', 'proxy-1', 'proxy-2', 'proxy-3', 'proxy-4', 'proxy-5']
/** LEGATION_STALE_REPLICA_MS, shortened from 45 s so the test need not wait that long; the heartbeat follows it (a quarter). */
const STALE_REPLICA_MS = 4000

let db: TestDatabase
let replicas: Replica[] = []
let a: Replica
let b: Replica
let c: Replica
let balancer: TcpBalancer
let backend1: EchoBackend
let backend2: EchoBackend
const clients = new Map<string, grpc.Client>()

beforeAll(async () => {
  db = await createTestDatabase('ha_replica_killed')
  ;[replicas, backend1, backend2] = await Promise.all([
    startReplicas(['a', 'b', 'c'], () => ({ DATABASE_URL: db.url, LEGATION_DEMO: 'false', LEGATION_STALE_REPLICA_MS: String(STALE_REPLICA_MS) })),
    startEchoBackend('backend-1'),
    startEchoBackend('backend-2'),
  ])
  ;[a, b, c] = replicas as [Replica, Replica, Replica]
  balancer = await startTcpBalancer(
    replicas.map((r) => ({ port: r.xdsPort, readyUrl: `${r.baseUrl}/readyz` })),
    { hosts: NODES.length },
  )
})

afterAll(async () => {
  for (const client of clients.values()) client.close()
  await balancer?.close()
  await Promise.all([backend1?.stop(), backend2?.stop()])
  const codes = await stopReplicas(replicas)
  await db?.drop()
  expect(codes, 'A and B exit 0 on SIGTERM; C was killed').toEqual([0, 0, null])
})

const waitForBackend = (nodeId: string, backend: string): Promise<true> => waitForEcho(clients.get(nodeId)!, backend, nodeId)
const syncedOn = waitForSynced

const servedBy = new Map<string, string>()

describe('three replicas on one database behind one xDS address', () => {
  it('spreads proxies over the three, and a commit through A reaches the proxies on every replica', async () => {
    expect(await createEchoFleet(a.api, FLEET, [backend1])).toBe(1)
    // Connecting before a replica serves the fleet gets a refused first stream, and grpc-js-xds then
    // keeps that stream's 15 s resource timers, which later drop the listener it has.
    await waitUntilServing(replicas, FLEET, 1)
    NODES.forEach((nodeId, i) => clients.set(nodeId, createXdsEchoClient({ xdsHost: balancer.hosts[i]!, xdsPort: balancer.port, nodeId, fleet: FLEET, target: 'echo' })))
    await Promise.all(NODES.map((n) => waitForBackend(n, 'backend-1')))
    for (const nodeId of NODES) servedBy.set(nodeId, replicaNamed(replicas, (await syncedOn(b.api, nodeId, 1)).replicaId)!)
    expect(new Set(servedBy.values())).toEqual(new Set(['a', 'b', 'c']))

    await putEchoDraft(a.api, FLEET, echoFleetResources([backend2]))
    expect(await commitDraft(a.api, FLEET, 'to backend 2, through A')).toBe(2)
    await Promise.all(NODES.map((n) => waitForBackend(n, 'backend-2')))
    // Each replica served its own proxies the new version on their open streams, and says so.
    for (const nodeId of NODES) {
      const p = await syncedOn(c.api, nodeId, 2)
      expect(replicaNamed(replicas, p.replicaId)).toBe(servedBy.get(nodeId))
    }
  })

  it('SIGKILL of C: its proxies reconnect to A or B, converge, and every replica shows them there and their old streams disconnected', async () => {
    const onC = NODES.filter((n) => servedBy.get(n) === 'c')
    const oldStreams = new Map<string, string>()
    for (const nodeId of onC) oldStreams.set(nodeId, (await getProxy(a.api, nodeId))!.id)

    expect(await c.stop('SIGKILL')).toBeNull()
    // The survivors take C's proxies: each on a new stream on A or B, serving the active version.
    for (const nodeId of onC) {
      await waitFor(
        async () => {
          const p = await syncedOn(a.api, nodeId, 2)
          expect(['a', 'b']).toContain(replicaNamed(replicas, p.replicaId))
          expect(p.id).not.toBe(oldStreams.get(nodeId))
          return true
        },
        { what: `${nodeId} reconnected to A or B`, timeoutMs: 30_000 },
      )
    }

    // They converge on what is committed next, wherever it is committed.
    await putEchoDraft(b.api, FLEET, echoFleetResources([backend1]))
    expect(await commitDraft(b.api, FLEET, 'back to backend 1, through B')).toBe(3)
    await Promise.all(NODES.map((n) => waitForBackend(n, 'backend-1')))

    // Once C has been silent for the stale-replica window, any replica's API shows every proxy on
    // A or B, SYNCED on version 3, and C's streams as disconnected by a replica that stopped reporting.
    for (const api of [a.api, b.api]) {
      for (const nodeId of NODES) {
        const p = await syncedOn(api, nodeId, 3)
        expect(['a', 'b']).toContain(replicaNamed(replicas, p.replicaId))
      }
      for (const nodeId of onC) {
        const old = await waitFor(
          async () => {
            const res = await api<{ history: ProxyView[] }>('GET', `/api/v1/proxies/${nodeId}`)
            const stream = res.body.history.find((h) => h.id === oldStreams.get(nodeId))
            expect(stream?.disconnectedAt, `${nodeId}'s stream on C shown disconnected`).toBeTruthy()
            return stream
          },
          // The window, plus one heartbeat of C that may have just been written before the kill.
          { what: `${nodeId}'s stream on C shown disconnected`, timeoutMs: STALE_REPLICA_MS + 5000 },
        )
        expect(replicaNamed(replicas, old.replicaId)).toBe('c')
        expect(old.closeReason).toBe('the replica serving this stream stopped reporting')
      }
      const list = await api<{ proxies: ProxyView[] }>('GET', `/api/v1/proxies?fleet=${FLEET}`)
      expect(list.body.proxies.map((p) => [p.nodeId, p.state])).toEqual(NODES.map((n) => [n, 'SYNCED']))
    }
  })
})
