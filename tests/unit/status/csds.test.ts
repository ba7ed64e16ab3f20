import { describe, expect, it } from 'vitest'
import { buildClientConfig, matchesString } from '../../../server/status/csds'
import type { ConnectionStatus } from '../../../server/contract/proxy-state'

const CDS = 'type.googleapis.com/envoy.config.cluster.v3.Cluster'
const proxy: ConnectionStatus = {
  id: 'c1', replicaId: 'r', nodeId: 'envoy-1', nodeCluster: 'demo', fleet: 'demo', peer: 'p', userAgentName: 'envoy', userAgentVersion: '1.33', stream: 'ADS',
  connectedAt: '2026-01-01T00:00:00.000Z', disconnectedAt: null, lastSeenAt: '2026-01-01T00:00:00.000Z', closeReason: null,
  types: {
    [CDS]: { typeUrl: CDS, names: [], wildcard: true, nonceSent: '2', versionSent: 'v2', nonceAcked: '1', versionAcked: 'v1', ackedAt: '2026-01-01T00:00:01.500Z', resourceNames: ['a', 'b'], lastNack: { message: 'bad lb', code: 3, version: 'v2', nonce: '2', at: '2026-01-01T00:00:02.000Z' } },
  },
}

describe('CSDS', () => {
  it('reports one GenericXdsConfig per resource with the NACK as an error state', () => {
    const config = buildClientConfig(proxy, (_t, name) => (name === 'a' ? new Uint8Array([1]) : null))
    expect(config.node).toEqual({ id: 'envoy-1', cluster: 'demo', user_agent_name: 'envoy', user_agent_version: '1.33' })
    expect(config.generic_xds_configs.map((c) => [c.name, c.config_status, c.client_status, c.version_info])).toEqual([
      ['a', 'ERROR', 'NACKED', 'v2'],
      ['b', 'ERROR', 'NACKED', 'v2'],
    ])
    expect(config.generic_xds_configs[0]?.error_state).toEqual({ details: 'bad lb', version_info: 'v2', last_update_attempt: { seconds: '1767225602', nanos: 0 } })
    expect(config.generic_xds_configs[0]?.xds_config?.value).toEqual(new Uint8Array([1]))
    expect(config.generic_xds_configs[1]?.xds_config).toBeNull()
    expect(config.generic_xds_configs[0]?.last_updated).toEqual({ seconds: '1767225601', nanos: 500_000_000 })
  })

  it.each([
    [{ exact: 'envoy-1' }, true],
    [{ exact: 'envoy-2' }, false],
    [{ prefix: 'env' }, true],
    [{ suffix: '-1' }, true],
    [{ contains: 'voy' }, true],
    [{ exact: 'ENVOY-1', ignore_case: true }, true],
    [{ safe_regex: { regex: 'envoy-[0-9]+' } }, true],
    [{ safe_regex: { regex: 'envoy' } }, false],
  ])('matches node ids with StringMatcher %j → %s', (matcher, expected) => {
    expect(matchesString(matcher, 'envoy-1')).toBe(expected)
  })
})
