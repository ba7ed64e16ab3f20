import { describe, expect, it } from 'vitest'
import { MAX_NACK_MESSAGE_CHARS, typeStatusesFromWatched, typeStatusFromWatched } from '../../../server/status/from-stream'
import { MAX_STATUS_NAMES, type TypeStatus } from '../../../server/contract/proxy-state'
import type { SnapshotResource } from '../../../server/snapshot/types'
import type { NackRecord, WatchedType } from '../../../server/xds/subscription'
import { CLUSTER_LOAD_ASSIGNMENT_TYPE_URL as EDS, CLUSTER_TYPE_URL as CDS, type XdsTypeUrl } from '../../../server/xds-types/type-urls'

const T0 = Date.UTC(2024, 4, 1, 10, 0, 0)
const iso = (ms: number): string => new Date(ms).toISOString()

const sent = (name: string): [string, SnapshotResource] => [name, { name, version: `${name}-v`, any: { type_url: CDS, value: new Uint8Array([1]) } }]

const watched = (typeUrl: XdsTypeUrl, fields: Partial<Omit<WatchedType, 'typeUrl'>> = {}): WatchedType => ({
  typeUrl,
  names: new Set(),
  wildcard: false,
  returned: new Map(),
  ...fields,
})

/** A CDS watch whose response nonce 1 (version c1) was sent at T0 and ACKed. */
const ACKED_1 = watched(CDS, {
  wildcard: true,
  nonceSent: '1',
  versionSent: 'c1',
  sentFromVersion: 4,
  lastSendAt: T0,
  nonceAcked: '1',
  versionAcked: 'c1',
  ackedFromVersion: 4,
  returned: new Map([sent('b'), sent('a')]),
})

