import { describe, expect, it } from 'vitest'
import { summarizeCluster, summarizeListener, summarizeTransportSocket } from '../../../../components/resources/summaries'

const UPSTREAM = 'type.googleapis.com/envoy.extensions.transport_sockets.tls.v3.UpstreamTlsContext'
const DOWNSTREAM = 'type.googleapis.com/envoy.extensions.transport_sockets.tls.v3.DownstreamTlsContext'

const upstreamTls = {
  name: 'envoy.transport_sockets.tls',
  typed_config: {
    '@type': UPSTREAM,
    sni: 'api.example.com',
    common_tls_context: { tls_certificate_sds_secret_configs: [{ name: 'client-cert' }], combined_validation_context: { default_validation_context: {}, validation_context_sds_secret_config: { name: 'ca' } } },
  },
}
const downstreamChain = (secret: string) => ({
  filters: [],
  transport_socket: { name: 'envoy.transport_sockets.tls', typed_config: { '@type': DOWNSTREAM, common_tls_context: { tls_certificate_sds_secret_configs: [{ name: secret }] } } },
})

describe('TLS at a glance (#15)', () => {
  it('a cluster: SNI and the SDS secrets of its certificate and validation context', () => {
    const s = summarizeCluster({ name: 'api', transport_socket: upstreamTls })
    expect(s.tls).toBe(true)
    expect(s.tlsDetail).toEqual({ sni: 'api.example.com', secrets: ['client-cert', 'ca'], inlineCertificates: false })
  })

  it('no transport socket, or one that is not TLS, is no TLS', () => {
    expect(summarizeCluster({ name: 'plain' }).tlsDetail).toBeNull()
    const raw = summarizeCluster({ name: 'raw', transport_socket: { name: 'envoy.transport_sockets.raw_buffer', typed_config: { '@type': 'type.googleapis.com/envoy.extensions.transport_sockets.raw_buffer.v3.RawBuffer' } } })
    expect(raw.tls).toBe(false)
    expect(raw.tlsDetail).toBeNull()
  })

  it('inline certificates are noted, named only by the socket name when untyped', () => {
    expect(summarizeTransportSocket({ name: 'envoy.transport_sockets.tls', typed_config: { '@type': UPSTREAM, common_tls_context: { tls_certificates: [{}] } } })).toEqual({ sni: null, secrets: [], inlineCertificates: true })
    expect(summarizeTransportSocket({ name: 'tls' })).toEqual({ sni: null, secrets: [], inlineCertificates: false })
  })

  it('a listener: how many chains terminate TLS, the default chain included, and their secrets once each', () => {
    const s = summarizeListener({ name: 'https', filter_chains: [downstreamChain('edge-cert'), { filters: [] }], default_filter_chain: downstreamChain('edge-cert') })
    expect(s.chains.map((c) => c.tls)).toEqual([true, false, true])
    expect(s.tlsChains).toBe(2)
    expect(s.tlsSecrets).toEqual(['edge-cert'])
    expect(summarizeListener({ name: 'plain', filter_chains: [{ filters: [] }] })).toMatchObject({ tls: false, tlsChains: 0, tlsSecrets: [] })
  })
})
