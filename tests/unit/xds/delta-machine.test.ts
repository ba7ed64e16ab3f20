import { describe, expect, it } from 'vitest'
import { typeStatusesFromWatched } from '../../../server/status/from-stream'
import { deriveProxyState, isOnVersion } from '../../../server/contract/proxy-state'
import { initialDeltaState, stepDelta, type DeltaEffect, type DeltaStreamEvent, type DeltaStreamState } from '../../../server/xds/delta-machine'
import { MISSING_NODE_DETAILS, MISSING_TYPE_URL_DETAILS } from '../../../server/xds/stream-machine'
import { shortType } from '../../../server/xds-types/type-urls'
import { admissionScenarios, CDS, deltaRequest, describeEffect, EDS, expectScenario, fold, LDS, LISTENER_AND_CLUSTER, LISTENER_AND_CLUSTER_REMOVED, RDS, reducerProperties, ROUTE_TO_B, S1, S2, sharedScenarios, snap, snapshot, subscribedToRouteA, viewTypes, type DeltaRequestSpec, type Run, type Scenario } from './fixtures'

// ---- a compact notation for delta scenarios (fixtures.ts has the SotW one)

const req = (typeUrl: string, spec: DeltaRequestSpec = {}, now = 0): DeltaStreamEvent => ({ kind: 'request', req: deltaRequest(typeUrl, spec), now })
const NODE_ONLY = { node: null } // later requests may omit the node
const request = (typeUrl: string, names?: string[]) => req(typeUrl, names ? { sub: names } : {})
const routeA = subscribedToRouteA(request)

/** `send cds v=c1 n=1 [A,B] -[X]` (resource versions are checked separately); other effects as in SotW (fixtures.ts). */
function describe_(e: DeltaEffect): string {
  if (e.kind !== 'send') return describeEffect(e)
  const removed = e.removedNames.length > 0 ? ` -[${e.removedNames.join(',')}]` : ''
  return `send ${shortType(e.typeUrl)} v=${e.response.system_version_info} n=${e.response.nonce} [${e.resourceNames.join(',')}]${removed}`
}

const run = (events: readonly DeltaStreamEvent[], from: DeltaStreamState = initialDeltaState({ controlPlaneId: 'legation-test' })): Run<DeltaStreamState, DeltaEffect> => fold(stepDelta, describe_, events, from)

/** Each watched type as a plain object, keyed by short type name, for toMatchObject; `returned` as name@version of what the client has. */
const view = (s: DeltaStreamState) => viewTypes(s.types, (w) => ({ returned: [...w.returned.values()].map((r) => r.version).sort(), rejected: Object.fromEntries(w.rejected) }))

