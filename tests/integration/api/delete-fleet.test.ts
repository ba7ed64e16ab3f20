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

  // Deleting a fleet closes its open streams with UNAVAILABLE, as for a proxy whose fleet does not
  // exist (services/fleets.ts deleteFleet → NOTIFY fleet.deleted → snapshot-sync → cache.delete →
  // each watching stream's onRemoved): no proxy is left running, or listed with, a deleted fleet.
  it('with a connected proxy: 204; its stream is closed (UNAVAILABLE), new streams are refused, a fleet re-created under the name serves it again', async ({ annotate }) => {
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

    // The stream it had is closed, and the proxy is shown disconnected with the reason.
    const closed = await waitFor(
      async () => {
        const p = await getProxy(api, 'doomed-proxy')
        expect(p?.id === before.id ? p?.disconnectedAt : 'a later stream').not.toBeNull()
        return p
      },
      { what: 'the open stream closed' },
    )
    expect(closed.state).toBe('DISCONNECTED')
    await annotate(`after DELETE the proxy shows: ${closed.closeReason ?? ''}`)
    expect(closed.closeReason ?? '').toMatch(/doomed/)

    // A proxy connecting now is refused (UNAVAILABLE, "names no fleet"), and shown so.
    const late = newClient('late-proxy', FLEET)
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

    // The client keeps retrying; a fleet created again under the name serves it on a new stream.
    expect(await createEchoFleet(api, FLEET, [backends[1]!])).toBe(1)
    await waitFor(
      async () => {
        expect(await callEcho(client, 1000)).toBe('backend-2')
        return true
      },
      { what: 'the re-created fleet reaches the retrying proxy', timeoutMs: 60_000 },
    )
    const again = await waitFor(async () => {
      const p = await getProxy(api, 'doomed-proxy')
      expectSyncedOnEveryType(p)
      return p
    })
    expect(again.id).not.toBe(before.id)
  })
})
