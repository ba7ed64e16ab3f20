import { describe, expect, it } from 'vitest'
import { loadEnvoyRoot } from '../../../proto/loader'
import { decodeMessage, messageNameOfTypeUrl } from '../../../server/config/proto-json'
import { openSotwStream, type ReceivedSotwResponse } from '../../support/xds-protocol-client'
import { apiClient, type ApiClient } from '../../support/http'
import { setupTestServer } from '../../support/test-server'
import { waitFor } from '../../support/wait-for'

const TYPES = {
  listeners: 'type.googleapis.com/envoy.config.listener.v3.Listener',
  routes: 'type.googleapis.com/envoy.config.route.v3.RouteConfiguration',
  clusters: 'type.googleapis.com/envoy.config.cluster.v3.Cluster',
  endpoints: 'type.googleapis.com/envoy.config.endpoint.v3.ClusterLoadAssignment',
  secrets: 'type.googleapis.com/envoy.extensions.transport_sockets.tls.v3.Secret',
} as const

type RestResponse = { version_info: string; resources: Array<Record<string, unknown>>; type_url: string }

const t = setupTestServer('xds_rest')
const { api } = t
/** Discovery as a proxy polls it: no API token (the non-secret types are open by default). */
const discovery: ApiClient = (method, path, options) => apiClient(t.server.baseUrl, null)(method, path, options)

/** One SotW ADS request/response on a raw stream: the reference REST must agree with. */
async function adsFetch(typeUrl: string, names: string[]): Promise<ReceivedSotwResponse> {
  const stream = openSotwStream(t.xdsPort)
  try {
    stream.send({ node: { id: 'ads-reference', cluster: 'demo', user_agent_name: 'test' }, resource_names: names, type_url: typeUrl })
    return await stream.next()
  } finally {
    stream.close()
  }
}

const post = (kind: keyof typeof TYPES, body: unknown, headers: Record<string, string> = {}) => discovery<RestResponse>('POST', `/v3/discovery:${kind}`, { body, headers })
const node = { id: 'curl-1', cluster: 'demo' }

describe('REST-JSON discovery (POST /v3/discovery:*)', () => {
  it.each([
    ['clusters', []],
    ['listeners', []],
    ['routes', ['local_route']],
  ] as const)('answers %s with what ADS sends, as proto3 JSON', async (kind, names) => {
    const rest = await post(kind, { node, resource_names: names, type_url: TYPES[kind] })
    expect(rest.status).toBe(200)
    const ads = await adsFetch(TYPES[kind], [...names])
    expect(rest.body.version_info).toBe(ads.version_info)
    expect(rest.body.type_url).toBe(TYPES[kind])
    const root = loadEnvoyRoot()
    const fromAds = ads.resources.map((a) => ({ '@type': a.type_url, ...(decodeMessage(root, messageNameOfTypeUrl(a.type_url)!, a.value) as Record<string, unknown>) }))
    expect(rest.body.resources).toEqual(fromAds)
    expect(rest.body.resources.length).toBe(1)
  })

  it('answers 304 when the client already has the version, and 200 again after a commit', async () => {
    const first = await post('clusters', { node })
    const again = await post('clusters', { node, version_info: first.body.version_info })
    expect(again.status).toBe(304)
    await api('PUT', '/api/v1/fleets/demo/draft/clusters/service', {
      body: { name: 'service', connect_timeout: '2s', type: 'STRICT_DNS', load_assignment: { cluster_name: 'service', endpoints: [{ lb_endpoints: [{ endpoint: { address: { socket_address: { address: 'service2', port_value: 8080 } } } }] }] } },
    })
    expect((await api('POST', '/api/v1/fleets/demo/commit', { body: { message: 'to service2' } })).status).toBe(201)
    // The commit reaches the snapshot cache shortly after it is answered (debounced sync).
    const changed = await waitFor(
      async () => {
        const r = await post('clusters', { node, version_info: first.body.version_info })
        expect([200, 304]).toContain(r.status)
        return r.status === 200 && r.body
      },
      { what: 'a 200 with the committed clusters' },
    )
    expect(changed.version_info).not.toBe(first.body.version_info)
    expect(JSON.stringify(changed.resources)).toContain('service2')
  })

  it('accepts camelCase proto3 JSON and serves an empty secret list to a proxy token of the fleet', async () => {
    const request = { node: { id: 'curl-2', cluster: 'demo' }, resourceNames: ['none'], typeUrl: TYPES.secrets }
    expect((await post('secrets', request)).status).toBe(401)
    const token = await api<{ secret: string }>('POST', '/api/v1/tokens', { body: { name: 'demo-proxies', kind: 'proxy', grants: [{ role: 'viewer', fleets: 'demo' }] } })
    expect(token.status).toBe(201)
    const res = await post('secrets', request, { authorization: `Bearer ${token.body.secret}` })
    expect(res.status).toBe(200)
    expect(res.body.resources).toEqual([])
  })

  it('refuses bad requests with a clear error naming the field', async () => {
    const noNode = await discovery<{ error: { message: string; issues: Array<{ path: string }> } }>('POST', '/v3/discovery:clusters', { body: {} })
    expect(noNode.status).toBe(400)
    expect(noNode.body.error.issues[0]?.path).toBe('node.id')

    const unknownField = await discovery<{ error: { issues: Array<{ path: string }> } }>('POST', '/v3/discovery:clusters', { body: { node, resource_namez: [] } })
    expect(unknownField.status).toBe(400)
    expect(unknownField.body.error.issues[0]?.path).toBe('resource_namez')

    const wrongType = await discovery<{ error: { message: string } }>('POST', '/v3/discovery:clusters', { body: { node, type_url: TYPES.listeners } })
    expect(wrongType.status).toBe(400)
    expect(wrongType.body.error.message).toContain('does not match')

    const malformed = await discovery('POST', '/v3/discovery:clusters', { raw: '{"node":', headers: { 'content-type': 'application/json' } })
    expect(malformed.status).toBe(400)

    const noFleet = await discovery<{ error: { message: string } }>('POST', '/v3/discovery:clusters', { body: { node: { id: 'x', cluster: 'nowhere' } } })
    expect(noFleet.status).toBe(503)
    expect(noFleet.body.error.message).toContain("'nowhere'")

    expect((await discovery('GET', '/v3/discovery:clusters')).status).toBe(405)
  })
})
