// Hand-built snapshots, requests and a compact effect notation for the xds scenario tables.
import type { Snapshot, SnapshotResource, SnapshotType } from '../../../server/snapshot/types'
import { initialStreamState, step, type Effect, type StreamEvent, type StreamState } from '../../../server/xds/stream-machine'
import { shortType, type XdsTypeUrl } from '../../../server/xds-types/type-urls'
import type { DiscoveryRequest, WireNode } from '../../../server/xds-types/wire'

export {
  CLUSTER_LOAD_ASSIGNMENT_TYPE_URL as EDS,
  CLUSTER_TYPE_URL as CDS,
  LISTENER_TYPE_URL as LDS,
  ROUTE_CONFIGURATION_TYPE_URL as RDS,
  SECRET_TYPE_URL as SDS,
} from '../../../server/xds-types/type-urls'

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
export const snap = (s: Snapshot, now = 0): StreamEvent => ({ kind: 'snapshot', snapshot: s, now })

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

export type Run = { state: StreamState; effects: Effect[][]; lines: string[][] }

/** Folds the events through `step`, keeping each event's effects apart. */
export function run(events: readonly StreamEvent[], from: StreamState = initialStreamState({ controlPlaneId: 'legation-test' })): Run {
  let state = from
  const effects: Effect[][] = []
  for (const event of events) {
    const out = step(state, event)
    state = out.state
    effects.push(out.effects)
  }
  return { state, effects, lines: effects.map((es) => es.map(describeEffect)) }
}
