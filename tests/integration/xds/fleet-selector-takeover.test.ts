import type * as grpc from '@grpc/grpc-js'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { callEcho, startEchoBackend, type EchoBackend } from '../../support/echo-backend'
import { setupTestServer } from '../../support/test-server'
import { waitFor } from '../../support/wait-for'
import { createEchoFleet, createXdsEchoClient, echoFleetResources } from '../../support/xds-client'
import { commitDraft, getProxy, putEchoDraft } from '../../support/xds-fleet'

/**
 * A fleet selector decides which fleet a proxy gets before node.cluster does, so a careless one
 * (`*`) silently took every proxy of every other fleet on their next stream (#16 item 11). Now a
 * selector that matches everything is allowed only on the only fleet, and one that would take
 * proxies connected to other fleets is refused with the list, unless the request confirms it.
 * Real Postgres, real server, real xDS clients (@grpc/grpc-js-xds) with node ids, clusters and metadata.
 */
const t = setupTestServer('fleet_selector_takeover')
const { api } = t
let backend: EchoBackend
const clients = new Map<string, grpc.Client>()

type ErrorBody = { error: { code: string; message: string; issues: Array<{ path: string; message: string }>; details?: Record<string, unknown> } }
type Takeover = { nodeId: string; fromFleet: string; outcome: 'moves' | 'ambiguous'; alsoSelectedBy: string[] }

beforeAll(async () => {
  backend = await startEchoBackend('takeover-backend')
})
afterAll(async () => {
  for (const c of clients.values()) c.close()
  await backend?.stop()
})

const endpoints = () => [{ address: backend.address, port: backend.port }]

async function listedIn(nodeId: string, expectedFleet: string): Promise<void> {
  await waitFor(
    async () => {
      const p = await getProxy(api, nodeId)
      expect(p?.state).toBe('SYNCED')
      expect(p?.disconnectedAt).toBeNull()
      expect(p?.fleet).toBe(expectedFleet)
      return true
    },
    { what: `${nodeId} listed SYNCED in fleet ${expectedFleet}` },
  )
}

/** A grpc-js-xds client (node id, node.cluster, node.metadata) that is served, and listed by the proxies API with the fleet expected. */
async function connect(nodeId: string, cluster: string, expectedFleet: string, metadata?: Record<string, string>): Promise<void> {
  clients.get(nodeId)?.close()
  const client = createXdsEchoClient({ xdsPort: t.xdsPort, nodeId, fleet: cluster, target: 'echo', ...(metadata ? { metadata } : {}) })
  clients.set(nodeId, client)
  expect(await waitFor(() => callEcho(client, 1000), { what: `${nodeId} is served` })).toBe('takeover-backend')
  await listedIn(nodeId, expectedFleet)
}

async function fleetNames(): Promise<string[]> {
  const res = await api<{ fleets: Array<{ name: string }> }>('GET', '/api/v1/fleets')
  return res.body.fleets.map((f) => f.name)
}

