// Hand-built snapshots, requests and a compact effect notation for the xds scenario tables of
// both reducers (SotW stream-machine and delta-machine), and the checks they share.
import { expect, it } from 'vitest'
import type { Snapshot, SnapshotResource, SnapshotType } from '../../../server/snapshot/types'
import { initialStreamState, step, type Effect, type StreamEvent, type StreamState } from '../../../server/xds/stream-machine'
import { NODE_LIMITS } from '../../../server/xds/node-limits'
import type { WatchedTypeBase } from '../../../server/xds/subscription'
import {
  CLUSTER_LOAD_ASSIGNMENT_TYPE_URL as EDS,
  CLUSTER_TYPE_URL as CDS,
  LISTENER_TYPE_URL as LDS,
  ROUTE_CONFIGURATION_TYPE_URL as RDS,
  SECRET_TYPE_URL as SDS,
  shortType,
  type XdsTypeUrl,
} from '../../../server/xds-types/type-urls'
import type { DeltaDiscoveryRequest, DiscoveryRequest, WireNode } from '../../../server/xds-types/wire'

export { CDS, EDS, LDS, RDS, SDS }

export const NODE: WireNode = { id: 'envoy-1', cluster: 'edge', user_agent_name: 'envoy' }

/** A resource whose fake Any bytes encode its name and a content tag, so two contents are told apart. */
export function resource(typeUrl: string, name: string, content = '1'): SnapshotResource {
  return { name, version: `${name}@${content}`, any: { type_url: typeUrl, value: new TextEncoder().encode(`${name}@${content}`) } }
}

/** `{ [typeUrl]: [version, 'A', 'B@2'] }`: a name may carry a content tag after '@'. */
export type TypeSpec = readonly [version: string, ...names: string[]]

export function snapshot(versionNumber: number, types: Partial<Record<XdsTypeUrl, TypeSpec>>): Snapshot {
  const built = new Map<XdsTypeUrl, SnapshotType>()
  for (const [typeUrl, spec] of Object.entries(types) as [XdsTypeUrl, TypeSpec][]) {
    const [version, ...names] = spec
    const resources = names.map((n) => {
      const [name = n, content] = n.split('@')
      return resource(typeUrl, name, content)
    })
    built.set(typeUrl, { version, resources: new Map(resources.map((r) => [r.name, r])) })
  }
  return { fleet: 'default', versionNumber, types: built }
}

export type RequestSpec = Partial<{ names: string[]; nonce: string; version: string; node: WireNode | null; error: string }>

export function request(typeUrl: string, spec: RequestSpec = {}): DiscoveryRequest {
  return {
    version_info: spec.version ?? '',
    node: spec.node === undefined ? NODE : spec.node,
    resource_names: spec.names ?? [],
    type_url: typeUrl,
    response_nonce: spec.nonce ?? '',
    error_detail: spec.error === undefined ? null : { code: 3, message: spec.error },
  }
}

export const req = (typeUrl: string, spec: RequestSpec = {}, now = 0): StreamEvent => ({ kind: 'request', req: request(typeUrl, spec), now })
/** A snapshot event; the same for both reducers. */
export const snap = (s: Snapshot, now = 0) => ({ kind: 'snapshot', snapshot: s, now }) as const

// Make-before-break situations (xds_protocol "Eventual consistency considerations"), answered
// differently by SotW (keep what goes until its replacement is sent) and delta (removals last).
/** A route to cluster A, then (ROUTE_TO_B) to cluster B with A deleted. */
export const ROUTE_TO_A = snapshot(1, { [CDS]: ['c1', 'A'], [EDS]: ['e1', 'A'], [LDS]: ['l1', 'L1'], [RDS]: ['r1', 'R1@toA'] })
export const ROUTE_TO_B = snapshot(2, { [CDS]: ['c2', 'B'], [EDS]: ['e2', 'B'], [LDS]: ['l1', 'L1'], [RDS]: ['r2', 'R1@toB'] })
/** Two listeners and two clusters, then (…_REMOVED) one of each removed. */
export const LISTENER_AND_CLUSTER = snapshot(1, { [CDS]: ['c1', 'A', 'B'], [LDS]: ['l1', 'L1', 'L2'] })
export const LISTENER_AND_CLUSTER_REMOVED = snapshot(2, { [CDS]: ['c2', 'B'], [LDS]: ['l2', 'L2'] })

export type DeltaRequestSpec = Partial<{ sub: string[]; unsub: string[]; nonce: string; initial: Record<string, string>; node: WireNode | null; error: string }>

