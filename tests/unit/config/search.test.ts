import { describe, expect, it } from 'vitest'
import { DEMO_RESOURCES } from '../../../server/config/demo'
import type { ConfigResource, ResourceJson } from '../../../server/config/resource-types'
import { matchResource, matchText, normalizeQuery } from '../../../server/config/search'

const routes: ConfigResource = {
  type: 'RouteConfiguration',
  name: 'edge-routes',
  resource: {
    name: 'edge-routes',
    virtual_hosts: [
      {
        name: 'api',
        domains: ['api.example.com', '*.api.example.com'],
        routes: [
          { match: { prefix: '/v1/orders' }, route: { cluster: 'orders' } },
          { match: { prefix: '/' }, route: { cluster: 'web' } },
        ],
      },
    ],
  } as ResourceJson,
}
const endpoints: ConfigResource = {
  type: 'ClusterLoadAssignment',
  name: 'orders',
  resource: { cluster_name: 'orders', endpoints: [{ lb_endpoints: [{ endpoint: { address: { socket_address: { address: '10.1.2.3', port_value: 9090 } } } }] }] } as ResourceJson,
}
const PEM_BODY = 'MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjSearchMe'
const secret = (privateKey: string): ConfigResource => ({
  type: 'Secret',
  name: 'edge-cert',
  resource: { name: 'edge-cert', tls_certificate: { certificate_chain: { inline_string: '-----BEGIN CERTIFICATE-----\nMIIDcert\n' }, private_key: { inline_string: privateKey } } } as ResourceJson,
})

describe('matchText', () => {
  it('ranks a whole match before a start before a match inside, any case', () => {
    expect(matchText('Orders', 'orders')?.rank).toBe(0)
    expect(matchText('orders-v2', 'orders')?.rank).toBe(1)
    expect(matchText('edge-orders', 'orders')?.rank).toBe(2)
    expect(matchText('payments', 'orders')).toBeNull()
    expect(matchText('anything', '')).toBeNull()
  })

  it('cuts a long text to a window around the match', () => {
    const text = `${'a'.repeat(200)}needle${'b'.repeat(200)}`
    const m = matchText(text, 'needle')!
    expect(m.snippet).toContain('needle')
    expect(m.snippet.length).toBeLessThanOrEqual(82)
    expect(m.snippet.startsWith('…') && m.snippet.endsWith('…')).toBe(true)
  })

  it('normalizes the query: trimmed, lower case', () => {
    expect(normalizeQuery('  /V1/Orders ')).toBe('/v1/orders')
  })
})

describe('matchResource', () => {
  it('finds a resource by its name first', () => {
    expect(matchResource(routes, 'edge-r')).toEqual({ field: 'name', rank: 1, snippet: 'edge-routes' })
  })

  it('finds a route by its path prefix and a virtual host by its domain, naming the field', () => {
    expect(matchResource(routes, '/v1/orders')).toEqual({ field: 'virtual_hosts[0].routes[0].match.prefix', rank: 0, snippet: '/v1/orders' })
    expect(matchResource(routes, 'api.example.com')).toEqual({ field: 'virtual_hosts[0].domains[0]', rank: 0, snippet: 'api.example.com' })
  })

  it('prefers the best rank over the first match', () => {
    // 'web' is inside no earlier value, and whole in the second route's cluster.
    expect(matchResource(routes, 'web')?.field).toBe('virtual_hosts[0].routes[1].route.cluster')
  })

  it('finds endpoints by IP, by port, and by address:port', () => {
    expect(matchResource(endpoints, '10.1.2')?.field).toBe('endpoints[0].lb_endpoints[0].endpoint.address.socket_address.address')
    expect(matchResource(endpoints, '9090')?.field).toBe('endpoints[0].lb_endpoints[0].endpoint.address.socket_address.port_value')
    expect(matchResource(endpoints, '10.1.2.3:9090')).toMatchObject({ field: 'endpoints[0].lb_endpoints[0].endpoint.address.socket_address', rank: 0 })
  })

  it('matches values, not field names', () => {
    expect(matchResource(routes, 'virtual_hosts')).toBeNull()
    expect(matchResource(DEMO_RESOURCES[2]!, 'lb_policy')).toBeNull()
    expect(matchResource(DEMO_RESOURCES[2]!, 'round_robin')?.field).toBe('lb_policy')
  })

  it('never matches key material: not a private key in clear, not a sealed value, not its marker', () => {
    const pem = `-----BEGIN PRIVATE KEY-----\n${PEM_BODY}\n-----END PRIVATE KEY-----\n`
    expect(matchResource(secret(pem), 'searchme')).toBeNull()
    expect(matchResource(secret(pem), 'private key')).toBeNull()
    expect(matchResource(secret('legation:sealed:v1:0a1b2c3d:QUJDREVGR0g='), normalizeQuery('QUJDREVG'))).toBeNull()
    expect(matchResource(secret('<set:0a1b2c3d>'), '0a1b2c3d')).toBeNull()
    // A sealed value anywhere else (inline in a TLS context of a cluster) does not match either.
    const cluster: ConfigResource = { type: 'Cluster', name: 'c', resource: { name: 'c', note: 'legation:sealed:v1:0a1b2c3d:QUJDREVGR0g=' } as ResourceJson }
    expect(matchResource(cluster, 'qujdrevg')).toBeNull()
    // The public certificate may match.
    expect(matchResource(secret(pem), normalizeQuery('MIIDcert'))?.field).toBe('tls_certificate.certificate_chain.inline_string')
  })
})
