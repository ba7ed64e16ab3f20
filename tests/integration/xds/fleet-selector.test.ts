import type * as grpc from '@grpc/grpc-js'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { callEcho, startEchoBackend, type EchoBackend } from '../../support/echo-backend'
import { setupTestServer } from '../../support/test-server'
import { waitFor } from '../../support/wait-for'
import { commitDraft, getProxy, putEchoDraft } from '../../support/xds-fleet'
import { createXdsEchoClient, echoFleetResources } from '../../support/xds-client'

const t = setupTestServer('fleet_selector')
const { api } = t
let backend: EchoBackend
const clients: grpc.Client[] = []

beforeAll(async () => {
  backend = await startEchoBackend('edge-backend')
})
afterAll(async () => {
  for (const c of clients) c.close()
  await backend?.stop()
})

describe('fleets that select proxies by rule', () => {
  it('validates selectors at the API edge', async () => {
    const empty = await api<{ error: { issues: Array<{ path: string; message: string }> } }>('POST', '/api/v1/fleets', { body: { name: 'bad', selector: {} } })
    expect(empty.status).toBe(422)
    expect(empty.body.error.issues[0]?.path).toBe('selector')
    const unknown = await api('POST', '/api/v1/fleets', { body: { name: 'bad', selector: { nodeIdGlob: 'x', colour: 'red' } } })
    expect(unknown.status).toBe(422)
  })

  it('serves a proxy matched by node id glob, whatever its node.cluster, and shows the rule', async () => {
    const created = await api<{ selector: unknown }>('POST', '/api/v1/fleets', { body: { name: 'edge', selector: { nodeIdGlob: 'edge-*' } } })
    expect(created.status).toBe(201)
    expect(created.body.selector).toEqual({ nodeIdGlob: 'edge-*' })
    await putEchoDraft(api, 'edge', echoFleetResources([{ address: backend.address, port: backend.port }]))
    await commitDraft(api, 'edge', 'edge config')

    const client = createXdsEchoClient({ xdsPort: t.xdsPort, nodeId: 'edge-42', fleet: 'not-a-fleet', target: 'echo' })
    clients.push(client)
    const answer = await waitFor(() => callEcho(client, 1000), { what: 'edge-42 is served by the edge fleet' })
    expect(answer).toBe('edge-backend')
    // Status rows are written behind (~100 ms batches): wait for this proxy's row.
    const proxy = await waitFor(
      async () => {
        const p = await getProxy(api, 'edge-42')
        expect(p).not.toBeNull()
        return p!
      },
      { what: 'edge-42 is listed' },
    )
    expect(proxy.fleet).toBe('edge')
  })

  it('refuses a proxy that matches nothing, and stops matching by name once a selector is set', async () => {
    const stray = createXdsEchoClient({ xdsPort: t.xdsPort, nodeId: 'other-1', fleet: 'edge', target: 'echo' })
    clients.push(stray)
    await callEcho(stray, 1000).catch(() => undefined)
    const proxy = await waitFor(
      async () => {
        const p = await getProxy(api, 'other-1')
        expect(p?.state).toBe('DISCONNECTED')
        return p!
      },
      { what: 'other-1 refused' },
    )
    expect(proxy.fleet).toBeNull()
    expect(proxy.closeReason).toContain("'other-1'")
  })

  it('serves a proxy matched by node.metadata, as the client sends it (a google.protobuf.Struct on the wire)', async () => {
    const created = await api('POST', '/api/v1/fleets', { body: { name: 'blue-team', selector: { metadata: { team: 'blue' } } } })
    expect(created.status, created.text).toBe(201)
    await putEchoDraft(api, 'blue-team', echoFleetResources([{ address: backend.address, port: backend.port }]))
    await commitDraft(api, 'blue-team', 'blue config')

    const client = createXdsEchoClient({ xdsPort: t.xdsPort, nodeId: 'meta-1', fleet: 'not-a-fleet', target: 'echo', metadata: { team: 'blue', zone: 'eu' } })
    clients.push(client)
    expect(await waitFor(() => callEcho(client, 1000), { what: 'meta-1 is served by blue-team' })).toBe('edge-backend')
    const proxy = await waitFor(async () => (await getProxy(api, 'meta-1')) ?? undefined, { what: 'meta-1 is listed' })
    expect(proxy.fleet).toBe('blue-team')
  })

  it('changes matching when the selector is cleared: back to node.cluster = name', async () => {
    const cleared = await api<{ selector: unknown }>('PATCH', '/api/v1/fleets/edge', { body: { selector: null } })
    expect(cleared.status).toBe(200)
    expect(cleared.body.selector).toBeNull()
    const byName = createXdsEchoClient({ xdsPort: t.xdsPort, nodeId: 'by-name-1', fleet: 'edge', target: 'echo' })
    clients.push(byName)
    expect(await waitFor(() => callEcho(byName, 1000), { what: 'by-name-1 served' })).toBe('edge-backend')
  })
})
