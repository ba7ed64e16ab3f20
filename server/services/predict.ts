import type protobuf from 'protobufjs'
import { encodeResource } from '../config/encode-resource'
import { RESOURCE_TYPE_INFO, resourceKey, type ConfigResource, type ResourceKey } from '../config/resource-types'
import type { ClientPrediction, DraftPrediction, ProxySummary } from '../contract'
import { ENVOY_USER_AGENT, envoyFindings, parseEnvoyVersion, type EnvoyFinding } from '../predict/envoy'
import { GRPC_NODE_USER_AGENT, grpcNodeRejections, type ClientVerdict } from '../predict/grpc-node'
import type { Db } from '../store/db'
import { fleetIdOrThrow } from '../store/drafts'
import { listProxies } from '../store/proxies'
import { readDraftResources, toConfigResources } from '../store/resources'

/** Whether a proxy subscribes to a resource (wildcard, or its name is in the subscription the status keeps). */
function subscribes(proxy: ProxySummary, r: ResourceKey): boolean {
  const t = proxy.types[RESOURCE_TYPE_INFO[r.type].typeUrl]
  return t !== undefined && (t.wildcard || t.names.includes(r.name))
}

type Verdicts = ClientPrediction['rejections']

/** Verdicts restricted to the resources the group's proxies subscribe to; `rejecting` collects who would NACK. */
function forGroup(group: readonly ProxySummary[], verdicts: readonly ClientVerdict[], rejecting?: Set<string>): Verdicts {
  return verdicts.flatMap((v) => {
    const who = group.filter((p) => subscribes(p, v))
    if (rejecting) for (const p of who) rejecting.add(p.nodeId)
    return who.length > 0 ? [{ type: v.type, name: v.name, message: v.message, proxies: who.length }] : []
  })
}

/** One verdict per resource: an Envoy NACKs the resource at its first problem; all of them are listed. */
function byResource(findings: readonly EnvoyFinding[]): ClientVerdict[] {
  const out = new Map<string, ClientVerdict>()
  for (const f of findings) {
    const key = resourceKey(f)
    const prev = out.get(key)
    out.set(key, { type: f.type, name: f.name, message: prev ? `${prev.message}; ${f.message}` : f.message })
  }
  return [...out.values()]
}

/**
 * The draft checked against the clients connected to the fleet now, before a commit (#12 item 2),
 * restricted to what each proxy subscribes to: gRPC proxyless Node clients by @grpc/grpc-js-xds's
 * own validators; Envoy proxies by the table of features per Envoy release (server/predict/envoy-features.ts),
 * per version. Other clients (gRPC-Go/C++/Java), and an Envoy whose version is unknown, are listed
 * as not checked, with why.
 */
export async function predictDraft(options: { db: Db; root: protobuf.Root; fleet: string }): Promise<DraftPrediction> {
  const { db, root, fleet } = options
  const f = await fleetIdOrThrow(db, fleet)
  const resources: ConfigResource[] = toConfigResources(await readDraftResources(db, f.id))
  const proxies = (await listProxies({ db, fleet })).filter((p) => p.state !== 'DISCONNECTED')
  const groups = new Map<string, ProxySummary[]>()
  for (const p of proxies) {
    const key = `${p.userAgentName}\u0000${p.userAgentVersion}`
    groups.set(key, [...(groups.get(key) ?? []), p])
  }
  // Encoded once; a resource that does not encode is a validation problem, reported by the diff and the commit.
  let grpcVerdicts: ClientVerdict[] | null = null
  const verdicts = (): ClientVerdict[] => {
    grpcVerdicts ??= grpcNodeRejections(
      resources.flatMap((resource) => {
        const r = encodeResource(root, resource)
        return r.ok ? [{ resource, bytes: r.bytes }] : []
      }),
    )
    return grpcVerdicts
  }
  const rejecting = new Set<string>()
  const clients: ClientPrediction[] = [...groups.values()].map((group) => {
    const { userAgentName, userAgentVersion } = group[0]!
    const base = { userAgentName, userAgentVersion, proxies: group.length }
    if (userAgentName === GRPC_NODE_USER_AGENT) {
      return { ...base, checked: true, reason: null, rejections: forGroup(group, verdicts(), rejecting), ignored: [] }
    }
    if (userAgentName === ENVOY_USER_AGENT) {
      const version = parseEnvoyVersion(userAgentVersion)
      if (!version) {
        const reason = `Envoy version ${userAgentVersion ? `'${userAgentVersion}' not understood` : 'unknown'} (expected like 1.30.2 in node.user_agent_version), so the feature table cannot be applied`
        return { ...base, checked: false, reason, rejections: [], ignored: [] }
      }
      const findings = envoyFindings(root, resources, version)
      return {
        ...base,
        checked: true,
        reason: null,
        rejections: forGroup(group, byResource(findings.filter((x) => x.effect === 'reject')), rejecting),
        ignored: forGroup(group, byResource(findings.filter((x) => x.effect === 'ignore'))),
      }
    }
    return { ...base, checked: false, reason: `no validator for ${userAgentName || 'this client'} yet (only ${GRPC_NODE_USER_AGENT}, with @grpc/grpc-js-xds's own, and ${ENVOY_USER_AGENT}, by its feature table)`, rejections: [], ignored: [] }
  })
  clients.sort((a, b) => b.proxies - a.proxies || a.userAgentName.localeCompare(b.userAgentName))
  return { fleet, draftRevision: f.draftRevision, rejectingProxies: rejecting.size, clients }
}
