import { expect } from 'vitest'
import type { ApiClient } from './http'
import type { ServerHandle } from './server'
import type { echoFleetResources } from './xds-client'

// The protocol's own words (grpc-js-xds src/resources.ts), written out here rather than imported
// from the product, so a wrong constant in the product cannot make these tests agree with it.
export const LISTENER_TYPE_URL = 'type.googleapis.com/envoy.config.listener.v3.Listener'
export const ROUTE_CONFIGURATION_TYPE_URL = 'type.googleapis.com/envoy.config.route.v3.RouteConfiguration'
export const CLUSTER_TYPE_URL = 'type.googleapis.com/envoy.config.cluster.v3.Cluster'
export const CLUSTER_LOAD_ASSIGNMENT_TYPE_URL = 'type.googleapis.com/envoy.config.endpoint.v3.ClusterLoadAssignment'
/** Every type grpc-js-xds subscribes to for one `xds:///` target, in its subscription order. */
export const ECHO_TYPE_URLS = [LISTENER_TYPE_URL, ROUTE_CONFIGURATION_TYPE_URL, CLUSTER_TYPE_URL, CLUSTER_LOAD_ASSIGNMENT_TYPE_URL] as const

/** A proxy's per-type status as the proxies API returns it (server/status/proxy-status.ts TypeStatus). */
export type TypeStatusView = {
  typeUrl: string
  names: string[]
  nonceSent?: string
  versionSent?: string
  sentFromVersion?: number
  nonceAcked?: string
  versionAcked?: string
  ackedFromVersion?: number
  ackedAt?: string
  lastNack?: { message: string; code: number; version: string; nonce: string; at: string }
  resourceNames: string[]
}

export type ProxyView = {
  id: string
  /** The replica serving (or that served) this stream: host-pid-random (server/main.ts). */
  replicaId: string
  nodeId: string
  nodeCluster: string
  fleet: string | null
  userAgentName: string
  userAgentVersion: string
  state: 'SYNCED' | 'STALE' | 'NOT_SENT' | 'NACKED' | 'DISCONNECTED'
  connectedAt: string
  disconnectedAt: string | null
  closeReason: string | null
  types: Record<string, TypeStatusView>
}

export type VersionView = {
  number: number
  origin: string
  rollbackOf: number | null
  contentHash: string
  active: boolean
  message: string
  convergence: { version: number; proxies: number; onVersion: number; convergenceMs: number | null } | null
}

/** ACKed what was sent last, with nothing rejected (deriveTypeState's SYNCED, asserted field by field). */
export function expectTypeSynced(t: TypeStatusView | undefined, typeUrl: string): asserts t is TypeStatusView {
  expect(t, typeUrl).toBeDefined()
  expect(t!.nonceSent, typeUrl).toBeDefined()
  expect(t!.nonceAcked, typeUrl).toBe(t!.nonceSent)
  expect(t!.versionAcked, typeUrl).toBe(t!.versionSent)
  expect(t!.ackedFromVersion, typeUrl).toBe(t!.sentFromVersion)
}

/**
 * SYNCED on all four types of the echo target. The proxy's state alone is not enough while it is
 * still subscribing: grpc-js-xds asks for one type after another, and a row written between two of
 * them shows the types so far, all ACKed, hence SYNCED.
 */
export function expectSyncedOnEveryType(p: ProxyView | null | undefined): asserts p is ProxyView {
  expect(p, 'proxy').toBeTruthy()
  expect(p!.state).toBe('SYNCED')
  expect(Object.keys(p!.types).sort()).toEqual([...ECHO_TYPE_URLS].sort())
  for (const typeUrl of ECHO_TYPE_URLS) expectTypeSynced(p!.types[typeUrl], typeUrl)
}

/** The xDS port the server bound, from its "Legation is ready" log line. */
export function xdsPortOf(server: ServerHandle): number {
  const ready = server.logs().find((l) => typeof l['xdsPort'] === 'number' && String(l['msg']).startsWith('Legation is ready'))
  if (!ready) throw new Error('the server logged no ready line with xdsPort')
  return ready['xdsPort'] as number
}

/** Writes the four resources of echoFleetResources() into the fleet's draft (create or replace). */
export async function putEchoDraft(api: ApiClient, fleet: string, resources: ReturnType<typeof echoFleetResources>): Promise<void> {
  const puts: Array<[string, string, unknown]> = [
    ['listeners', resources.listener.name, resources.listener],
    ['routes', resources.route.name, resources.route],
    ['clusters', resources.cluster.name, resources.cluster],
    ['endpoints', resources.endpoints.cluster_name, resources.endpoints],
  ]
  for (const [plural, name, body] of puts) {
    const res = await api('PUT', `/api/v1/fleets/${fleet}/draft/${plural}/${name}`, { body })
    if (res.status !== 200 && res.status !== 201) throw new Error(`PUT draft ${plural}/${name}: ${res.status} ${res.text}`)
  }
}

/** Commits the draft; resolves with the new version number. */
export async function commitDraft(api: ApiClient, fleet: string, message: string): Promise<number> {
  const res = await api<{ number: number }>('POST', `/api/v1/fleets/${fleet}/commit`, { body: { message } })
  if (res.status !== 201) throw new Error(`commit '${message}': ${res.status} ${res.text}`)
  return res.body.number
}

/** The latest stream of a node id, or null while no replica has written one. */
export async function getProxy(api: ApiClient, nodeId: string): Promise<ProxyView | null> {
  const res = await api<{ proxy: ProxyView }>('GET', `/api/v1/proxies/${encodeURIComponent(nodeId)}`)
  if (res.status === 404) return null
  if (res.status !== 200) throw new Error(`GET proxy ${nodeId}: ${res.status} ${res.text}`)
  return res.body.proxy
}

export async function listVersions(api: ApiClient, fleet: string): Promise<VersionView[]> {
  const res = await api<{ versions: VersionView[] }>('GET', `/api/v1/fleets/${fleet}/versions`)
  if (res.status !== 200) throw new Error(`GET versions of ${fleet}: ${res.status} ${res.text}`)
  return res.body.versions
}