export function deltaRequest(typeUrl: string, spec: DeltaRequestSpec = {}): DeltaDiscoveryRequest {
  return {
    node: spec.node === undefined ? NODE : spec.node,
    type_url: typeUrl,
    resource_names_subscribe: spec.sub ?? [],
    resource_names_unsubscribe: spec.unsub ?? [],
    initial_resource_versions: spec.initial ?? {},
    response_nonce: spec.nonce ?? '',
    error_detail: spec.error === undefined ? null : { code: 3, message: spec.error },
  }
}

// Snapshot 1 of a small fleet: one of everything. Resource versions are `name@content`.
export const S1 = snapshot(1, { [CDS]: ['c1', 'A'], [EDS]: ['e1', 'A'], [LDS]: ['l1', 'L1'], [RDS]: ['r1', 'R1'], [SDS]: ['s1', 'cert'] })
// Snapshot 2 changes only the endpoints of A and the route.
export const S2 = snapshot(2, { [CDS]: ['c1', 'A'], [EDS]: ['e2', 'A@2'], [LDS]: ['l1', 'L1'], [RDS]: ['r2', 'R1@2'], [SDS]: ['s1', 'cert'] })

/** One line per effect, e.g. `send cds v=c1 n=1 [A,B]`, `ack cds v=c1 n=1`, `sub eds [a]`, `sub cds *`. */
export function describeEffect(e: Effect): string {
  switch (e.kind) {
    case 'node':
      return `node ${e.node.id}`
    case 'send':
      return `send ${shortType(e.typeUrl)} v=${e.response.version_info} n=${e.response.nonce} [${e.resourceNames.join(',')}]`
    case 'ack':
      return `ack ${shortType(e.typeUrl)} v=${e.version} n=${e.nonce}`
    case 'nack':
      return `nack ${shortType(e.typeUrl)} v=${e.nack.version} n=${e.nack.nonce} "${e.nack.message}"`
    case 'subscription':
      return `sub ${shortType(e.typeUrl)} ${e.wildcard ? ['*', ...e.names].join(',') : `[${e.names.join(',')}]`}`
    case 'ignored':
      return `ignored ${e.reason} ${shortType(e.typeUrl)}`.trimEnd()
    case 'close':
      return `close ${e.code}: ${e.details}`
  }
}

export type Run<S = StreamState, F = Effect> = { state: S; effects: F[][]; lines: string[][] }

/** Folds the events through a reducer, keeping each event's effects apart, one line per effect. */
export function fold<S, E, F>(reduce: (state: S, event: E) => { state: S; effects: F[] }, line: (effect: F) => string, events: readonly E[], from: S): Run<S, F> {
  let state = from
  const effects: F[][] = []
  for (const event of events) {
    const out = reduce(state, event)
    state = out.state
    effects.push(out.effects)
  }
  return { state, effects, lines: effects.map((es) => es.map(line)) }
}

/** Folds the events through the SotW `step`. */
export function run(events: readonly StreamEvent[], from: StreamState = initialStreamState({ controlPlaneId: 'legation-test' })): Run {
  return fold(step, describeEffect, events, from)
}

/**
 * Each watched type as a plain object keyed by short type name, for toMatchObject: the fields both
 * reducers keep (WatchedTypeBase), plus what `extra` picks from the variant.
 */
export function viewTypes<W extends WatchedTypeBase>(types: ReadonlyMap<XdsTypeUrl, W>, extra: (w: W) => Record<string, unknown>): Record<string, Record<string, unknown>> {
  return Object.fromEntries(
    [...types.values()].map((w) => [
      shortType(w.typeUrl),
      {
        names: [...w.names].sort(),
        wildcard: w.wildcard,
        nonceSent: w.nonceSent,
        versionSent: w.versionSent,
        sentFromVersion: w.sentFromVersion,
        lastSendAt: w.lastSendAt,
        nonceAcked: w.nonceAcked,
        versionAcked: w.versionAcked,
        ackedFromVersion: w.ackedFromVersion,
        lastNack: w.lastNack,
        ...extra(w),
      },
    ]),
  )
}

type ReducerState = Readonly<{ types: ReadonlyMap<XdsTypeUrl, WatchedTypeBase>; nextNonce: number; closed: boolean }>

export type Scenario<E> = {
  name: string
  events: E[]
  /** The effects of each event, in `describeEffect` notation. */
  effects: string[][]
  /** Key state after the last event, matched per short type name; `{}` means no type is watched. */
  state?: Record<string, Record<string, unknown>>
  closed?: boolean
}