describe('a selector that matches every proxy', () => {
  it('is allowed on the only fleet, and while it exists no other fleet can be added', async () => {
    // The server seeds `demo` into the empty database; make `solo` the only fleet.
    expect((await api('DELETE', '/api/v1/fleets/demo')).status).toBe(204)
    const solo = await api('POST', '/api/v1/fleets', { body: { name: 'solo', selector: { nodeIdGlob: '*' } } })
    expect(solo.status, solo.text).toBe(201)

    const second = await api<ErrorBody>('POST', '/api/v1/fleets', { body: { name: 'second' } })
    expect(second.status, second.text).toBe(409)
    expect(second.body.error.code).toBe('FLEET.SELECTOR_TOO_BROAD')
    expect(second.body.error.message).toContain("fleet 'solo' selects every proxy")
    expect(await fleetNames()).toEqual(['solo'])

    // Narrowed, it no longer stands in the way; a by-name fleet may be added.
    expect((await api('PATCH', '/api/v1/fleets/solo', { body: { selector: { nodeIdGlob: 'solo-*' } } })).status).toBe(200)
    expect((await api('POST', '/api/v1/fleets', { body: { name: 'second' } })).status).toBe(201)
    for (const name of ['solo', 'second']) expect((await api('DELETE', `/api/v1/fleets/${name}`)).status).toBe(204)
  })

  it('is refused while other fleets exist, at creation and on change, even with confirmTakeover, naming those fleets', async () => {
    expect(await createEchoFleet(api, 'edge', endpoints())).toBe(1)
    expect(await createEchoFleet(api, 'api', endpoints())).toBe(1)

    for (const selector of [{ nodeIdGlob: '*' }, { nodeIdGlob: '**' }, { nodeIdGlob: '?*' }]) {
      for (const confirmTakeover of [undefined, true]) {
        const refused = await api<ErrorBody>('POST', '/api/v1/fleets', { body: { name: 'everything', selector, ...(confirmTakeover ? { confirmTakeover } : {}) } })
        expect(refused.status, refused.text).toBe(409)
        expect(refused.body.error.code).toBe('FLEET.SELECTOR_TOO_BROAD')
        expect(refused.body.error.message).toContain("fleets 'api', 'edge'")
        expect(refused.body.error.issues).toEqual([{ path: 'selector.nodeIdGlob', message: 'matches every proxy' }])
      }
    }
    const patched = await api<ErrorBody>('PATCH', '/api/v1/fleets/edge', { body: { selector: { nodeIdGlob: '*' }, confirmTakeover: true } })
    expect(patched.status, patched.text).toBe(409)
    expect(patched.body.error.code).toBe('FLEET.SELECTOR_TOO_BROAD')
    expect(patched.body.error.message).toContain("fleet 'api'")
    expect(await fleetNames()).toEqual(['api', 'edge'])
    expect((await api<{ selector: unknown }>('GET', '/api/v1/fleets/edge')).body.selector).toBeNull()

    // `*` in node.cluster or metadata is a literal name there, not a wildcard.
    const literal = await api('POST', '/api/v1/fleets', { body: { name: 'star-cluster', selector: { nodeIdGlob: '*', nodeCluster: '*' } } })
    expect(literal.status, literal.text).toBe(201)
    expect((await api('DELETE', '/api/v1/fleets/star-cluster')).status).toBe(204)
  })
})

