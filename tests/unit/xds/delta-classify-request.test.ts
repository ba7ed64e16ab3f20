import { describe, expect, it } from 'vitest'
import { classifyDeltaRequest, type DeltaRequestKind } from '../../../server/xds/delta-classify-request'
import type { DeltaWatchedType } from '../../../server/xds/delta-subscription'
import type { DeltaDiscoveryRequest } from '../../../server/xds-types/wire'
import { CDS, deltaRequest, EDS, type DeltaRequestSpec } from './fixtures'

/** A watched type whose latest response carried nonce '3' (or '' : in sync without a response). */
const watched = (nonceSent: string | undefined = '3'): DeltaWatchedType => ({
  typeUrl: EDS,
  names: new Set(['a']),
  wildcard: false,
  nonceSent,
  returned: new Map(),
  rejected: new Map(),
  pendingRemovals: new Set(),
  inFlight: new Map(),
})

const request = (spec: DeltaRequestSpec = {}): DeltaDiscoveryRequest => deltaRequest(EDS, spec)

type Row = [label: string, prev: DeltaWatchedType | undefined, spec: Parameters<typeof request>[0], expected: DeltaRequestKind]

const rows: Row[] = [
  ['first request of the type', undefined, { sub: ['a'] }, 'init'],
  ['first request carrying a nonce from an old stream', undefined, { nonce: '7' }, 'init'],
  ['first request carrying an error_detail', undefined, { error: 'x' }, 'init'],
  ['no nonce: a spontaneous subscription change', watched(), { sub: ['b'] }, 'update'],
  ['no nonce with an error_detail still refers to no response', watched(), { error: 'x' }, 'update'],
  ['no nonce while in sync at the empty initial nonce', watched(''), { sub: ['b'] }, 'update'],
  ['ACK of the latest response', watched(), { nonce: '3' }, 'ack'],
  ['ACK that also subscribes', watched(), { nonce: '3', sub: ['b'] }, 'ack'],
  ['NACK of the latest response', watched(), { nonce: '3', error: 'bad' }, 'nack'],
  ['ACK of a superseded response', watched(), { nonce: '2' }, 'stale'],
  ['NACK of a superseded response', watched(), { nonce: '2', error: 'late' }, 'stale'],
  ['a nonce while nothing was sent yet', watched(undefined), { nonce: '1' }, 'stale'],
]

describe('classifyDeltaRequest', () => {
  it.each(rows)('%s', (_label, prev, spec, expected) => {
    expect(classifyDeltaRequest(prev, request(spec))).toBe(expected)
  })

  it('does not look at the type URL or the subscription lists to tell an ACK', () => {
    expect(classifyDeltaRequest(watched(), { ...request({ nonce: '3' }), type_url: CDS, resource_names_unsubscribe: ['a'] })).toBe('ack')
  })
})