describe('typeStatusFromWatched', () => {
  it('copies the protocol fields and turns times into ISO strings', () => {
    expect(typeStatusFromWatched(ACKED_1, undefined, T0 + 5)).toEqual({
      typeUrl: CDS,
      names: [],
      wildcard: true,
      nonceSent: '1',
      versionSent: 'c1',
      sentFromVersion: 4,
      lastSendAt: iso(T0),
      nonceAcked: '1',
      versionAcked: 'c1',
      ackedFromVersion: 4,
      ackedAt: iso(T0 + 5),
      resourceNames: ['a', 'b'],
      resourceCount: 2,
      nameCount: 0,
    })
  })

  it('leaves out what the stream has not done yet', () => {
    const status = typeStatusFromWatched(watched(EDS, { names: new Set(['x']) }), undefined, T0)
    expect(status).toEqual({ typeUrl: EDS, names: ['x'], wildcard: false, resourceNames: [], resourceCount: 0, nameCount: 1 })
    for (const key of ['nonceSent', 'versionSent', 'lastSendAt', 'nonceAcked', 'versionAcked', 'ackedAt', 'lastNack'] as const) expect(status).not.toHaveProperty(key)
  })

  it('keeps at most MAX_STATUS_NAMES names but the full counts, so status rows stay small', () => {
    const many = Array.from({ length: MAX_STATUS_NAMES + 50 }, (_, i) => `c${String(i).padStart(4, '0')}`)
    const w = watched(EDS, { names: new Set(many), returned: new Map(many.map((n) => sent(n))) })
    const status = typeStatusFromWatched(w, undefined, T0)
    expect(status.names).toHaveLength(MAX_STATUS_NAMES)
    expect(status.resourceNames).toHaveLength(MAX_STATUS_NAMES)
    expect(status.nameCount).toBe(MAX_STATUS_NAMES + 50)
    expect(status.resourceCount).toBe(MAX_STATUS_NAMES + 50)
    expect([...status.resourceNames]).toEqual([...status.resourceNames].sort())
  })

  it('sorts the subscribed names and lists the sent resources as the sorted keys of `returned`', () => {
    const w = watched(EDS, { names: new Set(['zeta', 'alpha', 'mid']), returned: new Map([sent('zeta'), sent('alpha')]) })
    const status = typeStatusFromWatched(w, undefined, T0)
    expect(status.names).toEqual(['alpha', 'mid', 'zeta'])
    expect(status.resourceNames).toEqual(['alpha', 'zeta'])
  })

  describe('ackedAt', () => {
    it('is set to `now` when the ACKed nonce is new', () => {
      const previous = typeStatusFromWatched(ACKED_1, undefined, T0 + 5)
      const next = { ...ACKED_1, nonceSent: '2', versionSent: 'c2', nonceAcked: '2', versionAcked: 'c2' }
      expect(typeStatusFromWatched(next, previous, T0 + 60_000).ackedAt).toBe(iso(T0 + 60_000))
    })

    it('keeps the previous time while the ACKed nonce stays the same', () => {
      const previous = typeStatusFromWatched(ACKED_1, undefined, T0 + 5)
      expect(typeStatusFromWatched(ACKED_1, previous, T0 + 60_000).ackedAt).toBe(iso(T0 + 5))
      // A newer send that is not ACKed yet does not move it either.
      const pending = { ...ACKED_1, nonceSent: '2', versionSent: 'c2' }
      expect(typeStatusFromWatched(pending, previous, T0 + 90_000).ackedAt).toBe(iso(T0 + 5))
    })

    it('is absent while nothing was ever ACKed', () => {
      const w = watched(CDS, { nonceSent: '1', versionSent: 'c1', lastSendAt: T0 })
      expect(typeStatusFromWatched(w, undefined, T0 + 1)).not.toHaveProperty('ackedAt')
    })
  })

  it('turns the last NACK’s time into an ISO string and keeps its details', () => {
    const lastNack: NackRecord = { message: 'Proto constraint validation failed', code: 3, version: 'c2', nonce: '2', at: T0 + 1234 }
    const w = { ...ACKED_1, nonceSent: '2', versionSent: 'c2', lastNack }
    expect(typeStatusFromWatched(w, undefined, T0 + 2000).lastNack).toEqual({
      message: 'Proto constraint validation failed',
      code: 3,
      version: 'c2',
      nonce: '2',
      at: iso(T0 + 1234),
    })
  })

  it('keeps the start of a huge NACK message, saying how long it was', () => {
    const lastNack: NackRecord = { message: 'x'.repeat(1_000_000), code: 3, version: 'c2', nonce: '2', at: T0 }
    const message = typeStatusFromWatched({ ...ACKED_1, nonceSent: '2', versionSent: 'c2', lastNack }, undefined, T0).lastNack!.message
    expect(message.length).toBeLessThan(MAX_NACK_MESSAGE_CHARS + 40)
    expect(message.startsWith('x'.repeat(MAX_NACK_MESSAGE_CHARS))).toBe(true)
    expect(message).toContain('(1000000 characters)')
  })
})

describe('typeStatusesFromWatched', () => {
  it('converts every type, each against its own previous status', () => {
    const previous: Record<string, TypeStatus> = { [CDS]: typeStatusFromWatched(ACKED_1, undefined, T0 + 5) }
    const eds = watched(EDS, { names: new Set(['a']), nonceSent: '2', versionSent: 'e1', nonceAcked: '2', versionAcked: 'e1', returned: new Map([sent('a')]) })
    const out = typeStatusesFromWatched(
      new Map<string, WatchedType>([
        [CDS, ACKED_1],
        [EDS, eds],
      ]),
      previous,
      T0 + 10_000,
    )
    expect(Object.keys(out).sort()).toEqual([CDS, EDS].sort())
    expect(out[CDS]?.ackedAt).toBe(iso(T0 + 5))
    expect(out[EDS]?.ackedAt).toBe(iso(T0 + 10_000))
    expect(out[EDS]?.resourceNames).toEqual(['a'])
  })
})
