import { describe, expect, it } from 'vitest'
import { describeProxyState, describeTypeStatus, shortTypeName, stateSeverity } from '../../../../components/proxies/type-status'
import { CDS, nack, RDS, typeStatus } from './fixtures'

const MAGLEV = 'Cluster message validation failed: [load_balancing_policy unset and unsupported lb_policy: MAGLEV]'

describe('describeTypeStatus', () => {
  it.each([
    ['ACKed what was sent', typeStatus(CDS, 3), { state: 'SYNCED', text: 'SYNCED v3', tone: 'success', version: 3, runningVersion: null }],
    ['sent v4, still on v3', typeStatus(CDS, 4, 3), { state: 'STALE', text: 'STALE v4', tone: 'warning', version: 4, runningVersion: 3 }],
    ['sent, never ACKed', typeStatus(CDS, 1, null), { state: 'STALE', text: 'STALE v1', version: 1, runningVersion: null }],
    ['rejected v4, runs v3', nack(CDS, 4, 3, MAGLEV), { state: 'NACKED', text: 'NACKED v4', tone: 'danger', version: 4, runningVersion: 3 }],
    ['subscribed, nothing sent', { typeUrl: RDS, names: ['r'], wildcard: false, resourceNames: [] }, { state: 'NOT_SENT', text: 'NOT SENT', tone: 'neutral', version: null }],
  ] as const)('%s', (_, status, expected) => {
    expect(describeTypeStatus(status)).toMatchObject({ subscribed: true, ...expected })
  })

  it('carries the NACK (text, version, time) only while the latest response is the rejected one', () => {
    const nacked = describeTypeStatus(nack(CDS, 4, 3, MAGLEV))
    expect(nacked.nack?.message).toContain('MAGLEV')
    expect(nacked.detail).toBe('rejected v4; runs v3')
    // A later response was ACKed: the old NACK no longer describes the proxy.
    const recovered = describeTypeStatus({ ...nack(CDS, 4, 3, MAGLEV), nonceSent: '50', sentFromVersion: 5, nonceAcked: '50', ackedFromVersion: 5 })
    expect(recovered).toMatchObject({ state: 'SYNCED', text: 'SYNCED v5', nack: null })
  })

  it('shows a dash for a type the proxy never asked for', () => {
    expect(describeTypeStatus(undefined)).toMatchObject({ subscribed: false, text: '—', detail: 'not subscribed', version: null })
  })

  it('leaves the version out when the status does not know it', () => {
    const { sentFromVersion: _s, ackedFromVersion: _a, ...noVersions } = typeStatus(CDS, 2)
    expect(describeTypeStatus(noVersions)).toMatchObject({ state: 'SYNCED', text: 'SYNCED', version: null })
  })
})

describe('describeProxyState', () => {
  it('gives every state a label, a tone and a meaning, so colour never carries it alone', () => {
    expect(describeProxyState('NOT_SENT')).toMatchObject({ label: 'NOT SENT', tone: 'neutral' })
    expect(describeProxyState('DISCONNECTED')).toMatchObject({ label: 'DISCONNECTED', tone: 'neutral' })
    expect(describeProxyState('NACKED').meaning).toMatch(/rejected/)
  })

  it('sorts the most urgent states first', () => {
    const states = ['SYNCED', 'DISCONNECTED', 'NACKED', 'NOT_SENT', 'STALE'] as const
    expect([...states].sort((a, b) => stateSeverity(a) - stateSeverity(b))).toEqual(['NACKED', 'STALE', 'NOT_SENT', 'DISCONNECTED', 'SYNCED'])
  })
})

describe('shortTypeName', () => {
  it('names the five types as people do, and falls back to the message name', () => {
    expect(shortTypeName(CDS)).toBe('CDS')
    expect(shortTypeName('type.googleapis.com/envoy.config.core.v3.TypedExtensionConfig')).toBe('TypedExtensionConfig')
  })
})
