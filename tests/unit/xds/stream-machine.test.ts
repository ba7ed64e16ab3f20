import { describe, expect, it } from 'vitest'
import { MISSING_NODE_DETAILS, MISSING_TYPE_URL_DETAILS, step, transitionalVersion, type StreamEvent, type StreamState } from '../../../server/xds/stream-machine'
import { admissionScenarios, CDS, EDS, expectScenario, LDS, LISTENER_AND_CLUSTER, LISTENER_AND_CLUSTER_REMOVED, NODE, RDS, reducerProperties, req, ROUTE_TO_B, run, S1, S2, sharedScenarios, snap, snapshot, subscribedToRouteA, viewTypes, type Scenario } from './fixtures'

/** Each watched type as a plain object, keyed by short type name, for toMatchObject. */
const view = (s: StreamState) => viewTypes(s.types, (w) => ({ clientVersion: w.clientVersion, rejectedVersion: w.rejectedVersion, returned: [...w.returned.keys()] }))

const NODE_ONLY = { node: null } // later requests may omit the node (grpc-js-xds sends it once)
const request = (typeUrl: string, names?: string[]) => req(typeUrl, names ? { names } : {})
const routeA = subscribedToRouteA(request)

const scenarios: Scenario<StreamEvent>[] = [
  ...sharedScenarios(request, ['A']),
  ...admissionScenarios((typeUrl, node) => req(typeUrl, node === undefined ? {} : { node }), MISSING_NODE_DETAILS, MISSING_TYPE_URL_DETAILS),
  // ---- first request (Istio Receive: node.id is mandatory on the first request)
  {
    name: 'first request with a node: node once, subscription recorded, no snapshot yet so nothing sent',
    events: [req(CDS), req(LDS, NODE_ONLY)],
    effects: [['node envoy-1', 'sub cds *'], ['sub lds *']],
    state: { cds: { wildcard: true, nonceSent: undefined }, lds: { wildcard: true } },
  },
  {
    name: 'a node on a later request is not announced again',
    events: [req(CDS), req(EDS, { names: ['A'], node: { ...NODE, id: 'other' } })],
    effects: [['node envoy-1', 'sub cds *'], ['sub eds [A]']],
  },
  // ---- type URLs
  {
    name: 'missing type_url on the first request closes before the node is announced',
    events: [req('')],
    effects: [[`close INVALID_ARGUMENT: ${MISSING_TYPE_URL_DETAILS}`]],
    closed: true,
  },
  {
    name: 'unknown type URL is ignored and records nothing',
    events: [snap(S1), req('type.googleapis.com/envoy.service.runtime.v3.Runtime'), req('type.googleapis.com/x.Y', NODE_ONLY)],
    effects: [[], ['node envoy-1', 'ignored unknown-type type.googleapis.com/envoy.service.runtime.v3.Runtime'], ['ignored unknown-type type.googleapis.com/x.Y']],
    state: {},
  },
  // ---- ACK / NACK (xds_protocol "ACK and NACK semantics summary")
  {
    name: 'ACK records the acked nonce and version',
    events: [snap(S1), req(CDS, {}, 10), req(CDS, { nonce: '1', version: 'c1' }, 20)],
    effects: [[], ['node envoy-1', 'sub cds *', 'send cds v=c1 n=1 [A]'], ['ack cds v=c1 n=1']],
    state: { cds: { nonceSent: '1', versionSent: 'c1', sentFromVersion: 1, lastSendAt: 10, nonceAcked: '1', versionAcked: 'c1', ackedFromVersion: 1, clientVersion: 'c1', returned: ['A'] } },
  },
  {
    name: 'NACK records the error, keeps the last ACK and does not resend',
    events: [snap(S1), req(CDS), req(CDS, { nonce: '1', version: 'c1' }), snap(snapshot(2, { [CDS]: ['c2', 'A@2'] }), 30), req(CDS, { nonce: '2', version: 'c1', error: 'bad cluster' }, 40)],
    effects: [[], ['node envoy-1', 'sub cds *', 'send cds v=c1 n=1 [A]'], ['ack cds v=c1 n=1'], ['send cds v=c2 n=2 [A]'], ['nack cds v=c2 n=2 "bad cluster"']],
    state: { cds: { nonceSent: '2', versionSent: 'c2', nonceAcked: '1', versionAcked: 'c1', ackedFromVersion: 1, clientVersion: 'c1', rejectedVersion: 'c2', lastNack: { message: 'bad cluster', code: 3, version: 'c2', nonce: '2', at: 40 } } },
  },
  {
    name: 'partial NACK (grpc-js-xds) carries the new version as client version',
    events: [snap(S1), req(EDS, { names: ['A'] }), req(EDS, { names: ['A'], nonce: '1', version: 'e1', error: 'one endpoint invalid' })],
    effects: [[], ['node envoy-1', 'sub eds [A]', 'send eds v=e1 n=1 [A]'], ['nack eds v=e1 n=1 "one endpoint invalid"']],
    state: { eds: { clientVersion: 'e1', rejectedVersion: 'e1', nonceAcked: undefined, versionAcked: undefined } },
  },
  {
    name: 'stale ACK and stale NACK are ignored',
    events: [snap(S1), req(CDS), snap(snapshot(2, { [CDS]: ['c2', 'A', 'B'] })), req(CDS, { nonce: '1', version: 'c1' }), req(CDS, { nonce: '1', error: 'late' })],
    effects: [[], ['node envoy-1', 'sub cds *', 'send cds v=c1 n=1 [A]'], ['send cds v=c2 n=2 [A,B]'], ['ignored stale-nonce cds'], ['ignored stale-nonce cds']],
    state: { cds: { nonceSent: '2', nonceAcked: undefined, clientVersion: '', lastNack: undefined, rejectedVersion: undefined } },
  },
  {
    name: 'NACK that also adds a name answers the new name',
    events: [snap(S2), req(EDS, { names: ['A'] }), snap(snapshot(3, { [EDS]: ['e3', 'A@3', 'B'] })), req(EDS, { names: ['A', 'B'], nonce: '2', version: 'e2', error: 'bad A' })],
    effects: [[], ['node envoy-1', 'sub eds [A]', 'send eds v=e2 n=1 [A]'], ['send eds v=e3 n=2 [A]'], ['nack eds v=e3 n=2 "bad A"', 'sub eds [A,B]', 'send eds v=e3 n=3 [A,B]']],
    state: { eds: { rejectedVersion: 'e3', nonceSent: '3', returned: ['A', 'B'] } },
  },
  // ---- pushes on a new snapshot
  {
    name: 'an unchanged snapshot pushes nothing',
    events: [snap(S1), req(CDS), req(CDS, { nonce: '1', version: 'c1' }), snap(snapshot(9, { [CDS]: ['c1', 'A'] }))],
    effects: [[], ['node envoy-1', 'sub cds *', 'send cds v=c1 n=1 [A]'], ['ack cds v=c1 n=1'], []],
    state: { cds: { sentFromVersion: 1 } },
  },
  {
    name: 'a rejected version is not re-sent, a later different one is',
    events: [
      snap(S1),
      req(RDS, { names: ['R1'] }),
      snap(snapshot(2, { [RDS]: ['r2', 'R1@bad'] })),
      req(RDS, { names: ['R1'], nonce: '2', version: 'r1', error: 'bad route' }),
      snap(snapshot(3, { [RDS]: ['r2', 'R1@bad'], [CDS]: ['c9', 'Z'] })),
      snap(snapshot(4, { [RDS]: ['r4', 'R1@fixed'] })),
    ],
    effects: [[], ['node envoy-1', 'sub rds [R1]', 'send rds v=r1 n=1 [R1]'], ['send rds v=r2 n=2 [R1]'], ['nack rds v=r2 n=2 "bad route"'], [], ['send rds v=r4 n=3 [R1]']],
  },
  {
    name: 'an ACK supersedes an earlier rejection: going back to that content is sent again',
    events: [
      snap(S1),
      req(CDS),
      snap(snapshot(2, { [CDS]: ['c2', 'A@bad'] })),
      req(CDS, { nonce: '2', version: 'c1', error: 'bad' }),
      snap(snapshot(3, { [CDS]: ['c3', 'A@3'] })),
      req(CDS, { nonce: '3', version: 'c3' }),
      snap(snapshot(4, { [CDS]: ['c2', 'A@bad'] })),
    ],
    effects: [[], ['node envoy-1', 'sub cds *', 'send cds v=c1 n=1 [A]'], ['send cds v=c2 n=2 [A]'], ['nack cds v=c2 n=2 "bad"'], ['send cds v=c3 n=3 [A]'], ['ack cds v=c3 n=3'], ['send cds v=c2 n=4 [A]']],
    state: { cds: { rejectedVersion: undefined, lastNack: { message: 'bad', code: 3, version: 'c2', nonce: '2', at: 0 } } },
  },
  // ---- subscription changes (xds_protocol "How the client specifies what resources to return")
  {
    name: 'RDS adds a second name on the current nonce: response with both',
    events: [snap(snapshot(1, { [RDS]: ['r1', 'R1', 'R2'] })), req(RDS, { names: ['R1'] }), req(RDS, { names: ['R1', 'R2'], nonce: '1', version: 'r1' })],
    effects: [[], ['node envoy-1', 'sub rds [R1]', 'send rds v=r1 n=1 [R1]'], ['ack rds v=r1 n=1', 'sub rds [R1,R2]', 'send rds v=r1 n=2 [R1,R2]']],
    state: { rds: { names: ['R1', 'R2'], nonceSent: '2', nonceAcked: '1', returned: ['R1', 'R2'] } },
  },
  {
    name: 'unsubscribe: empty names on EDS gets no response, and no later push',
    events: [snap(S1), req(EDS, { names: ['A'] }), req(EDS, { names: [], nonce: '1', version: 'e1' }), snap(S2)],
    effects: [[], ['node envoy-1', 'sub eds [A]', 'send eds v=e1 n=1 [A]'], ['ack eds v=e1 n=1', 'sub eds []'], []],
    state: { eds: { names: [], wildcard: false, returned: [], nonceSent: '1' } },
  },
  {
    name: 'a dropped name asked for again is re-sent at the same version',
    events: [snap(snapshot(1, { [EDS]: ['e1', 'A', 'B'] })), req(EDS, { names: ['A', 'B'] }), req(EDS, { names: ['A'], nonce: '1', version: 'e1' }), req(EDS, { names: ['A', 'B'], nonce: '1', version: 'e1' })],
    effects: [[], ['node envoy-1', 'sub eds [A,B]', 'send eds v=e1 n=1 [A,B]'], ['ack eds v=e1 n=1', 'sub eds [A]'], ['ack eds v=e1 n=1', 'sub eds [A,B]', 'send eds v=e1 n=2 [A,B]']],
  },
  {
    name: 'wildcard Listener (empty names) and Cluster ("*") get every resource of the type',
    events: [snap(snapshot(1, { [LDS]: ['l1', 'L2', 'L1'], [CDS]: ['c1', 'B', 'A', 'C'] })), req(LDS), req(CDS, { names: ['*'] })],
    effects: [[], ['node envoy-1', 'sub lds *', 'send lds v=l1 n=1 [L1,L2]'], ['sub cds *', 'send cds v=c1 n=2 [A,B,C]']],
    state: { lds: { wildcard: true, names: [] }, cds: { wildcard: true, names: [] } },
  },
  {
    name: 'a named Cluster subscription (grpc-js-xds) gets only its names',
    events: [snap(snapshot(1, { [CDS]: ['c1', 'A', 'B'] })), req(CDS, { names: ['B'] })],
    effects: [[], ['node envoy-1', 'sub cds [B]', 'send cds v=c1 n=1 [B]']],
  },
  {
    name: 'resource not found: a subscribed EDS name missing from the snapshot is absent from the response',
    events: [snap(S1), req(EDS, { names: ['A', 'missing'] })],
    effects: [[], ['node envoy-1', 'sub eds [A,missing]', 'send eds v=e1 n=1 [A]']],
    state: { eds: { names: ['A', 'missing'], returned: ['A'] } },
  },
  {
    name: 'resource not found: a first request for names none of which exist is not answered until one appears',
    events: [snap(S1), req(EDS, { names: ['missing'] }), snap(snapshot(2, { [EDS]: ['e2', 'A', 'missing'] }))],
    effects: [[], ['node envoy-1', 'sub eds [missing]'], ['send eds v=e2 n=1 [missing]']],
  },
  // ---- requests before the first snapshot; reconnects
  {
    name: 'reconnect: the initial request at the current version with an empty nonce is answered',
    events: [snap(S1), req(CDS, { version: 'c1' }), req(EDS, { names: ['A'], version: 'e1' })],
    effects: [[], ['node envoy-1', 'sub cds *', 'send cds v=c1 n=1 [A]'], ['sub eds [A]', 'send eds v=e1 n=2 [A]']],
    state: { cds: { clientVersion: 'c1', nonceSent: '1' } },
  },
  {
    name: 'reconnect before the snapshot reaches the new stream: answered when it arrives',
    events: [req(CDS, { version: 'c1' }), snap(S1)],
    effects: [['node envoy-1', 'sub cds *'], ['send cds v=c1 n=1 [A]']],
  },
  {
    name: 'an empty-nonce request on a known type (subscription change before any response) is an init',
    events: [req(RDS, { names: ['R1'] }), req(RDS, { names: ['R1', 'R2'] }, 5), snap(snapshot(1, { [RDS]: ['r1', 'R1', 'R2'] }))],
    effects: [['node envoy-1', 'sub rds [R1]'], ['sub rds [R1,R2]'], ['send rds v=r1 n=1 [R1,R2]']],
  },
  // ---- make-before-break (xds_protocol "Eventual consistency considerations")
  {
    name: 'route switches from cluster A to B with A deleted: CDS{A,B}, EDS, RDS{->B}, then CDS{B}',
    events: [...routeA.events, snap(ROUTE_TO_B)],
    effects: [
      ...routeA.effects,
      // The transitional CDS response has its own version_info: one version string, one content (issue #11).
      [`send cds v=${transitionalVersion('c2', [{ name: 'A' }])} n=5 [A,B]`, 'send eds v=e2 n=6 []', 'send rds v=r2 n=7 [R1]', 'send cds v=c2 n=8 [B]'],
    ],
    state: { cds: { nonceSent: '8', versionSent: 'c2', returned: ['B'] } },
  },
  {
    name: 'Listener and Cluster both removed: the Listener is dropped before the Cluster',
    events: [
      snap(LISTENER_AND_CLUSTER),
      req(CDS),
      req(LDS),
      snap(LISTENER_AND_CLUSTER_REMOVED),
    ],
    effects: [
      [],
      ['node envoy-1', 'sub cds *', 'send cds v=c1 n=1 [A,B]'],
      ['sub lds *', 'send lds v=l1 n=2 [L1,L2]'],
      [`send cds v=${transitionalVersion('c2', [{ name: 'A' }])} n=3 [A,B]`, `send lds v=${transitionalVersion('l2', [{ name: 'L1' }])} n=4 [L1,L2]`, 'send lds v=l2 n=5 [L2]', 'send cds v=c2 n=6 [B]'],
    ],
  },
  {
    name: 'a Cluster added (nothing removed) is one response with every cluster',
    events: [snap(snapshot(1, { [CDS]: ['c1', 'A'] })), req(CDS), snap(snapshot(2, { [CDS]: ['c2', 'A', 'B'] }))],
    effects: [[], ['node envoy-1', 'sub cds *', 'send cds v=c1 n=1 [A]'], ['send cds v=c2 n=2 [A,B]']],
  },
  {
    name: 'RDS names removed from the snapshot are not kept (only Listener and Cluster are make-before-break)',
    events: [snap(snapshot(1, { [RDS]: ['r1', 'R1', 'R2'] })), req(RDS, { names: ['R1', 'R2'] }), snap(snapshot(2, { [RDS]: ['r2', 'R2'] }))],
    effects: [[], ['node envoy-1', 'sub rds [R1,R2]', 'send rds v=r1 n=1 [R1,R2]'], ['send rds v=r2 n=2 [R2]']],
  },
]