/** Runs a scenario table row: every event's effects, then the state it leaves. */
export function expectScenario<S extends ReducerState, E>(sc: Scenario<E>, run: (events: readonly E[]) => Run<S, unknown>, view: (s: S) => Record<string, Record<string, unknown>>): void {
  const out = run(sc.events)
  expect(out.lines).toEqual(sc.effects)
  if (sc.state) expect(view(out.state)).toMatchObject(sc.state)
  if (sc.state && Object.keys(sc.state).length === 0) expect(out.state.types.size).toBe(0)
  expect(out.state.closed).toBe(sc.closed ?? false)
}

/**
 * What the two reducers share before any type is watched (server/xds/admit-request.ts), as
 * scenarios for either: `request` builds that reducer's first request of a type, with a node
 * override.
 */
export function admissionScenarios<E>(request: (typeUrl: string, node?: WireNode | null) => E, missingNode: string, missingTypeUrl: string): Scenario<E>[] {
  return [
    {
      name: 'first request without a node closes the stream with INVALID_ARGUMENT',
      events: [request(CDS, null)],
      effects: [[`close INVALID_ARGUMENT: ${missingNode}`]],
      closed: true,
    },
    {
      name: 'first request with an empty node id closes the stream',
      events: [request(CDS, { ...NODE, id: '' })],
      effects: [[`close INVALID_ARGUMENT: ${missingNode}`]],
      closed: true,
    },
    {
      // #16 item 7: an 8 KB node id made every proxy-status write fail; it is refused before anything is recorded.
      name: 'a first node id over its limit closes the stream, naming the field and the limit',
      events: [request(CDS, { ...NODE, id: 'x'.repeat(NODE_LIMITS['node.id'] + 1) }), request(CDS)],
      effects: [[`close INVALID_ARGUMENT: node.id is ${NODE_LIMITS['node.id'] + 1} bytes; the limit is ${NODE_LIMITS['node.id']} bytes`], ['ignored after-close cds']],
      closed: true,
    },
    {
      name: 'node metadata is bounded by its encoded size, multi-byte characters counted in bytes',
      events: [request(CDS, { ...NODE, metadata: { fields: { k: { string_value: 'é'.repeat(NODE_LIMITS['node.metadata'] / 2) } } } })],
      effects: [[`close INVALID_ARGUMENT: node.metadata is ${NODE_LIMITS['node.metadata'] + '{"fields":{"k":{"string_value":""}}}'.length} bytes; the limit is ${NODE_LIMITS['node.metadata']} bytes`]],
      closed: true,
    },
    {
      name: 'a node at its limits is admitted',
      events: [request(CDS, { ...NODE, id: 'é'.repeat(NODE_LIMITS['node.id'] / 2), user_agent_name: 'u'.repeat(NODE_LIMITS['node.user_agent_name']), locality: { zone: 'z'.repeat(NODE_LIMITS['node.locality.zone']) } })],
      effects: [[`node ${'é'.repeat(NODE_LIMITS['node.id'] / 2)}`, 'sub cds *']],
    },
    {
      name: 'missing type_url closes the stream',
      events: [request(CDS), request('', null)],
      effects: [['node envoy-1', 'sub cds *'], [`close INVALID_ARGUMENT: ${missingTypeUrl}`]],
      closed: true,
    },
    {
      name: 'after a close every event is ignored',
      events: [request(CDS, null), request(CDS), snap(S1) as E],
      effects: [[`close INVALID_ARGUMENT: ${missingNode}`], ['ignored after-close cds'], ['ignored after-close']],
      state: {},
      closed: true,
    },
  ]
}

/**
 * Scenarios both reducers answer alike; `request(typeUrl, names)` builds that reducer's request,
 * and `returnedEds` is what the view shows the client has of EDS after the push.
 */
