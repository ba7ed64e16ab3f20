import { describe, expect, it } from 'vitest'
import { deriveProxyState, deriveTypeState, isOnVersion, lastAckAt, type NackView, type ProxyState, type TypeState, type TypeStatus } from '../../../server/contract/proxy-state'
import { CLUSTER_LOAD_ASSIGNMENT_TYPE_URL as EDS, CLUSTER_TYPE_URL as CDS, LISTENER_TYPE_URL as LDS, ROUTE_CONFIGURATION_TYPE_URL as RDS } from '../../../server/xds-types/type-urls'

const nack = (nonce: string, version = 'v1'): NackView => ({ message: 'bad config', code: 3, version, nonce, at: '2024-01-01T00:00:00.000Z' })

const status = (typeUrl: string, fields: Partial<TypeStatus> = {}): TypeStatus => ({ typeUrl, names: [], wildcard: true, resourceNames: [], ...fields })

/** One type in each state, for the proxy-level tables. */
const TYPE_IN: Record<TypeState, (typeUrl: string) => TypeStatus> = {
  NOT_SENT: (t) => status(t),
  SYNCED: (t) => status(t, { nonceSent: '2', versionSent: 'v2', nonceAcked: '2', versionAcked: 'v2' }),
  STALE: (t) => status(t, { nonceSent: '3', versionSent: 'v3', nonceAcked: '2', versionAcked: 'v2' }),
  NACKED: (t) => status(t, { nonceSent: '3', versionSent: 'v3', nonceAcked: '2', versionAcked: 'v2', lastNack: nack('3', 'v3') }),
}

describe('deriveTypeState', () => {
  it.each<[string, TypeStatus | undefined, TypeState]>([
    ['no status at all', undefined, 'NOT_SENT'],
    ['subscribed, nothing sent yet', status(CDS), 'NOT_SENT'],
    ['sent and not yet answered', status(CDS, { nonceSent: '1', versionSent: 'v1' }), 'STALE'],
    ['the latest send is ACKed', status(CDS, { nonceSent: '1', versionSent: 'v1', nonceAcked: '1', versionAcked: 'v1' }), 'SYNCED'],
    ['an older send is ACKed, the latest is not answered', status(CDS, { nonceSent: '2', versionSent: 'v2', nonceAcked: '1', versionAcked: 'v1' }), 'STALE'],
    ['the latest send is NACKed', status(CDS, { nonceSent: '2', versionSent: 'v2', nonceAcked: '1', versionAcked: 'v1', lastNack: nack('2', 'v2') }), 'NACKED'],
    ['the first and only send is NACKed', status(CDS, { nonceSent: '1', versionSent: 'v1', lastNack: nack('1') }), 'NACKED'],
    ['an old NACK, then a newer send that is ACKed', status(CDS, { nonceSent: '3', versionSent: 'v3', nonceAcked: '3', versionAcked: 'v3', lastNack: nack('2', 'v2') }), 'SYNCED'],
    ['an old NACK, then a newer send not answered yet', status(CDS, { nonceSent: '3', versionSent: 'v3', nonceAcked: '1', versionAcked: 'v1', lastNack: nack('2', 'v2') }), 'STALE'],
  ])('%s → %s', (_label, t, expected) => {
    expect(deriveTypeState(t)).toBe(expected)
  })
})