describe('step: SotW ADS scenarios', () => {
  it.each(scenarios)('$name', (sc) => expectScenario(sc, run, view))
})

describe('step: details the tables do not show', () => {
  it('builds the DiscoveryResponse: version_info, Any resources sorted by name, type_url, nonce, control_plane', () => {
    const s = snapshot(7, { [CDS]: ['c7', 'B', 'A'] })
    const out = run([snap(s), req(CDS)])
    const send = out.effects[1]?.find((e) => e.kind === 'send')
    expect(send).toEqual({
      kind: 'send',
      typeUrl: CDS,
      fromVersion: 7,
      resourceNames: ['A', 'B'],
      response: {
        version_info: 'c7',
        resources: [s.types.get(CDS)?.resources.get('A')?.any, s.types.get(CDS)?.resources.get('B')?.any],
        type_url: CDS,
        nonce: '1',
        control_plane: { identifier: 'legation-test' },
      },
    })
  })

  it('remembers the node of the first request', () => {
    const out = run([req(CDS), req(EDS, { names: ['A'], node: null })])
    expect(out.state.node).toEqual(NODE)
    expect(out.effects.flat().filter((e) => e.kind === 'node')).toHaveLength(1)
  })

  it('make-before-break keeps the removed cluster exactly as previously sent', () => {
    const first = snapshot(1, { [CDS]: ['c1', 'A@old'] })
    const out = run([snap(first), req(CDS), snap(snapshot(2, { [CDS]: ['c2', 'B'] }))])
    const sends = out.effects[2]?.flatMap((e) => (e.kind === 'send' ? [e.response] : [])) ?? []
    expect(sends[0]?.resources[0]).toBe(first.types.get(CDS)?.resources.get('A')?.any)
    expect(sends.map((r) => r.resources.length)).toEqual([2, 1])
  })

  reducerProperties({ reduce: step, run, view, request: (typeUrl, names, nonce) => req(typeUrl, { ...(names ? { names } : {}), ...(nonce ? { nonce } : {}) }) })
})

describe('transitionalVersion', () => {
  it('differs from the target version and between different kept sets, and is stable', () => {
    const one = transitionalVersion('c2', [{ name: 'A' }])
    expect(one).not.toBe('c2')
    expect(transitionalVersion('c2', [{ name: 'B' }, { name: 'A' }])).not.toBe(one)
    expect(transitionalVersion('c2', [{ name: 'A' }])).toBe(one)
    expect(transitionalVersion('c3', [{ name: 'A' }])).not.toBe(one)
  })
})
