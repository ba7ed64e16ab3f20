import type * as grpc from '@grpc/grpc-js'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestDatabase, type TestDatabase } from '../../support/database'
import { callEcho, startEchoBackend, type EchoBackend } from '../../support/echo-backend'
import { scrapeMetrics, sumOf } from '../../support/metrics'
import { type Replica, startReplicas, stopReplicas, waitForEcho, waitForSynced, waitUntilServing } from '../../support/replicas'
import { startTcpRelay, viaRelay, type TcpRelay } from '../../support/tcp-relay'
import { sleep, waitFor } from '../../support/wait-for'
import { createEchoFleet, createXdsEchoClient, echoFleetResources } from '../../support/xds-client'
import { commitDraft, listVersions, putEchoDraft } from '../../support/xds-fleet'

/**
 * #13 item 3: PostgreSQL is unreachable for 30 s under two replicas. A version committed through B
 * while A had already lost the database (so A never got its NOTIFY) is not lost: when the database is
 * back, A learns it (the reconcile after its LISTEN reconnects) and its proxy gets it on the same
 * stream. During the outage the proxies keep their streams and their last good config, /readyz
 * fails, and writes are refused with 503 with nothing half-written.
 */
const FLEET = 'ha-outage'
/** How long Postgres is away; the 30 s. Shorten it with LEGATION_TEST_OUTAGE_MS when iterating. */
const OUTAGE_MS = Number(process.env['LEGATION_TEST_OUTAGE_MS'] ?? 30_000)

let db: TestDatabase
/** One path to Postgres per replica, so that A can lose it first. */
let relays: TcpRelay[] = []
const cut = new Set<TcpRelay>()
let replicas: Replica[] = []
let a: Replica
let b: Replica
let backends: EchoBackend[] = []
const clients = new Map<string, grpc.Client>()

beforeAll(async () => {
  db = await createTestDatabase('ha_pg_outage')
  const target = new URL(db.url)
  relays = await Promise.all([0, 1].map(() => startTcpRelay({ host: target.hostname, port: Number(target.port || 5432) })))
  ;[replicas, backends] = await Promise.all([
    startReplicas(['a', 'b'], (name) => ({ DATABASE_URL: viaRelay(db.url, relays[name === 'a' ? 0 : 1]!), LEGATION_DEMO: 'false' })),
    Promise.all(['backend-1', 'backend-2', 'backend-3'].map(startEchoBackend)),
  ])
  ;[a, b] = replicas as [Replica, Replica]
})

afterAll(async () => {
  // A failed assertion during the outage must not leave the replicas without their database.
  for (const relay of cut) await relay.restore()
  for (const client of clients.values()) client.close()
  await Promise.all(backends.map((e) => e.stop()))
  const codes = await stopReplicas(replicas)
  for (const relay of relays) await relay.close()
  await db?.drop()
  expect(codes).toEqual([0, 0])
})

const cutDatabase = async (r: Replica): Promise<void> => {
  const relay = relays[replicas.indexOf(r)]!
  await relay.cut()
  cut.add(relay)
}

const readyStatus = async (r: Replica): Promise<number> => (await fetch(`${r.baseUrl}/readyz`)).status

const backend = (name: string): EchoBackend => backends.find((e) => e.name === name)!

const waitForBackend = (nodeId: string, name: string): Promise<true> => waitForEcho(clients.get(nodeId)!, name, nodeId)
const syncedOn = waitForSynced

