import type * as grpc from '@grpc/grpc-js'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { callEcho, startEchoBackend, type EchoBackend } from '../../support/echo-backend'
import { setupTestServer } from '../../support/test-server'
import { waitFor } from '../../support/wait-for'
import { createEchoFleet, createXdsEchoClient } from '../../support/xds-client'
import { expectSyncedOnEveryType, getProxy } from '../../support/xds-fleet'

/**
 * Deleting a fleet through the API: its draft, versions and history go, the audit log keeps the
 * record; and what a proxy connected to it at that moment lives through.
 */
const t = setupTestServer('api_delete_fleet')
const { api } = t

type ErrorBody = { error: { code: string; message: string } }
type AuditEntry = { action: string; fleet: string | null; target: string; actor: string }

let backends: EchoBackend[] = []
const clients: grpc.Client[] = []

beforeAll(async () => {
  backends = await Promise.all([startEchoBackend('backend-1'), startEchoBackend('backend-2')])
})

afterAll(async () => {
  for (const c of clients) c.close()
  await Promise.all(backends.map((b) => b.stop()))
})

const newClient = (nodeId: string, fleet: string): grpc.Client => {
  const c = createXdsEchoClient({ xdsPort: t.xdsPort, nodeId, fleet, target: 'echo' })
  clients.push(c)
  return c
}

async function auditOf(fleet: string): Promise<AuditEntry[]> {
  const res = await api<{ entries: AuditEntry[] }>('GET', `/api/v1/audit?fleet=${fleet}`)
  expect(res.status).toBe(200)
  return res.body.entries
}

describe('DELETE /api/v1/fleets/{fleet}', () => {
  it('without proxies: 204, the fleet and its history are gone, the audit log keeps the record', async () => {
    const FLEET = 'short-lived'
    expect((await api('POST', '/api/v1/fleets', { body: { name: FLEET } })).status).toBe(201)
    const cluster = { name: 'c', type: 'STRICT_DNS', connect_timeout: '1s', load_assignment: { cluster_name: 'c', endpoints: [{ lb_endpoints: [{ endpoint: { address: { socket_address: { address: 'c.internal', port_value: 80 } } } }] }] } }
    expect((await api('PUT', `/api/v1/fleets/${FLEET}/draft/clusters/c`, { body: cluster })).status).toBe(201)
    expect((await api('POST', `/api/v1/fleets/${FLEET}/commit`, { body: { message: 'one' } })).status).toBe(201)

    const deleted = await api('DELETE', `/api/v1/fleets/${FLEET}`)
    expect(deleted.status).toBe(204)
    expect(deleted.text).toBe('')

    for (const path of [`/api/v1/fleets/${FLEET}`, `/api/v1/fleets/${FLEET}/versions`, `/api/v1/fleets/${FLEET}/versions/1`, `/api/v1/fleets/${FLEET}/draft`]) {
      const res = await api<ErrorBody>('GET', path)
      expect(res.status, path).toBe(404)
      expect(res.body.error.code, path).toBe('FLEET.NOT_FOUND')
    }
    const list = await api<{ fleets: Array<{ name: string }> }>('GET', '/api/v1/fleets')
    expect(list.body.fleets.map((f) => f.name)).not.toContain(FLEET)

    const audit = await auditOf(FLEET)
    expect(audit.map((e) => e.action)).toEqual(['fleet.delete', 'version.commit', 'draft.create', 'fleet.create'])
    expect(audit[0]).toMatchObject({ action: 'fleet.delete', fleet: FLEET, target: `fleet/${FLEET}` })
    // The one who deleted it is the one who created it (the test's API token).
    expect(audit[0]!.actor).toBe(audit.at(-1)!.actor)
    expect(audit[0]!.actor).not.toBe('')

    // Gone means gone: a second DELETE is a 404, and the name can be used again, from scratch.
    expect((await api<ErrorBody>('DELETE', `/api/v1/fleets/${FLEET}`)).status).toBe(404)
    const again = await api<{ activeVersion: unknown; pendingChanges: number }>('POST', '/api/v1/fleets', { body: { name: FLEET } })
    expect(again.status).toBe(201)
    expect(again.body).toMatchObject({ activeVersion: null, pendingChanges: 0 })
  })

  // What the server does (services/fleets.ts deleteFleet → NOTIFY fleet.deleted → snapshot-sync
  // drops the fleet's snapshot from the cache and from the names new streams may resolve to): it
  // does not close open streams. Their watch is on the fleet's name and their reducer keeps the
  // snapshot it has, so a connected proxy keeps running, and is shown with, its last config.
  it('with a connected proxy: 204; the open stream is not closed and keeps its last config, a new proxy of that fleet is refused', async ({ annotate }) => {
    const FLEET = 'doomed'
    expect(await createEchoFleet(api, FLEET, [backends[0]!])).toBe(1)
    const client = newClient('doomed-proxy', FLEET)
    expect(await callEcho(client)).toBe('backend-1')
    const before = await waitFor(async () => {
      const p = await getProxy(api, 'doomed-proxy')
      expectSyncedOnEveryType(p)
      return p
    })

    expect((await api('DELETE', `/api/v1/fleets/${FLEET}`)).status).toBe(204)
    expect((await api<ErrorBody>('GET', `/api/v1/fleets/${FLEET}`)).status).toBe(404)

    // The barrier that the deletion has reached the xDS side: a proxy connecting now is refused
    // (UNAVAILABLE, "names no fleet"), and shown so.
    const late = newClient('late-proxy', FLEET)
    // A channel connects on its first call; the call cannot resolve the target without config.
    await expect(callEcho(late, 1000)).rejects.toThrow(/DEADLINE_EXCEEDED|UNAVAILABLE/)
    const refused = await waitFor(
      async () => {
        const p = await getProxy(api, 'late-proxy')
        expect(p?.state).toBe('DISCONNECTED')
        return p
      },
      { what: 'the late proxy refused' },
    )
    expect(refused).toMatchObject({ nodeCluster: FLEET, fleet: null, types: {} })
    expect(refused.closeReason).toBe(`proxy 'late-proxy' has node.cluster '${FLEET}', which names no fleet (set node.cluster to a fleet name, or configure LEGATION_DEFAULT_FLEET)`)

    // The proxy that was connected is still served the deleted fleet's config, on the same stream,
    // and listed as connected and SYNCED under the fleet's name.
    expect(await callEcho(client)).toBe('backend-1')
    const after = await getProxy(api, 'doomed-proxy')
    expectSyncedOnEveryType(after)
    expect(after).toMatchObject({ id: before.id, fleet: FLEET, disconnectedAt: null, closeReason: null })
    const listed = await api<{ proxies: Array<{ nodeId: string; state: string }> }>('GET', `/api/v1/proxies?fleet=${FLEET}`)
    // (The refused one has no fleet, so it is not listed under it.)
    expect(listed.body.proxies.map((p) => [p.nodeId, p.state])).toEqual([['doomed-proxy', 'SYNCED']])
    await annotate('after DELETE, an open stream of the fleet stays open and is served its last snapshot; new streams are refused')

    // Its watch is on the name: a fleet created again under that name reaches it on the same stream.
    expect(await createEchoFleet(api, FLEET, [backends[1]!])).toBe(1)
    await waitFor(
      async () => {
        expect(await callEcho(client, 1000)).toBe('backend-2')
        return true
      },
      { what: 'the re-created fleet reaches the open stream' },
    )
    expect((await getProxy(api, 'doomed-proxy'))?.id).toBe(before.id)
  })
})
