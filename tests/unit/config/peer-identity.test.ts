import { describe, expect, it } from 'vitest'
import { checkPeerIdentity, identityNames, parseSubjectAltName } from '../../../server/config/peer-identity'

const peer = (commonName: string | null, san = '') => ({ commonName, ...parseSubjectAltName(san) })

describe('peer identity', () => {
  it('reads CN, DNS SANs and the last segment of URI SANs', () => {
    expect(identityNames(peer('envoy-1', 'DNS:edge.example, URI:spiffe://corp/ns/edge/sa/envoy-2, IP Address:10.0.0.1'))).toEqual(['envoy-1', 'edge.example', 'envoy-2'])
  })

  it.each([
    ['node-id', peer('envoy-1', 'DNS:demo'), null],
    ['node-id', peer('x', 'URI:spiffe://corp/fleet/demo/node/envoy-1'), null],
    // The node id alone does not let a proxy claim any fleet by node.cluster (issue #16 item 12).
    ['node-id', peer('envoy-1'), "the client certificate of proxy 'envoy-1' does not name fleet 'demo', which the proxy asked for by node.cluster: add the fleet to the certificate (a DNS SAN, or a URI SAN with /fleet/demo/), or give the fleet a selector that matches the node id"],
    ['node-id', peer('x', 'URI:spiffe://corp/ns/a/sa/envoy-1'), "the client certificate of proxy 'envoy-1' does not name fleet 'demo', which the proxy asked for by node.cluster: add the fleet to the certificate (a DNS SAN, or a URI SAN with /fleet/demo/), or give the fleet a selector that matches the node id"],
    ['node-id', peer('envoy-2'), "the client certificate of proxy 'envoy-1' is for 'envoy-2', not the node id 'envoy-1' it asked for"],
    ['fleet', peer('demo'), null],
    ['fleet', peer('envoy-1'), "the client certificate of proxy 'envoy-1' is for 'envoy-1', not the fleet 'demo' it asked for"],
    ['none', null, null],
    ['node-id', null, "proxy 'envoy-1' presented no client certificate"],
  ] as const)('binding %s with %j → %s', (binding, p, expected) => {
    expect(checkPeerIdentity(binding, p, { nodeId: 'envoy-1', fleet: 'demo' })).toBe(expected)
  })

  it('lets a certificate for the node id alone into a fleet that selected the proxy itself', () => {
    expect(checkPeerIdentity('node-id', peer('envoy-1'), { nodeId: 'envoy-1', fleet: 'edge', bySelector: true })).toBeNull()
  })
})