const scenarios: Scenario<DeltaStreamEvent>[] = [
  ...sharedScenarios(request, ['A@2']),
  ...admissionScenarios((typeUrl, node) => req(typeUrl, node === undefined ? {} : { node }), MISSING_NODE_DETAILS, MISSING_TYPE_URL_DETAILS),
  // ---- the first request (same rules and wording as SotW)
  {
    name: 'first request with a node: node once, subscription recorded, no snapshot yet so nothing sent',
    events: [req(CDS), req(EDS, { sub: ['A'], ...NODE_ONLY })],
    effects: [['node envoy-1', 'sub cds *'], ['sub eds [A]']],
    state: { cds: { wildcard: true, nonceSent: undefined }, eds: { names: ['A'], wildcard: false } },
  },
  {
    name: 'unknown type URL is ignored and records nothing',
    events: [snap(S1), req('type.googleapis.com/envoy.service.runtime.v3.Runtime', { sub: ['rt'] })],
    effects: [[], ['node envoy-1', 'ignored unknown-type type.googleapis.com/envoy.service.runtime.v3.Runtime']],
    state: {},
  },
  // ---- wildcard (xds_protocol "How the client specifies what resources to return", incremental list)
  {
    name: 'legacy wildcard: a first Cluster request subscribing to nothing gets every cluster with its version',
    events: [snap(snapshot(1, { [CDS]: ['c1', 'B', 'A'] })), req(CDS)],
    effects: [[], ['node envoy-1', 'sub cds *', 'send cds v=c1 n=1 [A,B]']],
    state: { cds: { wildcard: true, names: [], nonceSent: '1', versionSent: 'c1', sentFromVersion: 1, returned: ['A@1', 'B@1'] } },
  },
  {
    name: 'legacy wildcard for Listener too; "*" asks for it explicitly',
    events: [snap(S1), req(LDS), req(CDS, { sub: ['*'] })],
    effects: [[], ['node envoy-1', 'sub lds *', 'send lds v=l1 n=1 [L1]'], ['sub cds *', 'send cds v=c1 n=2 [A]']],
  },
  {
    name: 'no legacy wildcard for other types: an empty first EDS request subscribes to nothing',
    events: [snap(S1), req(EDS), snap(S2)],
    effects: [[], ['node envoy-1', 'sub eds []'], []],
    state: { eds: { wildcard: false, names: [], nonceSent: undefined } },
  },
  {
    name: 'a first Cluster request naming clusters is not a wildcard (grpc-js style)',
    events: [snap(snapshot(1, { [CDS]: ['c1', 'A', 'B'] })), req(CDS, { sub: ['B'] })],
    effects: [[], ['node envoy-1', 'sub cds [B]', 'send cds v=c1 n=1 [B]']],
  },
  {
    name: 'wildcard, then a name: both, and the name is provided again even though the client has it',
    events: [snap(S1), req(CDS), req(CDS, { nonce: '1' }), req(CDS, { sub: ['A'] })],
    effects: [[], ['node envoy-1', 'sub cds *', 'send cds v=c1 n=1 [A]'], ['ack cds v=c1 n=1'], ['sub cds *,A', 'send cds v=c1 n=2 [A]']],
    state: { cds: { wildcard: true, names: ['A'] } },
  },
  {
    name: 'unsubscribing "*" leaves the wildcard and keeps the explicit names; nothing is sent',
    events: [snap(snapshot(1, { [CDS]: ['c1', 'A', 'B'] })), req(CDS, { sub: ['*', 'A'] }), req(CDS, { unsub: ['*'] }), snap(snapshot(2, { [CDS]: ['c2', 'A', 'B@2', 'C'] }))],
    effects: [[], ['node envoy-1', 'sub cds *,A', 'send cds v=c1 n=1 [A,B]'], ['sub cds [A]'], []],
    state: { cds: { wildcard: false, names: ['A'], returned: ['A@1'] } },
  },
  {
    name: 'after an explicit subscription, an empty subscription is no wildcard any more',
    events: [snap(snapshot(1, { [CDS]: ['c1', 'A'] })), req(CDS, { sub: ['A'] }), req(CDS, { unsub: ['A'] }), snap(snapshot(2, { [CDS]: ['c2', 'A', 'B'] }))],
    effects: [[], ['node envoy-1', 'sub cds [A]', 'send cds v=c1 n=1 [A]'], ['sub cds []'], []],
    state: { cds: { wildcard: false, names: [], returned: [] } },
  },
  {
    name: '"*" is an ordinary name for types without a wildcard',
    events: [snap(snapshot(1, { [EDS]: ['e1', 'A'] })), req(EDS, { sub: ['*'] })],
    effects: [[], ['node envoy-1', 'sub eds [*]']],
  },
  {
    name: 'under a wildcard, unsubscribing a name the wildcard covers sends the resource again',
    events: [snap(snapshot(1, { [CDS]: ['c1', 'A', 'B'] })), req(CDS, { sub: ['*', 'A'] }), req(CDS, { unsub: ['A'] })],
    effects: [[], ['node envoy-1', 'sub cds *,A', 'send cds v=c1 n=1 [A,B]'], ['sub cds *', 'send cds v=c1 n=2 [A]']],
  },
  {
    name: 'under a wildcard, unsubscribing a name the wildcard does not cover reports it removed',
    events: [snap(snapshot(1, { [CDS]: ['c1', 'A'] })), req(CDS, { sub: ['*', 'X'] }), req(CDS, { unsub: ['X'] })],
    effects: [[], ['node envoy-1', 'sub cds *,X', 'send cds v=c1 n=1 [A]'], ['sub cds *', 'send cds v=c1 n=2 [] -[X]']],
  },
  // ---- subscribe / unsubscribe by name (xds_protocol "Subscribing to Resources", "Unsubscribing from Resources")
  {
    name: 'subscribing to an EDS name sends just that load assignment, then another name sends just that one',
    events: [snap(snapshot(1, { [EDS]: ['e1', 'A', 'B', 'C'] })), req(EDS, { sub: ['A'] }), req(EDS, { sub: ['B'], nonce: '1' })],
    effects: [[], ['node envoy-1', 'sub eds [A]', 'send eds v=e1 n=1 [A]'], ['ack eds v=e1 n=1', 'sub eds [A,B]', 'send eds v=e1 n=2 [B]']],
    state: { eds: { names: ['A', 'B'], returned: ['A@1', 'B@1'], nonceAcked: '1', nonceSent: '2' } },
  },
  {
    name: 'unsubscribing sends nothing (no removal), and later changes to it are not pushed',
    events: [snap(snapshot(1, { [EDS]: ['e1', 'A', 'B'] })), req(EDS, { sub: ['A', 'B'] }), req(EDS, { unsub: ['B'] }), snap(snapshot(2, { [EDS]: ['e2', 'A', 'B@2'] })), snap(snapshot(3, { [EDS]: ['e3', 'A'] }))],
    effects: [[], ['node envoy-1', 'sub eds [A,B]', 'send eds v=e1 n=1 [A,B]'], ['sub eds [A]'], [], []],
    state: { eds: { names: ['A'], returned: ['A@1'], nonceSent: '1' } },
  },
  {
    name: 'a name dropped and asked for again is sent again, unchanged',
    events: [snap(snapshot(1, { [EDS]: ['e1', 'A'] })), req(EDS, { sub: ['A'] }), req(EDS, { unsub: ['A'] }), req(EDS, { sub: ['A'] })],
    effects: [[], ['node envoy-1', 'sub eds [A]', 'send eds v=e1 n=1 [A]'], ['sub eds []'], ['sub eds [A]', 'send eds v=e1 n=2 [A]']],
  },
  {
    name: 'subscribing again to a name the client has sends it again (the client may have forgotten it)',
    events: [snap(snapshot(1, { [RDS]: ['r1', 'R1'] })), req(RDS, { sub: ['R1'] }), req(RDS, { sub: ['R1'], nonce: '1' })],
    effects: [[], ['node envoy-1', 'sub rds [R1]', 'send rds v=r1 n=1 [R1]'], ['ack rds v=r1 n=1', 'send rds v=r1 n=2 [R1]']],
  },
  {
    name: 'a phantom unsubscription is ignored',
    events: [snap(S1), req(EDS, { sub: ['A'] }), req(EDS, { unsub: ['nope'] })],
    effects: [[], ['node envoy-1', 'sub eds [A]', 'send eds v=e1 n=1 [A]'], []],
  },
  // ---- resources that do not exist
  {
    name: 'a name that does not exist is not sent and not reported removed; sent when it appears',
    events: [snap(S1), req(EDS, { sub: ['A', 'missing'] }), snap(snapshot(2, { [EDS]: ['e2', 'A', 'missing'] }))],
    effects: [[], ['node envoy-1', 'sub eds [A,missing]', 'send eds v=e1 n=1 [A]'], ['send eds v=e2 n=2 [missing]']],
  },
  {
    name: 'only names that do not exist: nothing is sent, and the type is in sync at the empty initial nonce',
    events: [snap(S1), req(EDS, { sub: ['missing'] })],
    effects: [[], ['node envoy-1', 'sub eds [missing]']],
    state: { eds: { nonceSent: '', nonceAcked: '', versionSent: 'e1', versionAcked: 'e1', returned: [] } },
  },
  {
    name: 'a named resource leaving the snapshot is reported removed to the client that had it',
    events: [snap(snapshot(1, { [RDS]: ['r1', 'R1', 'R2'] })), req(RDS, { sub: ['R1', 'R2'] }), snap(snapshot(2, { [RDS]: ['r2', 'R2'] }))],
    effects: [[], ['node envoy-1', 'sub rds [R1,R2]', 'send rds v=r1 n=1 [R1,R2]'], ['send rds v=r2 n=2 [] -[R1]']],
    state: { rds: { names: ['R1', 'R2'], returned: ['R2@1'] } },
  },
  // ---- reconnect with initial_resource_versions (xds_protocol "Incremental xDS")
  {
    name: 'reconnect with every version current: nothing is re-sent, and the type is in sync',
    events: [snap(snapshot(4, { [CDS]: ['c4', 'A', 'B'] })), req(CDS, { initial: { A: 'A@1', B: 'B@1' } })],
    effects: [[], ['node envoy-1', 'sub cds *']],
    state: { cds: { nonceSent: '', nonceAcked: '', versionSent: 'c4', versionAcked: 'c4', sentFromVersion: 4, ackedFromVersion: 4, returned: ['A@1', 'B@1'] } },
  },
  {
    name: 'reconnect with one stale version: only that one is sent',
    events: [snap(snapshot(4, { [CDS]: ['c4', 'A', 'B@2'] })), req(CDS, { initial: { A: 'A@1', B: 'B@1' } })],
    effects: [[], ['node envoy-1', 'sub cds *', 'send cds v=c4 n=1 [B]']],
    state: { cds: { returned: ['A@1', 'B@2'] } },
  },
  {
    name: 'reconnect: what the client has that is gone is reported removed, what it lacks is sent',
    events: [snap(snapshot(4, { [CDS]: ['c4', 'A', 'C'] })), req(CDS, { sub: ['*'], initial: { A: 'A@1', gone: 'gone@1' } })],
    effects: [[], ['node envoy-1', 'sub cds *', 'send cds v=c4 n=1 [C] -[gone]']],
    state: { cds: { returned: ['A@1', 'C@1'] } },
  },
  {
    name: 'reconnect by name: removals only for subscribed names, versions of other names are ignored',
    events: [snap(snapshot(4, { [EDS]: ['e4', 'A', 'B@2'] })), req(EDS, { sub: ['A', 'gone'], initial: { A: 'A@1', gone: 'gone@1', B: 'B@1', other: 'other@1' } })],
    effects: [[], ['node envoy-1', 'sub eds [A,gone]', 'send eds v=e4 n=1 [] -[gone]']],
    state: { eds: { returned: ['A@1'] } },
  },
  {
    name: 'reconnect before the snapshot reaches the new stream: the snapshot answers with the difference',
    events: [req(CDS, { initial: { A: 'A@1', B: 'B@1' } }), snap(snapshot(4, { [CDS]: ['c4', 'A', 'B@2'] }))],
    effects: [['node envoy-1', 'sub cds *'], ['send cds v=c4 n=1 [B]']],
  },
  // ---- ACK / NACK (xds_protocol "ACK and NACK semantics summary")
  {
    name: 'ACK of the latest response records the acked nonce and version',
    events: [snap(S1), req(CDS, {}, 10), req(CDS, { nonce: '1' }, 20)],
    effects: [[], ['node envoy-1', 'sub cds *', 'send cds v=c1 n=1 [A]'], ['ack cds v=c1 n=1']],
    state: { cds: { nonceSent: '1', versionSent: 'c1', sentFromVersion: 1, lastSendAt: 10, nonceAcked: '1', versionAcked: 'c1', ackedFromVersion: 1 } },
  },
  {
    name: 'NACK: records the error and the rejected version, keeps the last ACK, counts the rejected content as possibly applied, does not resend',
    events: [snap(S1), req(CDS), req(CDS, { nonce: '1' }), snap(snapshot(2, { [CDS]: ['c2', 'A@bad'] }), 30), req(CDS, { nonce: '2', error: 'bad cluster' }, 40), snap(snapshot(3, { [CDS]: ['c2', 'A@bad'], [EDS]: ['e9', 'Z'] }))],
    effects: [[], ['node envoy-1', 'sub cds *', 'send cds v=c1 n=1 [A]'], ['ack cds v=c1 n=1'], ['send cds v=c2 n=2 [A]'], ['nack cds v=c2 n=2 "bad cluster"'], []],
    state: {
      cds: {
        nonceSent: '2',
        versionSent: 'c2',
        nonceAcked: '1',
        versionAcked: 'c1',
        ackedFromVersion: 1,
        lastNack: { message: 'bad cluster', code: 3, version: 'c2', nonce: '2', at: 40 },
        // Envoy applies the valid resources of a response it NACKs: what it holds for A is unknown.
        returned: ['A@bad'],
        rejected: { A: 'A@bad' },
      },
    },
  },
  {
    name: 'a NACKed resource is not re-sent with later changes of its type; a new version of it is',
    events: [
      snap(snapshot(1, { [CDS]: ['c1', 'A', 'B'] })),
      req(CDS),
      snap(snapshot(2, { [CDS]: ['c2', 'A@bad', 'B'] })),
      req(CDS, { nonce: '2', error: 'bad A' }),
      snap(snapshot(3, { [CDS]: ['c3', 'A@bad', 'B@3'] })),
      snap(snapshot(4, { [CDS]: ['c4', 'A@fixed', 'B@3'] })),
    ],
    effects: [[], ['node envoy-1', 'sub cds *', 'send cds v=c1 n=1 [A,B]'], ['send cds v=c2 n=2 [A]'], ['nack cds v=c2 n=2 "bad A"'], ['send cds v=c3 n=3 [B]'], ['send cds v=c4 n=4 [A]']],
    state: { cds: { rejected: {}, returned: ['A@fixed', 'B@3'] } },
  },
  {
    name: 'rollback after a NACK: the rolled-back content is sent again, since the client may have applied part of what it rejected',
    events: [snap(S1), req(CDS), req(CDS, { nonce: '1' }), snap(snapshot(2, { [CDS]: ['c2', 'A@bad'] })), req(CDS, { nonce: '2', error: 'bad' }), snap(snapshot(3, { [CDS]: ['c1', 'A'] })), req(CDS, { nonce: '3' })],
    effects: [[], ['node envoy-1', 'sub cds *', 'send cds v=c1 n=1 [A]'], ['ack cds v=c1 n=1'], ['send cds v=c2 n=2 [A]'], ['nack cds v=c2 n=2 "bad"'], ['send cds v=c1 n=3 [A]'], ['ack cds v=c1 n=3']],
    state: { cds: { nonceAcked: '3', versionAcked: 'c1', ackedFromVersion: 3, rejected: {}, returned: ['A@1'] } },
  },
  {
    name: 'after a rejection is superseded, the same content is sent again',
    events: [snap(S1), req(CDS), snap(snapshot(2, { [CDS]: ['c2', 'A@bad'] })), req(CDS, { nonce: '2', error: 'bad' }), snap(snapshot(3, { [CDS]: ['c3', 'A@3'] })), req(CDS, { nonce: '3' }), snap(snapshot(4, { [CDS]: ['c2', 'A@bad'] }))],
    effects: [[], ['node envoy-1', 'sub cds *', 'send cds v=c1 n=1 [A]'], ['send cds v=c2 n=2 [A]'], ['nack cds v=c2 n=2 "bad"'], ['send cds v=c3 n=3 [A]'], ['ack cds v=c3 n=3'], ['send cds v=c2 n=4 [A]']],
  },
  {
    name: 'a NACKed removal is not sent again while the resource stays gone',
    events: [snap(snapshot(1, { [CDS]: ['c1', 'A', 'B'] })), req(CDS), snap(snapshot(2, { [CDS]: ['c2', 'B'] })), req(CDS, { nonce: '2', error: 'A in use' }), snap(snapshot(3, { [CDS]: ['c3', 'B@3'] }))],
    effects: [[], ['node envoy-1', 'sub cds *', 'send cds v=c1 n=1 [A,B]'], ['send cds v=c2 n=2 [] -[A]'], ['nack cds v=c2 n=2 "A in use"'], ['send cds v=c3 n=3 [B]']],
    state: { cds: { returned: ['B@3'], rejected: { A: null } } },
  },
  {
    name: 'partial NACK then rollback (issue #11): what the rejected response added is removed, what it changed is restored',
    events: [
      snap(snapshot(1, { [CDS]: ['c1', 'A', 'B'] })),
      req(CDS),
      req(CDS, { nonce: '1' }),
      // Adds C and D, changes A; the client applies C and D and rejects A, as Envoy does.
      snap(snapshot(2, { [CDS]: ['c2', 'A@bad', 'B', 'C', 'D'] })),
      req(CDS, { nonce: '2', error: 'bad A' }),
      snap(snapshot(3, { [CDS]: ['c1', 'A', 'B'] })),
    ],
    effects: [[], ['node envoy-1', 'sub cds *', 'send cds v=c1 n=1 [A,B]'], ['ack cds v=c1 n=1'], ['send cds v=c2 n=2 [A,C,D]'], ['nack cds v=c2 n=2 "bad A"'], ['send cds v=c1 n=3 [A]', 'send cds v=c1 n=4 [] -[C,D]']],
    state: { cds: { returned: ['A@1', 'B@1'], rejected: {} } },
  },
  {
    name: 'stale ACK and stale NACK are ignored',
    events: [snap(S1), req(CDS), snap(snapshot(2, { [CDS]: ['c2', 'A', 'B'] })), req(CDS, { nonce: '1' }), req(CDS, { nonce: '1', error: 'late' })],
    effects: [[], ['node envoy-1', 'sub cds *', 'send cds v=c1 n=1 [A]'], ['send cds v=c2 n=2 [B]'], ['ignored stale-nonce cds'], ['ignored stale-nonce cds']],
    state: { cds: { nonceSent: '2', nonceAcked: undefined, lastNack: undefined } },
  },
  {
    name: 'a stale request still changes the subscription (delta must honor it)',
    events: [snap(snapshot(1, { [EDS]: ['e1', 'A', 'B'] })), req(EDS, { sub: ['A'] }), req(EDS, { sub: ['B'] }), req(EDS, { nonce: '1', sub: ['C'], unsub: ['A'] })],
    effects: [[], ['node envoy-1', 'sub eds [A]', 'send eds v=e1 n=1 [A]'], ['sub eds [A,B]', 'send eds v=e1 n=2 [B]'], ['ignored stale-nonce eds', 'sub eds [B,C]']],
    state: { eds: { names: ['B', 'C'], returned: ['B@1'], nonceAcked: undefined } },
  },
  // ---- new snapshots (xds_protocol "Grouping Resources into Responses")
  {
    name: 'a cluster added among many: only the new cluster is sent',
    events: [snap(snapshot(1, { [CDS]: ['c1', 'A', 'B'] })), req(CDS), snap(snapshot(2, { [CDS]: ['c2', 'A', 'B', 'C'] }))],
    effects: [[], ['node envoy-1', 'sub cds *', 'send cds v=c1 n=1 [A,B]'], ['send cds v=c2 n=2 [C]']],
  },
  {
    name: 'an unchanged snapshot sends nothing',
    events: [snap(S1), req(CDS), req(CDS, { nonce: '1' }), snap(snapshot(9, { [CDS]: ['c1', 'A'] }))],
    effects: [[], ['node envoy-1', 'sub cds *', 'send cds v=c1 n=1 [A]'], ['ack cds v=c1 n=1'], []],
  },
  // ---- ordering: additions before removals (xds_protocol "Eventual consistency considerations")
  {
    name: 'route switches from cluster A to B with A deleted: CDS{B}, EDS{B}, RDS, then remove A from CDS, then EDS',
    events: [...routeA.events, req(EDS, { sub: ['B'] }), snap(ROUTE_TO_B)],
    effects: [
      ...routeA.effects,
      ['sub eds [A,B]'],
      ['send cds v=c2 n=5 [B]', 'send eds v=e2 n=6 [B]', 'send rds v=r2 n=7 [R1]', 'send cds v=c2 n=8 [] -[A]', 'send eds v=e2 n=9 [] -[A]'],
    ],
    state: { cds: { nonceSent: '8', returned: ['B@1'] }, eds: { nonceSent: '9', returned: ['B@1'] } },
  },
  {
    name: 'a Listener and a Cluster both removed: the Listener goes first',
    events: [snap(LISTENER_AND_CLUSTER), req(CDS), req(LDS), snap(LISTENER_AND_CLUSTER_REMOVED)],
    effects: [[], ['node envoy-1', 'sub cds *', 'send cds v=c1 n=1 [A,B]'], ['sub lds *', 'send lds v=l1 n=2 [L1,L2]'], ['send lds v=l2 n=3 [] -[L1]', 'send cds v=c2 n=4 [] -[A]']],
  },
  // ---- status without a response
  {
    name: 'a change that does not concern this client sends nothing; the type version moves on (ACKed: acked too)',
    events: [snap(snapshot(1, { [EDS]: ['e1', 'A', 'B'] })), req(EDS, { sub: ['A'] }), req(EDS, { nonce: '1' }), snap(snapshot(2, { [EDS]: ['e2', 'A', 'B@2'] }))],
    effects: [[], ['node envoy-1', 'sub eds [A]', 'send eds v=e1 n=1 [A]'], ['ack eds v=e1 n=1'], []],
    state: { eds: { nonceSent: '1', nonceAcked: '1', versionSent: 'e2', versionAcked: 'e2', sentFromVersion: 2, ackedFromVersion: 2 } },
  },
  {
    name: 'while a response is unanswered only the sent version moves on; the ACK then takes it',
    events: [snap(snapshot(1, { [EDS]: ['e1', 'A', 'B'] })), req(EDS, { sub: ['A'] }), snap(snapshot(2, { [EDS]: ['e2', 'A', 'B@2'] })), req(EDS, { nonce: '1' })],
    effects: [[], ['node envoy-1', 'sub eds [A]', 'send eds v=e1 n=1 [A]'], [], ['ack eds v=e2 n=1']],
    state: { eds: { nonceAcked: '1', versionSent: 'e2', versionAcked: 'e2', ackedFromVersion: 2 } },
  },
]

