import { describe, expect, it } from 'vitest'
import { describeAcked, describeDrift, describeDriftChange, describeTypeComparison, orderedDriftTypes } from '../../../../components/proxies/drift'
import type { ProxyDrift, TypeDrift } from '../../../../components/proxies/types'
import { CDS, EDS, LDS, RDS } from './fixtures'

const change = (name: string, kind: 'added' | 'removed' | 'modified' = 'modified') => ({ type: 'Cluster' as const, name, change: kind, beforeHash: 'a', afterHash: 'b', patch: '' })
const type = (typeUrl: string, extra: Partial<TypeDrift> = {}): TypeDrift => ({ typeUrl, ackedFromVersion: 3, state: 'SYNCED', changes: [], caveat: null, ...extra })
const drift = (types: TypeDrift[], extra: Partial<ProxyDrift> = {}): ProxyDrift => ({ nodeId: 'edge-1', fleet: 'edge', activeVersion: 5, runsActive: false, types, ...extra })

describe('the verdict on what a proxy runs against the active version', () => {
  it('runs the active version when the API says so', () => {
    const v = describeDrift(drift([type(CDS, { ackedFromVersion: 5 }), type(LDS)], { runsActive: true }), true)
    expect(v).toMatchObject({ kind: 'runs-active', tone: 'success', text: 'Runs the active version v5', differing: 0 })
  })

  it('differs on K resources, counted over every type, and says on which types', () => {
    const v = describeDrift(drift([type(LDS, { changes: [change('l1', 'added'), change('l2', 'removed')] }), type(CDS, { state: 'NACKED', changes: [change('echo-backend')] })]), true)
    expect(v.kind).toBe('differs')
    expect(v.text).toBe('Differs from v5 on 3 resources')
    expect(v.detail).toBe('1 in CDS, 2 in LDS. Each diff goes from what the proxy runs (−) to what v5 wants (+).')
    expect(v.differing).toBe(3)
    expect(describeDrift(drift([type(CDS, { changes: [change('a')] })]), true).text).toBe('Differs from v5 on 1 resource')
  })

  it('is not confirmed while no resource differs but a type waits for its ACK', () => {
    const v = describeDrift(drift([type(CDS, { state: 'STALE' }), type(EDS), type(RDS, { state: 'NACKED' })]), true)
    expect(v).toMatchObject({ kind: 'unconfirmed', tone: 'warning', text: 'Not confirmed on v5 yet', detail: 'No resource differs, but CDS is STALE, RDS is NACKED.' })
  })

  it('is unknown while the stream is closed, whatever the comparison says', () => {
    const v = describeDrift(drift([type(CDS, { changes: [change('a')] })]), false)
    expect(v.kind).toBe('unknown')
    expect(v.text).toBe('Unknown while disconnected')
    expect(v.detail).toContain('against v5')
    expect(describeDrift(drift([type(CDS)], { runsActive: true }), false).kind).toBe('unknown')
  })

  it('has nothing to compare without a fleet, an active version or a subscription', () => {
    expect(describeDrift(drift([], { fleet: null, activeVersion: null }), true).kind).toBe('no-fleet')
    expect(describeDrift(drift([type(CDS)], { activeVersion: null }), true)).toMatchObject({ kind: 'no-version', text: 'Nothing to compare: edge has no active version yet' })
    expect(describeDrift(drift([]), true).kind).toBe('no-types')
  })
})

describe('one type', () => {
  it('orders types as ADS pushes them, unknown ones last', () => {
    const other = 'type.googleapis.com/example.Unknown'
    expect(orderedDriftTypes([type(RDS), type(other), type(LDS), type(CDS), type(EDS)]).map((t) => t.typeUrl)).toEqual([CDS, EDS, LDS, RDS, other])
  })

  it('names the version it ACKed, or that it ACKed nothing', () => {
    expect(describeAcked(type(CDS, { ackedFromVersion: 1 }))).toBe('ACKed v1')
    expect(describeAcked(type(CDS, { ackedFromVersion: null, state: 'STALE' }))).toBe('nothing ACKed yet')
  })

  it('says how it compares', () => {
    expect(describeTypeComparison(type(CDS), 5)).toBe('matches v5')
    expect(describeTypeComparison(type(CDS, { state: 'STALE' }), 5)).toBe('same resources as v5, not ACKed')
    expect(describeTypeComparison(type(CDS, { changes: [change('a')] }), 5)).toBe('1 resource differs')
    expect(describeTypeComparison(type(CDS, { changes: [change('a'), change('b')] }), 5)).toBe('2 resources differ')
  })

  it('words a change from the proxy’s side: the diff goes from what it runs to what the version wants', () => {
    expect(describeDriftChange('added', 5)).toBe('in v5, not on the proxy')
    expect(describeDriftChange('removed', 5)).toBe('on the proxy, not in v5')
    expect(describeDriftChange('modified', 5)).toBe('the proxy runs another version of it')
  })
})
