import { describe, expect, it } from 'vitest'
import { computeRolloutProgress, isProxyOnVersion, type RolloutProxy } from '../../../../components/versions/rollout-progress'
import type { ProxyState, TypeStatus } from '../../../../server/contract/proxy-state'

const CDS = 'type.googleapis.com/envoy.config.cluster.v3.Cluster'
const EDS = 'type.googleapis.com/envoy.config.endpoint.v3.ClusterLoadAssignment'
const LDS = 'type.googleapis.com/envoy.config.listener.v3.Listener'
const RDS = 'type.googleapis.com/envoy.config.route.v3.RouteConfiguration'
const AT = (s: number) => new Date(Date.UTC(2026, 0, 1, 0, 0, s)).toISOString()

/** A type whose latest response (built from `from`) is ACKed. */
const acked = (typeUrl: string, from: number, ackedAt = AT(from)): TypeStatus => ({
  typeUrl,
  names: [],
  wildcard: true,
  resourceNames: [],
  nonceSent: `n${from}`,
  versionSent: `${typeUrl}@${from}`,
  sentFromVersion: from,
  nonceAcked: `n${from}`,
  versionAcked: `${typeUrl}@${from}`,
  ackedFromVersion: from,
  ackedAt,
})

/** A response built from `from` that is not answered yet; the proxy still runs what it ACKed from `ackedFrom`. */
const inFlight = (typeUrl: string, from: number, ackedFrom: number): TypeStatus => ({
  ...acked(typeUrl, ackedFrom),
  nonceSent: `n${from}`,
  versionSent: `${typeUrl}@${from}`,
  sentFromVersion: from,
})

/** The response built from `from` was rejected; the proxy keeps what it ACKed from `ackedFrom`. */
const rejected = (typeUrl: string, from: number, ackedFrom: number, message = 'bad cluster'): TypeStatus => ({
  ...inFlight(typeUrl, from, ackedFrom),
  lastNack: { message, code: 3, version: `${typeUrl}@${from}`, nonce: `n${from}`, at: AT(30 + from) },
})

const notSent = (typeUrl: string): TypeStatus => ({ typeUrl, names: [], wildcard: false, resourceNames: [] })

const proxy = (nodeId: string, state: ProxyState, ...types: TypeStatus[]): RolloutProxy => ({ nodeId, state, types: Object.fromEntries(types.map((t) => [t.typeUrl, t])) })

/** A proxy that got everything from v1 and only EDS from v2 (v2 changed the endpoints only). */
const onV2 = (id: string) => proxy(id, 'SYNCED', acked(LDS, 1), acked(RDS, 1), acked(CDS, 1), acked(EDS, 2))

describe('isProxyOnVersion', () => {
  it.each<[string, RolloutProxy, number, ReadonlySet<string> | null, boolean]>([
    ['SYNCED, one type ACKed from the target, the others unchanged since v1', onV2('a'), 2, null, true],
    ['SYNCED, every type ACKed from the target (a new stream)', proxy('a', 'SYNCED', acked(LDS, 3), acked(CDS, 3)), 3, null, true],
    ['still SYNCED on the parent: the push has not reached it yet', onV2('a'), 3, null, false],
    ['still SYNCED on the parent, and the target changed a type it subscribes to', onV2('a'), 3, new Set([CDS]), false],
    ['SYNCED on the parent, the target changed only a type it does not subscribe to', onV2('a'), 3, new Set(['type.googleapis.com/envoy.extensions.transport_sockets.tls.v3.Secret']), true],
    ['SYNCED on the parent, the target changed nothing at all', onV2('a'), 3, new Set<string>(), true],
    ['the push from the target is in flight (STALE)', proxy('a', 'STALE', acked(LDS, 1), inFlight(CDS, 3, 1)), 3, new Set([CDS]), false],
    ['the push from the target was rejected (NACKED)', proxy('a', 'NACKED', acked(LDS, 1), rejected(CDS, 3, 1)), 3, new Set([CDS]), false],
    ['already moved on to a newer version', proxy('a', 'SYNCED', acked(LDS, 1), acked(CDS, 4)), 3, new Set([LDS]), false],
    ['SYNCED with a type not subscribed (nothing sent) next to one ACKed from the target', proxy('a', 'SYNCED', notSent(RDS), acked(CDS, 3)), 3, null, true],
    ['nothing sent at all', proxy('a', 'NOT_SENT', notSent(LDS)), 1, new Set<string>(), false],
    ['disconnected', { ...onV2('a'), state: 'DISCONNECTED' }, 2, null, false],
  ])('%s', (_label, p, target, changed, expected) => {
    expect(isProxyOnVersion(p, target, { changedTypeUrls: changed })).toBe(expected)
  })
})