describe('deriveProxyState', () => {
  const proxy = (...states: TypeState[]) => ({
    disconnectedAt: null,
    types: Object.fromEntries(states.map((s, i) => [`type-${i}`, TYPE_IN[s](`type.googleapis.com/t${i}`)])),
  })

  it.each<[TypeState[], ProxyState]>([
    [[], 'NOT_SENT'],
    [['NOT_SENT'], 'NOT_SENT'],
    [['NOT_SENT', 'NOT_SENT'], 'NOT_SENT'],
    [['SYNCED'], 'SYNCED'],
    [['SYNCED', 'SYNCED', 'SYNCED'], 'SYNCED'],
    [['SYNCED', 'STALE'], 'STALE'],
    [['STALE', 'NOT_SENT'], 'STALE'],
    [['SYNCED', 'NACKED'], 'NACKED'],
    [['NACKED', 'STALE', 'SYNCED', 'NOT_SENT'], 'NACKED'],
    [['STALE', 'NACKED'], 'NACKED'],
  ])('types %j → %s', (states, expected) => {
    expect(deriveProxyState(proxy(...states))).toBe(expected)
  })

  // As implemented: a type never sent (e.g. an unsubscribed one) does not hold back a proxy whose
  // other types are synced. The doc comment's "NOT_SENT > SYNCED" ordering is only used when nothing was sent.
  it('is SYNCED when some types are synced and the others were never sent', () => {
    expect(deriveProxyState(proxy('SYNCED', 'NOT_SENT'))).toBe('SYNCED')
  })

  it('is DISCONNECTED once the stream is gone, whatever the types say', () => {
    expect(deriveProxyState({ ...proxy('NACKED', 'SYNCED'), disconnectedAt: '2024-01-01T00:00:00.000Z' })).toBe('DISCONNECTED')
    expect(deriveProxyState({ disconnectedAt: '2024-01-01T00:00:00.000Z', types: {} })).toBe('DISCONNECTED')
  })
})

describe('isOnVersion', () => {
  const VERSION = { [CDS]: 'c2', [EDS]: 'e2', [LDS]: 'l2', [RDS]: 'r2' }
  const acked = (typeUrl: string, versionAcked: string | undefined) => status(typeUrl, versionAcked === undefined ? {} : { nonceSent: '1', nonceAcked: '1', versionSent: versionAcked, versionAcked })
  const types = (...entries: TypeStatus[]) => ({ types: Object.fromEntries(entries.map((t) => [t.typeUrl, t])) })

  it('is true when every subscribed type has acknowledged that version', () => {
    expect(isOnVersion(types(acked(CDS, 'c2'), acked(LDS, 'l2'), acked(RDS, 'r2')), VERSION)).toBe(true)
  })

  it('is false when one subscribed type acknowledged another version', () => {
    expect(isOnVersion(types(acked(CDS, 'c2'), acked(LDS, 'l1')), VERSION)).toBe(false)
  })

  it('is false when one subscribed type has acknowledged nothing yet', () => {
    expect(isOnVersion(types(acked(CDS, 'c2'), acked(LDS, undefined)), VERSION)).toBe(false)
  })

  it('ignores types the version has no entry for', () => {
    expect(isOnVersion(types(acked(CDS, 'c2'), acked('type.googleapis.com/other', 'zzz')), VERSION)).toBe(true)
  })

  it('is false for a proxy with no types, or with only types the version does not know', () => {
    expect(isOnVersion(types(), VERSION)).toBe(false)
    expect(isOnVersion(types(acked('type.googleapis.com/other', 'x')), VERSION)).toBe(false)
  })

  it('compares what was ACKed, not what was sent', () => {
    const sentNotAcked = status(CDS, { nonceSent: '2', versionSent: 'c2', nonceAcked: '1', versionAcked: 'c1' })
    expect(isOnVersion(types(sentNotAcked), VERSION)).toBe(false)
  })
})

describe('lastAckAt', () => {
  it('is null when no type has been ACKed', () => {
    expect(lastAckAt({ types: {} })).toBeNull()
    expect(lastAckAt({ types: { [CDS]: status(CDS, { nonceSent: '1' }) } })).toBeNull()
  })

  it('is the latest ackedAt among the types, whatever their order', () => {
    const types = {
      [LDS]: status(LDS, { ackedAt: '2024-05-01T10:00:02.000Z' }),
      [CDS]: status(CDS, { ackedAt: '2024-05-01T10:00:09.500Z' }),
      [EDS]: status(EDS),
      [RDS]: status(RDS, { ackedAt: '2024-05-01T09:59:59.999Z' }),
    }
    expect(lastAckAt({ types })).toBe('2024-05-01T10:00:09.500Z')
  })
})

describe('a delta rejection still standing', () => {
  it('keeps the type NACKED after a later response is ACKed, until the fleet moves away from the rejected content', () => {
    const base: TypeStatus = { typeUrl: CDS, names: [], wildcard: true, resourceNames: [], lastNack: nack('2', 'c2'), nonceSent: '3', nonceAcked: '3' }
    expect(deriveTypeState({ ...base, rejectedCount: 1 })).toBe('NACKED')
    expect(deriveTypeState(base)).toBe('SYNCED')
  })
})
