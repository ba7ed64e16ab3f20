import { describe, expect, it } from 'vitest'
import type { TypeStatus } from '../../../server/contract/proxy-state'
import { NEW_OBSERVED_STREAM, nodeReached, observeStream, type ObservedStream, type RolloutOutcome } from '../../../server/status/rollout-observer'

const CDS = 'type.googleapis.com/envoy.config.cluster.v3.Cluster'
const LDS = 'type.googleapis.com/envoy.config.listener.v3.Listener'
const EDS = 'type.googleapis.com/envoy.config.endpoint.v3.ClusterLoadAssignment'

type Step = { types: Record<string, TypeStatus>; snapshotVersion: number | null; at?: number }

const type = (typeUrl: string, t: Partial<TypeStatus>): TypeStatus => ({ typeUrl, names: [], wildcard: true, resourceNames: [], ...t })
const sent = (typeUrl: string, nonce: string, from: number) => type(typeUrl, { nonceSent: nonce, sentFromVersion: from })
const acked = (typeUrl: string, nonce: string, from: number) => type(typeUrl, { nonceSent: nonce, sentFromVersion: from, nonceAcked: nonce, ackedFromVersion: from })
const nacked = (typeUrl: string, nonce: string, from: number, message = 'bad') =>
  type(typeUrl, { nonceSent: nonce, sentFromVersion: from, lastNack: { message, code: 3, version: `v${from}`, nonce, at: new Date(5000).toISOString() } })

/** Runs the steps in order and returns every outcome reported. */
function run(steps: Step[]): RolloutOutcome[] {
  let state: ObservedStream = NEW_OBSERVED_STREAM
  const out: RolloutOutcome[] = []
  for (const [i, s] of steps.entries()) {
    const r = observeStream(state, { types: s.types, snapshotVersion: s.snapshotVersion, at: s.at ?? i })
    state = r.next
    out.push(...r.outcomes)
  }
  return out
}
const reachedVersions = (o: RolloutOutcome[]) => o.filter((x) => x.kind === 'reached').map((x) => x.version)

describe('observeStream: when a stream reaches a version', () => {
  it('reaches a version when every type has ACKed what was sent from it, once', () => {
    const out = run([
      { types: { [CDS]: sent(CDS, '1', 1), [LDS]: sent(LDS, '2', 1) }, snapshotVersion: 1 },
      { types: { [CDS]: acked(CDS, '1', 1), [LDS]: sent(LDS, '2', 1) }, snapshotVersion: 1 },
      { types: { [CDS]: acked(CDS, '1', 1), [LDS]: acked(LDS, '2', 1) }, snapshotVersion: 1, at: 70 },
      { types: { [CDS]: acked(CDS, '1', 1), [LDS]: acked(LDS, '2', 1) }, snapshotVersion: 1, at: 90 },
    ])
    expect(out).toEqual([{ kind: 'reached', version: 1, at: 70 }])
  })

  it('a version that changes nothing the stream holds is reached when its snapshot is processed', () => {
    const out = run([
      { types: { [CDS]: acked(CDS, '1', 1) }, snapshotVersion: 1, at: 10 },
      { types: { [CDS]: acked(CDS, '1', 1) }, snapshotVersion: 2, at: 20 },
    ])
    expect(out).toEqual([{ kind: 'reached', version: 1, at: 10 }, { kind: 'reached', version: 2, at: 20 }])
  })

  it('a version superseded before the ACK, but equal for this stream, is reached with the ACK', () => {
    const out = run([
      { types: { [CDS]: sent(CDS, '1', 1) }, snapshotVersion: 1 },
      // v2 changes nothing here: no new send.
      { types: { [CDS]: sent(CDS, '1', 1) }, snapshotVersion: 2 },
      { types: { [CDS]: acked(CDS, '1', 1) }, snapshotVersion: 2, at: 30 },
    ])
    expect(reachedVersions(out)).toEqual([1, 2])
  })

  it('a version superseded by one that sent new content is never reached', () => {
    const out = run([
      { types: { [CDS]: sent(CDS, '1', 1) }, snapshotVersion: 1 },
      { types: { [CDS]: sent(CDS, '2', 2) }, snapshotVersion: 2 },
      { types: { [CDS]: acked(CDS, '2', 2) }, snapshotVersion: 2 },
    ])
    expect(reachedVersions(out)).toEqual([2])
  })

  it('a NACK is a rejection of the version the response was built from, reported once; the version is not reached', () => {
    const out = run([
      { types: { [CDS]: acked(CDS, '1', 1) }, snapshotVersion: 1 },
      { types: { [CDS]: sent(CDS, '2', 2) }, snapshotVersion: 2 },
      { types: { [CDS]: nacked(CDS, '2', 2, 'regex') }, snapshotVersion: 2 },
      { types: { [CDS]: nacked(CDS, '2', 2, 'regex') }, snapshotVersion: 2 },
      // v3 changes nothing for CDS: the rejection stands, so v3 is not reached either.
      { types: { [CDS]: nacked(CDS, '2', 2, 'regex') }, snapshotVersion: 3 },
    ])
    expect(out.filter((o) => o.kind === 'rejected')).toEqual([{ kind: 'rejected', version: 2, at: 5000, typeUrl: CDS, message: 'regex' }])
    expect(reachedVersions(out)).toEqual([1])
  })

  it('a rollback that re-sends reaches the new version after the NACK', () => {
    const out = run([
      { types: { [CDS]: nacked(CDS, '2', 2) }, snapshotVersion: 2 },
      { types: { [CDS]: sent(CDS, '3', 3) }, snapshotVersion: 3 },
      { types: { [CDS]: acked(CDS, '3', 3) }, snapshotVersion: 3 },
    ])
    expect(reachedVersions(out)).toEqual([3])
  })

  it('a type never answered (names that do not exist) does not hold the stream back; nothing answered at all does', () => {
    expect(reachedVersions(run([{ types: { [EDS]: type(EDS, { wildcard: false, names: ['missing'] }) }, snapshotVersion: 1 }]))).toEqual([])
    expect(reachedVersions(run([{ types: { [CDS]: acked(CDS, '1', 1), [EDS]: type(EDS, { wildcard: false, names: ['missing'] }) }, snapshotVersion: 1 }]))).toEqual([1])
  })

  it('nothing is reached before a snapshot was processed', () => {
    expect(run([{ types: { [CDS]: acked(CDS, '1', 1) }, snapshotVersion: null }])).toEqual([])
  })
})

describe('nodeReached: a proxy with several streams', () => {
  it('reaches a version when all of its streams have', () => {
    expect(nodeReached(new Map([['a', new Set([1, 2])], ['b', new Set([1])]]), 2)).toBe(false)
    expect(nodeReached(new Map([['a', new Set([1, 2])], ['b', new Set([2])]]), 2)).toBe(true)
    expect(nodeReached(new Map(), 2)).toBe(false)
  })
})