describe(`a ${OUTAGE_MS / 1000} s PostgreSQL outage under two replicas`, () => {
  const streamIds = new Map<string, string>()

  it('loses no committed version, and the proxies keep their config through it', async () => {
    expect(await createEchoFleet(a.api, FLEET, [backend('backend-1')])).toBe(1)
    // Connecting before a replica serves the fleet gets a refused first stream, and grpc-js-xds then
    // keeps that stream's 15 s resource timers, which later drop the listener it has.
    await waitUntilServing(replicas, FLEET, 1)
    clients.set('on-a', createXdsEchoClient({ xdsPort: a.xdsPort, nodeId: 'on-a', fleet: FLEET, target: 'echo' }))
    clients.set('on-b', createXdsEchoClient({ xdsPort: b.xdsPort, nodeId: 'on-b', fleet: FLEET, target: 'echo' }))
    for (const nodeId of ['on-a', 'on-b']) {
      await waitForBackend(nodeId, 'backend-1')
      streamIds.set(nodeId, (await syncedOn(a.api, nodeId, 1)).id)
    }

    // A loses the database first; version 2 is committed through B, which serves it; then B loses
    // the database too. A never got version 2's NOTIFY.
    await cutDatabase(a)
    await waitFor(async () => (await readyStatus(a)) === 503, { what: 'A not ready' })
    await putEchoDraft(b.api, FLEET, echoFleetResources([backend('backend-2')]))
    expect(await commitDraft(b.api, FLEET, 'to backend 2, while A has no database')).toBe(2)
    await waitUntilServing([b], FLEET, 2)
    await waitForBackend('on-b', 'backend-2')
    await cutDatabase(b)
    const outageEnds = Date.now() + OUTAGE_MS
    await waitFor(async () => (await readyStatus(b)) === 503, { what: 'B not ready' })

    // Writes are refused with 503, on both replicas, all through the outage.
    const refused: Array<{ replica: string; status: number; code: string }> = []
    for (let i = 0; Date.now() < outageEnds - 3000; i++) {
      const r = replicas[i % 2]!
      const res = await r.api<{ error: { code: string } }>('PUT', `/api/v1/fleets/${FLEET}/draft/endpoints/echo-backend`, { body: echoFleetResources([backend('backend-3')]).endpoints })
      refused.push({ replica: r.name, status: res.status, code: res.body.error?.code })
      const commit = await r.api<{ error: { code: string } }>('POST', `/api/v1/fleets/${FLEET}/commit`, { body: { message: `during the outage ${i}` } })
      refused.push({ replica: r.name, status: commit.status, code: commit.body.error?.code })
      await sleep(2000)
    }
    expect(refused.length).toBeGreaterThanOrEqual(4)
    expect(new Set(refused.map((x) => `${x.status} ${x.code}`))).toEqual(new Set(['503 SERVICE.UNAVAILABLE']))
    // The proxies keep their streams (each replica's /metrics, which needs no database) and the
    // last config their replica could serve.
    for (const r of replicas) expect(sumOf((await scrapeMetrics(r.baseUrl)).samples, 'legation_xds_streams', { fleet: FLEET }), r.name).toBe(1)
    expect(await callEcho(clients.get('on-a')!)).toBe('backend-1')
    expect(await callEcho(clients.get('on-b')!)).toBe('backend-2')
    expect(await Promise.all(replicas.map(readyStatus))).toEqual([503, 503])
    await sleep(Math.max(0, outageEnds - Date.now()))
    for (const relay of relays) await relay.restore()
    cut.clear()

    // Back: version 2 is there and active, whichever replica is asked, and nothing of the outage was
    // written; A serves it, and its proxy runs it on the stream it had before the outage.
    await waitFor(async () => (await Promise.all(replicas.map(readyStatus))).every((s) => s === 200), { what: 'both replicas ready again', timeoutMs: 20_000 })
    for (const r of replicas) {
      const versions = await listVersions(r.api, FLEET)
      expect(versions.map((v) => [v.number, v.active, v.message])).toEqual([
        [2, true, 'to backend 2, while A has no database'],
        [1, false, 'echo on backend 1'],
      ])
    }
    await waitUntilServing(replicas, FLEET, 2, 20_000)
    for (const nodeId of ['on-a', 'on-b']) {
      await waitForBackend(nodeId, 'backend-2')
      expect((await syncedOn(b.api, nodeId, 2)).id).toBe(streamIds.get(nodeId))
    }
  }, OUTAGE_MS + 60_000)

  it('takes commits again afterwards, and both replicas serve them', async () => {
    await putEchoDraft(a.api, FLEET, echoFleetResources([backend('backend-3')]))
    expect(await commitDraft(a.api, FLEET, 'to backend 3, after the outage')).toBe(3)
    for (const nodeId of ['on-a', 'on-b']) {
      await waitForBackend(nodeId, 'backend-3')
      await syncedOn(b.api, nodeId, 3)
    }
  })
})
