import type * as grpc from '@grpc/grpc-js'
import pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestDatabase, type TestDatabase } from '../../support/database'
import { callEcho, startEchoBackend, type EchoBackend } from '../../support/echo-backend'
import { apiClient } from '../../support/http'
import { startServer, type ServerHandle } from '../../support/server'
import { waitFor } from '../../support/wait-for'
import { createXdsEchoClient, echoFleetResources } from '../../support/xds-client'
import { commitDraft, ECHO_TYPE_URLS, expectSyncedOnEveryType, getProxy, listVersions, putEchoDraft, xdsPortOf, type ProxyView, type VersionView } from '../../support/xds-fleet'

/**
 * A control plane restart as a proxy lives it: the process dies without warning, a new one comes
 * up on the same ports with the same database, and the proxy (never recreated) reconnects by itself
 * and is served the same version again. Then a graceful stop, which must record the disconnect.
 */
const FLEET = 'echo-fleet'
const NODE_ID = 'client-1'

let db: TestDatabase
let backend1: EchoBackend
let client: grpc.Client | undefined
/** Every server started here, so a failed assertion never leaves one running. */
const servers: ServerHandle[] = []

let first: ServerHandle
let second: ServerHandle
let firstProxy: ProxyView
let versionsBefore: VersionView[]

const withoutConvergence = (versions: VersionView[]) => versions.map(({ convergence: _c, ...v }) => v)

beforeAll(async () => {
  db = await createTestDatabase('xds_restart')
  backend1 = await startEchoBackend('backend-1')
})

afterAll(async () => {
  client?.close()
  for (const s of servers) await s.stop('SIGKILL')
  await backend1?.stop()
  await db?.drop()
})

describe('control plane restart', () => {
  it('serves version 1 to a client before the restart', async () => {
    first = await startServer({ env: { DATABASE_URL: db.url } })
    servers.push(first)
    const api = apiClient(first.baseUrl)
    expect((await api('POST', '/api/v1/fleets', { body: { name: FLEET } })).status).toBe(201)
    await putEchoDraft(api, FLEET, echoFleetResources([backend1]))
    expect(await commitDraft(api, FLEET, 'echo on backend 1')).toBe(1)

    client = createXdsEchoClient({ xdsPort: xdsPortOf(first), nodeId: NODE_ID, fleet: FLEET, target: 'echo' })
    expect(await callEcho(client)).toBe('backend-1')
    firstProxy = await waitFor(
      async () => {
        const p = await getProxy(api, NODE_ID)
        expectSyncedOnEveryType(p)
        return p
      },
      { what: `${NODE_ID} SYNCED on the first server` },
    )
    versionsBefore = await listVersions(api, FLEET)
    expect(versionsBefore.map((v) => [v.number, v.active])).toEqual([[1, true]])
  })

  it('after SIGKILL and a new server on the same ports, the same client reconnects by itself and is SYNCED to the same version', async ({ annotate }) => {
    const xdsPort = xdsPortOf(first)
    expect(await first.stop('SIGKILL')).toBeNull()
    // The data plane does not need the control plane to keep serving what it has.
    expect(await callEcho(client!)).toBe('backend-1')

    const killed = performance.now()
    second = await startServer({ env: { DATABASE_URL: db.url, PORT: String(first.port), XDS_PORT: String(xdsPort) } })
    servers.push(second)
    await annotate(`SIGKILL → new server ready: ${Math.round(performance.now() - killed)} ms`)
    expect(second.port).toBe(first.port)
    expect(xdsPortOf(second)).toBe(xdsPort)

    const api = apiClient(second.baseUrl)
    // grpc-js reconnects with exponential backoff (1 s, ×1.6, jittered), so this may take a few tries.
    const reconnected = await waitFor(
      async () => {
        const p = await getProxy(api, NODE_ID)
        expect(p?.id).not.toBe(firstProxy.id)
        expectSyncedOnEveryType(p)
        return p
      },
      { what: `${NODE_ID} reconnected and SYNCED on the new server`, timeoutMs: 45_000 },
    )
    await annotate(`SIGKILL → client SYNCED on the new server: ${Math.round(performance.now() - killed)} ms`)
    expect(reconnected).toMatchObject({ nodeId: NODE_ID, fleet: FLEET, disconnectedAt: null })
    for (const typeUrl of ECHO_TYPE_URLS) {
      const now = reconnected.types[typeUrl]!
      expect(now.versionAcked, typeUrl).toBe(firstProxy.types[typeUrl]!.versionAcked)
      expect(now.ackedFromVersion, typeUrl).toBe(1)
    }
    expect(await callEcho(client!)).toBe('backend-1')
    expect(withoutConvergence(await listVersions(api, FLEET))).toEqual(withoutConvergence(versionsBefore))
  })

  it('stops gracefully on SIGTERM (exit 0) and records the proxy as disconnected', async () => {
    const live = await getProxy(apiClient(second.baseUrl), NODE_ID)
    expectSyncedOnEveryType(live)
    expect(await second.stop('SIGTERM')).toBe(0)

    const pgClient = new pg.Client({ connectionString: db.url })
    await pgClient.connect()
    try {
      const { rows } = await pgClient.query<{ id: string; disconnected_at: Date | null; close_reason: string | null }>(
        'SELECT id, disconnected_at, close_reason FROM proxy_connection WHERE node_id = $1 ORDER BY connected_at DESC LIMIT 1',
        [NODE_ID],
      )
      expect(rows[0]?.id).toBe(live.id)
      expect(rows[0]?.disconnected_at).toBeInstanceOf(Date)
      expect(rows[0]?.close_reason).toContain('shutting down')
    } finally {
      await pgClient.end()
    }
  })
})