describe('stepDelta: delta ADS scenarios', () => {
  it.each(scenarios)('$name', (sc) => expectScenario(sc, run, view))
})

describe('stepDelta: details the tables do not show', () => {
  it('builds the DeltaDiscoveryResponse: system_version_info, per-resource name/version/Any sorted by name, removals, nonce, control_plane', () => {
    const s = snapshot(7, { [CDS]: ['c7', 'B', 'A@2'] })
    const out = run([snap(s), req(CDS, { initial: { gone: 'x' } })])
    const send = out.effects[1]?.find((e) => e.kind === 'send')
    const a = s.types.get(CDS)?.resources.get('A')
    const b = s.types.get(CDS)?.resources.get('B')
    expect(send).toEqual({
      kind: 'send',
      typeUrl: CDS,
      fromVersion: 7,
      resourceNames: ['A', 'B'],
      removedNames: ['gone'],
      response: {
        system_version_info: 'c7',
        resources: [
          { name: 'A', version: 'A@2', resource: a?.any },
          { name: 'B', version: 'B@1', resource: b?.any },
        ],
        type_url: CDS,
        removed_resources: ['gone'],
        nonce: '1',
        control_plane: { identifier: 'legation-test' },
      },
    })
    // The snapshot's Any objects are shared, not copied (the encoder caches their bytes by identity).
    if (send?.kind === 'send') expect(send.response.resources[0]?.resource).toBe(a?.any)
  })

  it('an unchanged resource is never sent twice over many snapshots', () => {
    const events: DeltaStreamEvent[] = [req(CDS)]
    for (let v = 1; v <= 5; v++) events.push(snap(snapshot(v, { [CDS]: [`c${v}`, 'stable', `moving@${v}`] })))
    const sentNames = run(events).effects.flat().flatMap((e) => (e.kind === 'send' ? e.resourceNames : []))
    expect(sentNames.filter((n) => n === 'stable')).toHaveLength(1)
    expect(sentNames.filter((n) => n === 'moving')).toHaveLength(5)
  })

  reducerProperties({ reduce: stepDelta, run, view, request: (typeUrl, names, nonce) => req(typeUrl, { ...(names ? { sub: names } : {}), ...(nonce ? { nonce } : {}) }) })
})

