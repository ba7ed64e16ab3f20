import { describe, expect, it } from 'vitest'
import { classifyRequest, type RequestKind } from '../../../server/xds/classify-request'
import { subscriptionOf, type WatchedType } from '../../../server/xds/subscription'
import type { XdsTypeUrl } from '../../../server/xds-types/type-urls'
import { CDS, EDS, LDS, RDS, request, SDS, type RequestSpec } from './fixtures'

/** A watched type whose latest response carried nonce '3'. */
const watched = (typeUrl: XdsTypeUrl, names: string[], wildcard = false, nonceSent: string | undefined = '3'): WatchedType => ({
  typeUrl,
  names: new Set(names),
  wildcard,
  nonceSent,
  versionSent: nonceSent === undefined ? undefined : 'v1',
  returned: new Map(),
})

type Row = [label: string, prev: WatchedType | undefined, typeUrl: string, spec: RequestSpec, expected: RequestKind]

const rows: Row[] = [
  // first request for the type, or a reconnect (the nonce does not survive stream restarts)
  ['first request', undefined, EDS, { names: ['a'] }, 'init'],
  ['first request carrying a nonce from an old stream', undefined, EDS, { names: ['a'], nonce: '7' }, 'init'],
  ['empty nonce on a known type (no response seen yet)', watched(RDS, ['r1']), RDS, { names: ['r1', 'r2'] }, 'init'],
  ['reconnect with a known version and empty nonce', undefined, CDS, { version: 'v1' }, 'init'],
  ['error_detail with an empty nonce refers to nothing sent', undefined, CDS, { error: 'bad' }, 'init'],
  // NACK comes first, but only for the latest nonce
  ['NACK of the latest response', watched(CDS, [], true), CDS, { nonce: '3', error: 'bad' }, 'nack'],
  ['NACK that also changes the names', watched(EDS, ['a']), EDS, { names: ['a', 'b'], nonce: '3', error: 'bad' }, 'nack'],
  ['NACK of a superseded response', watched(CDS, [], true), CDS, { nonce: '2', error: 'bad' }, 'stale'],
  // stale nonces are ignored
  ['ACK of a superseded response', watched(LDS, [], true), LDS, { nonce: '2' }, 'stale'],
  ['nonce but nothing sent yet', watched(EDS, ['a'], false, undefined), EDS, { names: ['a'], nonce: '1' }, 'stale'],
  // ACK with the same subscription
  ['ACK, wildcard by empty names', watched(LDS, [], true), LDS, { nonce: '3' }, 'ack'],
  ['ACK, wildcard by "*"', watched(CDS, [], true), CDS, { names: ['*'], nonce: '3' }, 'ack'],
  ['ACK, names in another order', watched(EDS, ['a', 'b']), EDS, { names: ['b', 'a'], nonce: '3' }, 'ack'],
  ['ACK, still subscribed to nothing', watched(RDS, []), RDS, { nonce: '3' }, 'ack'],
  ['ACK, Secret by name', watched(SDS, ['cert']), SDS, { names: ['cert'], nonce: '3' }, 'ack'],
  // a subscription change looks exactly like an ACK with other names
  ['RDS adds a name', watched(RDS, ['r1']), RDS, { names: ['r1', 'r2'], nonce: '3' }, 'resubscribe'],
  ['EDS swaps a name', watched(EDS, ['a']), EDS, { names: ['b'], nonce: '3' }, 'resubscribe'],
  ['wildcard Cluster switches to a name', watched(CDS, [], true), CDS, { names: ['A'], nonce: '3' }, 'resubscribe'],
  ['wildcard Cluster adds a name to "*"', watched(CDS, [], true), CDS, { names: ['*', 'A'], nonce: '3' }, 'resubscribe'],
  ['named Listener asks for "*"', watched(LDS, ['l1']), LDS, { names: ['*'], nonce: '3' }, 'resubscribe'],
  ['"*" is an ordinary name for RDS', watched(RDS, ['r1']), RDS, { names: ['*'], nonce: '3' }, 'resubscribe'],
  ['EDS empty names', watched(EDS, ['a']), EDS, { names: [], nonce: '3' }, 'unsubscribe'],
  ['Secret empty names', watched(SDS, ['cert']), SDS, { names: [], nonce: '3' }, 'unsubscribe'],
  ['named Cluster then empty names: no legacy wildcard any more', watched(CDS, ['A']), CDS, { names: [], nonce: '3' }, 'unsubscribe'],
]

describe('classifyRequest (Istio ShouldRespond order)', () => {
  it.each(rows)('%s', (_label, prev, typeUrl, spec, expected) => {
    expect(classifyRequest(prev, request(typeUrl, spec))).toBe(expected)
  })
})

describe('subscriptionOf (xds_protocol "How the client specifies what resources to return")', () => {
  type SubRow = [label: string, typeUrl: XdsTypeUrl, names: string[], prev: { names: string[]; wildcard: boolean } | undefined, wildcard: boolean, explicit: string[]]
  const subRows: SubRow[] = [
    ['Listener, no names, first request', LDS, [], undefined, true, []],
    ['Cluster, "*"', CDS, ['*'], undefined, true, []],
    ['Cluster, "*" and a name', CDS, ['*', 'A'], undefined, true, ['A']],
    ['Cluster, a name', CDS, ['A'], undefined, false, ['A']],
    ['Cluster, no names after a wildcard', CDS, [], { names: [], wildcard: true }, true, []],
    ['Cluster, no names after named ones', CDS, [], { names: ['A'], wildcard: false }, false, []],
    ['RouteConfiguration, no names', RDS, [], undefined, false, []],
    ['ClusterLoadAssignment, "*" is a name', EDS, ['*'], undefined, false, ['*']],
  ]
  it.each(subRows)('%s', (_label, typeUrl, names, prev, wildcard, explicit) => {
    const sub = subscriptionOf(typeUrl, names, prev && { names: new Set(prev.names), wildcard: prev.wildcard })
    expect({ wildcard: sub.wildcard, names: [...sub.names] }).toEqual({ wildcard, names: explicit })
  })
})