describe('a selector that would take connected proxies from other fleets', () => {
  beforeAll(async () => {
    await connect('edge-1', 'edge', 'edge')
    await connect('edge-2', 'edge', 'edge')
    await connect('api-1', 'api', 'api', { team: 'blue' })
    await connect('api-2', 'api', 'api', { team: 'red' })
  })

  it('is refused 409 FLEET.SELECTOR_TAKEOVER listing which proxies from which fleet; nothing changes', async () => {
    const refused = await api<ErrorBody>('POST', '/api/v1/fleets', { body: { name: 'edges', selector: { nodeIdGlob: 'edge-*' } } })
    expect(refused.status, refused.text).toBe(409)
    expect(refused.body.error.code).toBe('FLEET.SELECTOR_TAKEOVER')
    expect(refused.body.error.message).toContain("would take 2 connected proxies from other fleets")
    expect(refused.body.error.message).toContain("from fleet 'edge': 'edge-1', 'edge-2'")
    expect(refused.body.error.message).toContain('"confirmTakeover": true')
    expect(refused.body.error.details).toEqual({
      total: 2,
      takeovers: [
        { nodeId: 'edge-1', fromFleet: 'edge', outcome: 'moves', alsoSelectedBy: [] },
        { nodeId: 'edge-2', fromFleet: 'edge', outcome: 'moves', alsoSelectedBy: [] },
      ],
    })
    expect(refused.body.error.issues.map((i) => i.message)).toEqual(["takes proxy 'edge-1' from fleet 'edge'", "takes proxy 'edge-2' from fleet 'edge'"])
    expect(await fleetNames()).toEqual(['api', 'edge'])

    // Metadata conditions are evaluated against what each proxy sent (recorded with its stream).
    const blue = await api<ErrorBody>('POST', '/api/v1/fleets', { body: { name: 'blue', selector: { metadata: { team: 'blue' } } } })
    expect(blue.status, blue.text).toBe(409)
    expect((blue.body.error.details as { takeovers: Takeover[] }).takeovers).toEqual([{ nodeId: 'api-1', fromFleet: 'api', outcome: 'moves', alsoSelectedBy: [] }])

    // On change too: api's selector would take edge's proxies.
    const patched = await api<ErrorBody>('PATCH', '/api/v1/fleets/api', { body: { selector: { nodeIdGlob: '*-2' } } })
    expect(patched.status, patched.text).toBe(409)
    expect((patched.body.error.details as { takeovers: Takeover[] }).takeovers.map((t) => [t.fromFleet, t.nodeId])).toEqual([['edge', 'edge-2']])
    expect((await api<{ selector: unknown }>('GET', '/api/v1/fleets/api')).body.selector).toBeNull()

    // A selector that only keeps the fleet's own proxies needs no confirmation; nor does one that matches no connected proxy.
    const own = await api<{ selector: unknown }>('PATCH', '/api/v1/fleets/edge', { body: { selector: { nodeCluster: 'edge' } } })
    expect(own.status, own.text).toBe(200)
    expect(own.body.selector).toEqual({ nodeCluster: 'edge' })
    expect((await api('POST', '/api/v1/fleets', { body: { name: 'later', selector: { nodeIdGlob: 'later-*' } } })).status).toBe(201)
    expect((await api('DELETE', '/api/v1/fleets/later')).status).toBe(204)

    // The proxies kept their fleets.
    for (const [nodeId, fleet] of [['edge-1', 'edge'], ['edge-2', 'edge'], ['api-1', 'api'], ['api-2', 'api']] as const) expect((await getProxy(api, nodeId))?.fleet).toBe(fleet)
  })

  it('names a proxy another fleet also selects: it would be refused as ambiguous', async () => {
    // edge selects node.cluster = edge; a fleet selecting `edge-1` would leave edge-1 matched by both.
    const refused = await api<ErrorBody>('POST', '/api/v1/fleets', { body: { name: 'edge-one', selector: { nodeIdGlob: 'edge-1' } } })
    expect(refused.status, refused.text).toBe(409)
    expect((refused.body.error.details as { takeovers: Takeover[] }).takeovers).toEqual([{ nodeId: 'edge-1', fromFleet: 'edge', outcome: 'ambiguous', alsoSelectedBy: ['edge'] }])
    expect(refused.body.error.message).toContain("'edge-1' (then refused: also selected by 'edge')")
  })

  it('goes ahead with confirmTakeover: true, audited; the proxy lands in the new fleet when it reconnects', async () => {
    const created = await api<{ name: string; selector: unknown }>('POST', '/api/v1/fleets', { body: { name: 'blue', selector: { metadata: { team: 'blue' } }, confirmTakeover: true } })
    expect(created.status, created.text).toBe(201)
    expect(created.body.selector).toEqual({ metadata: { team: 'blue' } })
    await putEchoDraft(api, 'blue', echoFleetResources(endpoints()))
    expect(await commitDraft(api, 'blue', 'blue config')).toBe(1)

    const audit = await api<{ entries: Array<{ action: string; detail: Record<string, unknown> | null }> }>('GET', '/api/v1/audit?fleet=blue&action=fleet.create')
    expect(audit.body.entries[0]?.detail).toEqual({ takeover: { total: 1, proxies: [{ nodeId: 'api-1', fromFleet: 'api', outcome: 'moves' }] } })

    // Its open stream stays with api; its next one is blue's.
    expect((await getProxy(api, 'api-1'))?.fleet).toBe('api')
    await connect('api-1', 'api', 'blue', { team: 'blue' })
    expect((await getProxy(api, 'api-2'))?.fleet).toBe('api')

    // PATCH with confirmation: api takes edge-2 (once edge matches by name again, so that edge-2 is not claimed twice).
    expect((await api('PATCH', '/api/v1/fleets/edge', { body: { selector: null } })).status).toBe(200)
    const patched = await api('PATCH', '/api/v1/fleets/api', { body: { selector: { nodeIdGlob: '*-2' }, confirmTakeover: true } })
    expect(patched.status, patched.text).toBe(200)
    await connect('edge-2', 'edge', 'api')
  })
})