describe('delta watched state as the status code maps it', () => {
  const typeVersions = { [CDS]: 'c4', [EDS]: 'e4' }

  it('a reconnect with everything current is SYNCED and on the version, with no response sent', () => {
    const s4 = snapshot(4, { [CDS]: ['c4', 'A'], [EDS]: ['e4', 'A'] })
    const out = run([snap(s4), req(CDS, { initial: { A: 'A@1' } }), req(EDS, { sub: ['A'], initial: { A: 'A@1' } })])
    expect(out.effects.flat().filter((e) => e.kind === 'send')).toEqual([])
    const types = typeStatusesFromWatched(out.state.types, {}, 1000)
    expect(deriveProxyState({ disconnectedAt: null, types })).toBe('SYNCED')
    expect(isOnVersion({ types }, typeVersions)).toBe(true)
    expect(types[CDS]?.resourceNames).toEqual(['A'])
  })

  it('a NACK shows NACKED with the message; a later ACKed fix shows SYNCED', () => {
    const events = [snap(snapshot(3, { [CDS]: ['c3', 'A'] })), req(CDS), req(CDS, { nonce: '1' }), snap(snapshot(4, { [CDS]: ['c4', 'A@bad'] })), req(CDS, { nonce: '2', error: 'no good' })]
    const nacked = run(events).state
    const types = typeStatusesFromWatched(nacked.types, {}, 1000)
    expect(deriveProxyState({ disconnectedAt: null, types })).toBe('NACKED')
    expect(types[CDS]?.lastNack?.message).toBe('no good')
    const fixed = run([snap(snapshot(5, { [CDS]: ['c5', 'A@fixed'] })), req(CDS, { nonce: '3' })], nacked).state
    expect(deriveProxyState({ disconnectedAt: null, types: typeStatusesFromWatched(fixed.types, types, 2000) })).toBe('SYNCED')
  })
})