export function sharedScenarios<E>(request: (typeUrl: string, names?: string[]) => E, returnedEds: string[]): Scenario<E>[] {
  return [
    {
      name: 'a new snapshot pushes only the types that changed, in ADS order',
      events: [snap(S1) as E, request(LDS), request(RDS, ['R1']), request(CDS), request(EDS, ['A']), request(SDS, ['cert']), snap(S2, 50) as E],
      effects: [
        [],
        ['node envoy-1', 'sub lds *', 'send lds v=l1 n=1 [L1]'],
        ['sub rds [R1]', 'send rds v=r1 n=2 [R1]'],
        ['sub cds *', 'send cds v=c1 n=3 [A]'],
        ['sub eds [A]', 'send eds v=e1 n=4 [A]'],
        ['sub sds [cert]', 'send sds v=s1 n=5 [cert]'],
        ['send eds v=e2 n=6 [A]', 'send rds v=r2 n=7 [R1]'],
      ],
      state: { eds: { sentFromVersion: 2, lastSendAt: 50, returned: returnedEds }, cds: { nonceSent: '3', sentFromVersion: 1 }, lds: { nonceSent: '1' } },
    },
    {
      name: 'requests before any snapshot are answered by the snapshot, in ADS order (PUSH_ORDER)',
      events: [request(LDS), request(RDS, ['R1']), request(SDS, ['cert']), request(CDS), request(EDS, ['A']), snap(S1) as E],
      effects: [
        ['node envoy-1', 'sub lds *'],
        ['sub rds [R1]'],
        ['sub sds [cert]'],
        ['sub cds *'],
        ['sub eds [A]'],
        ['send cds v=c1 n=1 [A]', 'send eds v=e1 n=2 [A]', 'send lds v=l1 n=3 [L1]', 'send rds v=r1 n=4 [R1]', 'send sds v=s1 n=5 [cert]'],
      ],
    },
  ]
}

/** A client subscribed to every type of ROUTE_TO_A, one request at a time: the events and what each gets. */
export function subscribedToRouteA<E>(request: (typeUrl: string, names?: string[]) => E): { events: E[]; effects: string[][] } {
  return {
    events: [snap(ROUTE_TO_A) as E, request(CDS), request(EDS, ['A']), request(LDS), request(RDS, ['R1'])],
    effects: [
      [],
      ['node envoy-1', 'sub cds *', 'send cds v=c1 n=1 [A]'],
      ['sub eds [A]', 'send eds v=e1 n=2 [A]'],
      ['sub lds *', 'send lds v=l1 n=3 [L1]'],
      ['sub rds [R1]', 'send rds v=r1 n=4 [R1]'],
    ],
  }
}

type SendLike = { kind: string; response?: { nonce: string } }

/**
 * Properties of either reducer that no single scenario shows: nonces, purity, and the identity of
 * the state a stale request leaves. `request(typeUrl, names, nonce)` builds that reducer's request.
 */
export function reducerProperties<S extends ReducerState, E, F extends SendLike>(r: {
  reduce: (state: S, event: E) => { state: S; effects: F[] }
  run: (events: readonly E[], from?: S) => Run<S, F>
  view: (s: S) => unknown
  request: (typeUrl: XdsTypeUrl, names?: string[], nonce?: string) => E
}): void {
  const snapshotEvent = (s: Snapshot, now = 0): E => snap(s, now) as E

  it('nonces are base-10 strings strictly increasing across all types', () => {
    const events: E[] = [r.request(CDS), r.request(EDS, ['A']), r.request(LDS), r.request(RDS, ['R1'])]
    for (let v = 1; v <= 4; v++) {
      const ver = `v${v}`
      events.push(snapshotEvent(snapshot(v, { [CDS]: [ver, `A@${v}`], [EDS]: [ver, `A@${v}`], [LDS]: [ver, `L1@${v}`], [RDS]: [ver, `R1@${v}`] })))
    }
    const nonces = r
      .run(events)
      .effects.flat()
      .flatMap((e) => (e.kind === 'send' && e.response ? [e.response.nonce] : []))
    expect(nonces).toEqual(Array.from({ length: 16 }, (_, i) => String(i + 1)))
  })

  it('is deterministic and does not mutate its input state', () => {
    const before = r.run([snapshotEvent(S1), r.request(CDS), r.request(EDS, ['A'])]).state
    const viewBefore = r.view(before)
    const a = r.reduce(before, snapshotEvent(S2, 9))
    const b = r.reduce(before, snapshotEvent(S2, 9))
    expect(a).toEqual(b)
    expect(a.effects.length).toBeGreaterThan(0)
    expect(r.view(before)).toEqual(viewBefore)
    expect(before.nextNonce).toBe(3)
  })

  it('a stale request (no subscription change) returns the very same state', () => {
    const { state } = r.run([snapshotEvent(S1), r.request(CDS), snapshotEvent(snapshot(2, { [CDS]: ['c2', 'B'] }))])
    const out = r.reduce(state, r.request(CDS, undefined, '1'))
    expect(out.state).toBe(state)
  })
}
