import { mkdtemp, rm } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import type * as grpc from '@grpc/grpc-js'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestDatabase, type TestDatabase } from '../../support/database'
import { callEcho, startEchoBackend, type EchoBackend } from '../../support/echo-backend'
import { apiClient, type ApiClient } from '../../support/http'
import { startServer, type ServerHandle } from '../../support/server'
import { waitFor } from '../../support/wait-for'
import { createEchoFleet, createXdsEchoClient, echoFleetResources } from '../../support/xds-client'
import { CLUSTER_LOAD_ASSIGNMENT_TYPE_URL, commitDraft, expectSyncedOnEveryType, putEchoDraft, xdsPortOf, type ProxyView } from '../../support/xds-fleet'

/**
 * Two replicas of the product on ONE database, as the README allows ("several replicas may run
 * against one PostgreSQL"): changes made through one replica's API reach proxies connected to the
 * other (LISTEN/NOTIFY), and every replica shows every proxy (each writes the status of its own).
 */
const FLEET = 'ha-fleet'
const ON_A = 'proxy-on-a'
const ON_B = 'proxy-on-b'
/** Replicas sharing a database must share the sealing key (README, LEGATION_SECRET_KEY). */
const SECRET_KEY = Buffer.alloc(32, 7).toString('base64')

let db: TestDatabase
let dataDirs: string[] = []
let a: ServerHandle
let b: ServerHandle
let apiA: ApiClient
let apiB: ApiClient
let backend1: EchoBackend
let backend2: EchoBackend
const clients: grpc.Client[] = []
let clientOnA: grpc.Client
let clientOnB: grpc.Client

beforeAll(async () => {
  db = await createTestDatabase('ha_two_replicas')
  dataDirs = await Promise.all([mkdtemp(path.join(os.tmpdir(), 'legation-ha-a-')), mkdtemp(path.join(os.tmpdir(), 'legation-ha-b-'))])
  const env = (dataDir: string) => ({ DATABASE_URL: db.url, LEGATION_SECRET_KEY: SECRET_KEY, LEGATION_DATA_DIR: dataDir })
  // Started together, as an orchestrator starts a deployment's replicas: both migrate (under the
  // advisory lock) and both may try to seed the demo fleet on the same empty database.
  ;[a, b, backend1, backend2] = await Promise.all([startServer({ env: env(dataDirs[0]!) }), startServer({ env: env(dataDirs[1]!) }), startEchoBackend('backend-1'), startEchoBackend('backend-2')])
  apiA = apiClient(a.baseUrl)
  apiB = apiClient(b.baseUrl)
})

afterAll(async () => {
  for (const c of clients) c.close()
  await Promise.all([backend1?.stop(), backend2?.stop()])
  const codes = await Promise.all([a?.stop(), b?.stop()])
  await db?.drop()
  await Promise.all(dataDirs.map((d) => rm(d, { recursive: true, force: true })))
  expect(codes, 'both replicas exit 0 on SIGTERM').toEqual([0, 0])
})

const listProxies = async (api: ApiClient): Promise<ProxyView[]> => {
  const res = await api<{ proxies: ProxyView[] }>('GET', `/api/v1/proxies?fleet=${FLEET}`)
  expect(res.status).toBe(200)
  return res.body.proxies
}

const waitForBackend = (c: grpc.Client, backend: string): Promise<true> =>
  waitFor(
    async () => {
      expect(await callEcho(c, 1000)).toBe(backend)
      return true as const
    },
    { what: `calls reach ${backend}`, timeoutMs: 15_000 },
  )

describe('two replicas on one database', () => {
  it('start together on an empty database, with one demo fleet between them', async () => {
    for (const api of [apiA, apiB]) {
      const res = await api<{ fleets: Array<{ name: string; activeVersion: { number: number } | null }> }>('GET', '/api/v1/fleets')
      expect(res.status).toBe(200)
      expect(res.body.fleets.filter((f) => f.name === 'demo').map((f) => f.activeVersion?.number)).toEqual([1])
    }
    expect(xdsPortOf(a)).not.toBe(xdsPortOf(b))
  })

  it('serves a fleet created and committed through replica A to a proxy connected to replica B', async () => {
    expect(await createEchoFleet(apiA, FLEET, [backend1])).toBe(1)
    // B learns of the new fleet and its version only through the database (NOTIFY).
    clientOnB = createXdsEchoClient({ xdsPort: xdsPortOf(b), nodeId: ON_B, fleet: FLEET, target: 'echo' })
    clients.push(clientOnB)
    await waitForBackend(clientOnB, 'backend-1')
  })

  it('pushes a commit made through replica A to the proxy on replica B, on the same stream', async ({ annotate }) => {
    const before = await waitFor(async () => {
      const p = (await listProxies(apiB)).find((x) => x.nodeId === ON_B)
      expectSyncedOnEveryType(p)
      return p
    })
    await putEchoDraft(apiA, FLEET, echoFleetResources([backend2]))
    const committed = performance.now()
    expect(await commitDraft(apiA, FLEET, 'move to backend 2 (through A)')).toBe(2)
    await waitForBackend(clientOnB, 'backend-2')
    await annotate(`commit on A → proxy on B calls backend 2: ${Math.round(performance.now() - committed)} ms`)

    const after = await waitFor(async () => {
      const p = (await listProxies(apiB)).find((x) => x.nodeId === ON_B)
      expect(p?.types[CLUSTER_LOAD_ASSIGNMENT_TYPE_URL]?.ackedFromVersion).toBe(2)
      expectSyncedOnEveryType(p)
      return p
    })
    expect(after.id).toBe(before.id)
  })

  it("lists on each replica the proxy connected to the other, with the other's status", async () => {
    clientOnA = createXdsEchoClient({ xdsPort: xdsPortOf(a), nodeId: ON_A, fleet: FLEET, target: 'echo' })
    clients.push(clientOnA)
    expect(await callEcho(clientOnA)).toBe('backend-2')

    const seen = async (api: ApiClient, nodeId: string): Promise<ProxyView> =>
      waitFor(
        async () => {
          const p = (await listProxies(api)).find((x) => x.nodeId === nodeId)
          expectSyncedOnEveryType(p)
          expect(p.types[CLUSTER_LOAD_ASSIGNMENT_TYPE_URL]?.ackedFromVersion).toBe(2)
          return p
        },
        { what: `${nodeId} listed SYNCED on version 2` },
      )
    const onBSeenFromA = await seen(apiA, ON_B)
    const onASeenFromB = await seen(apiB, ON_A)
    // The same rows, whichever replica is asked.
    const same = (p: ProxyView) => ({ id: p.id, fleet: p.fleet, state: p.state, types: p.types })
    expect(same(onBSeenFromA)).toEqual(same(await seen(apiB, ON_B)))
    expect(same(onASeenFromB)).toEqual(same(await seen(apiA, ON_A)))
    expect(onBSeenFromA.disconnectedAt).toBeNull()
    expect(onASeenFromB.disconnectedAt).toBeNull()
    expect(onBSeenFromA.id).not.toBe(onASeenFromB.id)
  })

  it('shows on A that the proxy of a stopped replica B is disconnected', async () => {
    expect(await b.stop()).toBe(0)
    const gone = await waitFor(
      async () => {
        const p = (await listProxies(apiA)).find((x) => x.nodeId === ON_B)
        expect(p?.state).toBe('DISCONNECTED')
        return p
      },
      { what: `${ON_B} shown disconnected on A` },
    )
    expect(gone.disconnectedAt).not.toBeNull()
    expect(gone.closeReason).toContain('shutting down')
  })
})