describe('computeRolloutProgress', () => {
  it('is done at once when no proxy is connected', () => {
    expect(computeRolloutProgress([], 3)).toMatchObject({ total: 0, onTarget: 0, done: true, outcome: 'no-proxies', nacked: [], pending: [] })
    expect(computeRolloutProgress([{ ...onV2('gone'), state: 'DISCONNECTED' }], 3)).toMatchObject({ total: 0, outcome: 'no-proxies', done: true })
  })

  it('counts proxies on the target and lists the others in node id order while the push travels', () => {
    const progress = computeRolloutProgress(
      [
        proxy('c', 'SYNCED', acked(LDS, 1), acked(CDS, 3)),
        proxy('b', 'STALE', acked(LDS, 1), inFlight(CDS, 3, 2)),
        onV2('a'),
        { ...onV2('z'), state: 'DISCONNECTED' },
      ],
      3,
      { changedTypeUrls: new Set([CDS]) },
    )
    expect(progress).toMatchObject({ target: 3, total: 3, onTarget: 1, done: false, outcome: 'in-progress', nacked: [] })
    expect(progress.pending).toEqual([
      { nodeId: 'a', state: 'SYNCED' },
      { nodeId: 'b', state: 'STALE' },
    ])
  })

  it('is converged when every connected proxy runs the target, with the time of the last ACK from it', () => {
    const progress = computeRolloutProgress([proxy('a', 'SYNCED', acked(LDS, 1), acked(CDS, 3, AT(12))), proxy('b', 'SYNCED', acked(LDS, 1), acked(CDS, 3, AT(14)))], 3)
    expect(progress).toMatchObject({ total: 2, onTarget: 2, done: true, outcome: 'converged', pending: [], lastAckAt: AT(14) })
  })

  it('stops at the first NACK and reports Envoy’s message, per proxy and type', () => {
    const progress = computeRolloutProgress(
      [proxy('a', 'SYNCED', acked(LDS, 1), acked(CDS, 3)), proxy('b', 'NACKED', acked(LDS, 1), rejected(CDS, 3, 2, 'LB policy MAGLEV is not supported'))],
      3,
    )
    expect(progress).toMatchObject({ total: 2, onTarget: 1, done: true, outcome: 'nacked' })
    expect(progress.nacked).toEqual([{ nodeId: 'b', typeUrl: CDS, message: 'LB policy MAGLEV is not supported', fromVersion: 3, at: AT(33) }])
  })

  it('ignores a NACK that a later, ACKed response superseded', () => {
    const recovered: TypeStatus = { ...acked(CDS, 4), lastNack: { message: 'old', code: 3, version: 'x', nonce: 'n3', at: AT(1) } }
    expect(computeRolloutProgress([proxy('a', 'SYNCED', acked(LDS, 1), recovered)], 4)).toMatchObject({ outcome: 'converged', nacked: [] })
  })

  it('is superseded once a proxy was sent a newer version', () => {
    expect(computeRolloutProgress([proxy('a', 'STALE', acked(LDS, 1), inFlight(CDS, 5, 4))], 4)).toMatchObject({ done: true, outcome: 'superseded', onTarget: 0 })
  })

  it('does not call the rollout done before the push while the parent is still fully ACKed', () => {
    // The trap of "SYNCED and nothing sent from a newer version": right after commit every proxy qualifies.
    const progress = computeRolloutProgress([onV2('a'), onV2('b')], 3)
    expect(progress).toMatchObject({ onTarget: 0, done: false, outcome: 'in-progress' })
  })
})
