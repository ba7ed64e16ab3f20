import { describe, expect, it } from 'vitest'
import { MessageSchemaSchema, type MessageSchemaView } from '../../../server/contract'
import { signInAs } from '../../support/credentials'
import { apiClient } from '../../support/http'
import { setupTestServer } from '../../support/test-server'

/**
 * GET /schema/{message} against the real server: what the console's editor completes and explains
 * from (fields, enum values, oneofs, comments, the type URLs of Any fields), any role on any fleet,
 * cacheable by the browser; unknown names and bad categories refused with what is wrong.
 */
const t = setupTestServer('schema_api')
const { api } = t

const UPSTREAM_TLS = 'type.googleapis.com/envoy.extensions.transport_sockets.tls.v3.UpstreamTlsContext'
const ROUTER = 'type.googleapis.com/envoy.extensions.filters.http.router.v3.Router'

async function schemaOf(path: string): Promise<MessageSchemaView> {
  const res = await api<MessageSchemaView>('GET', path)
  expect(res.status, res.text).toBe(200)
  return MessageSchemaSchema.parse(res.body)
}

describe('GET /api/v1/schema/{message}', () => {
  it('answers a resource message with fields, enum values, oneofs and comments, cacheable by the browser', async () => {
    const res = await api<MessageSchemaView>('GET', '/api/v1/schema/envoy.config.cluster.v3.Cluster')
    expect(res.status, res.text).toBe(200)
    expect(res.headers.get('cache-control')).toBe('private, max-age=3600')
    const cluster = MessageSchemaSchema.parse(res.body)
    const lbPolicy = cluster.fields.find((f) => f.name === 'lb_policy')
    expect(lbPolicy).toMatchObject({ kind: 'enum', doc: 'The load balancer type to use when picking a host in the cluster.' })
    expect(lbPolicy?.values?.map((v) => v.name)).toEqual(expect.arrayContaining(['ROUND_ROBIN', 'LEAST_REQUEST', 'MAGLEV']))
    expect(cluster.oneofs.map((o) => o.name)).toContain('cluster_discovery_type')
    expect(cluster.fields.find((f) => f.name === 'connect_timeout')).toMatchObject({ wellKnown: 'duration' })
  })

  it('narrows an Any by the categories of the field the message was reached through', async () => {
    const narrowed = await schemaOf('/api/v1/schema/envoy.config.core.v3.TransportSocket?categories=envoy.transport_sockets.upstream')
    const key = narrowed.fields.find((f) => f.name === 'typed_config')?.typeUrls
    expect(key).toBe('envoy.transport_sockets.upstream')
    expect(narrowed.typeUrls[key!]).toContain(UPSTREAM_TLS)
    expect(narrowed.typeUrls[key!]).not.toContain(ROUTER)
    const open = await schemaOf('/api/v1/schema/envoy.config.core.v3.TransportSocket')
    expect(open.typeUrls['*']).toEqual(expect.arrayContaining([UPSTREAM_TLS, ROUTER]))
  })

  it('any role on any fleet may read it (a viewer of fleets that do not exist yet, too)', async () => {
    const viewer = await signInAs(t.server.baseUrl, 'schema-viewer', [{ role: 'viewer', fleets: 'nowhere-*' }])
    const res = await apiClient(t.server.baseUrl, null)('GET', '/api/v1/schema/envoy.config.listener.v3.Listener', { headers: viewer })
    expect(res.status, res.text).toBe(200)
    expect((res.body as MessageSchemaView).name).toBe('envoy.config.listener.v3.Listener')
    expect((await apiClient(t.server.baseUrl, null)('GET', '/api/v1/schema/envoy.config.listener.v3.Listener')).status).toBe(401)
  })

  it('refuses an unknown message (404) and a malformed name or category with what is wrong', async () => {
    const unknown = await api<{ error: { code: string; message: string } }>('GET', '/api/v1/schema/envoy.config.cluster.v3.Nope')
    expect(unknown.status).toBe(404)
    expect(unknown.body.error).toMatchObject({ code: 'RESOURCE.TYPE_UNKNOWN', message: expect.stringContaining('envoy.config.cluster.v3.Nope') })
    const malformed = await api<{ error: { code: string; issues: Array<{ path: string }> } }>('GET', '/api/v1/schema/not%20a%20name')
    expect(malformed.status).toBe(404)
    expect(malformed.body.error.issues[0]?.path).toBe('message')
    const badCategory = await api<{ error: { code: string; issues: Array<{ path: string; message: string }> } }>('GET', '/api/v1/schema/envoy.config.core.v3.TransportSocket?categories=Not-A-Category')
    expect(badCategory.status).toBe(422)
    expect(badCategory.body.error.issues[0]).toMatchObject({ path: expect.stringContaining('categories'), message: expect.stringContaining('extension category') })
  })
})
