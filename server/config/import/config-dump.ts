import { messageNameOfTypeUrl } from '../proto-json-codec'
import type { ResourceType } from '../resource-types'
import { controlPlaneClusters, readBootstrap } from './bootstrap'
import type { ImportContext, RawResource } from './context'
import { isV2TypeName } from './extensions'
import { at, get, getArray, getObj, getString, isObj, keyOf, without, type Obj } from './json'

type Entry = Readonly<{ list: string; resource: string; type: ResourceType; dynamic: boolean }>

/** The sections of envoy.admin.v3 config dumps this import reads, and where each holds its resources. */
const SECTIONS: Readonly<Record<string, readonly Entry[]>> = {
  ListenersConfigDump: [
    { list: 'static_listeners', resource: 'listener', type: 'Listener', dynamic: false },
    { list: 'dynamic_listeners', resource: '', type: 'Listener', dynamic: true },
  ],
  ClustersConfigDump: [
    { list: 'static_clusters', resource: 'cluster', type: 'Cluster', dynamic: false },
    { list: 'dynamic_active_clusters', resource: 'cluster', type: 'Cluster', dynamic: true },
    { list: 'dynamic_warming_clusters', resource: 'cluster', type: 'Cluster', dynamic: true },
  ],
  RoutesConfigDump: [
    { list: 'static_route_configs', resource: 'route_config', type: 'RouteConfiguration', dynamic: false },
    { list: 'dynamic_route_configs', resource: 'route_config', type: 'RouteConfiguration', dynamic: true },
  ],
  EndpointsConfigDump: [
    { list: 'static_endpoint_configs', resource: 'endpoint_config', type: 'ClusterLoadAssignment', dynamic: false },
    { list: 'dynamic_endpoint_configs', resource: 'endpoint_config', type: 'ClusterLoadAssignment', dynamic: true },
  ],
  SecretsConfigDump: [
    { list: 'static_secrets', resource: 'secret', type: 'Secret', dynamic: false },
    { list: 'dynamic_active_secrets', resource: 'secret', type: 'Secret', dynamic: true },
    { list: 'dynamic_warming_secrets', resource: 'secret', type: 'Secret', dynamic: true },
  ],
}

const NAME_FIELD: Readonly<Record<ResourceType, string>> = { Listener: 'name', RouteConfiguration: 'name', Cluster: 'name', ClusterLoadAssignment: 'cluster_name', Secret: 'name' }
/** What Envoy writes in place of a secret value in a config dump: the text, or (bytes) its base64. */
const REDACTED = /\[redacted\]|W3JlZGFjdGVkXQ==/

export type ConfigDumpRead = Readonly<{
  resources: RawResource[]
  /** static_route_configs / static_endpoint_configs: copies of what static listeners and clusters hold inline. */
  staticCopies: RawResource[]
}>

/**
 * The resources of an Envoy admin `/config_dump` (envoy.admin.v3.ConfigDump): the static and the
 * active dynamic listeners, clusters, route configurations, endpoints (with ?include_eds) and
 * secrets. The bootstrap section's own fields are reported as bootstrap-only; a listener that is
 * only warming, draining or failed, a cluster only warming, sections this import does not read
 * and Envoy's redacted secret values are findings.
 */
export function readConfigDump(ctx: ImportContext, dump: Obj): ConfigDumpRead {
  const resources: RawResource[] = []
  const staticCopies: RawResource[] = []
  const configsKey = keyOf(dump, 'configs')
  const configs = getArray(dump, 'configs')
  let bootstrap: { value: Obj; path: string } | null = null
  const seenSections = new Set<string>()
  for (const [key] of Object.entries(dump)) {
    if (key !== configsKey) ctx.add({ severity: 'warning', code: 'IMPORT.UNSUPPORTED', path: key, message: `${key}: not part of a config dump; not imported` })
  }
  for (const [i, section] of configs.entries()) {
    const path = at(configsKey, i)
    if (!isObj(section)) continue
    const typeUrl = typeof section['@type'] === 'string' ? section['@type'] : ''
    const messageName = messageNameOfTypeUrl(typeUrl) ?? ''
    if (isV2TypeName(messageName)) {
      ctx.add({ severity: 'warning', code: 'IMPORT.V2_API', path, message: `a ${messageName} section is of Envoy's v2 API (removed in Envoy 1.18): not imported; take the config dump of a v3 Envoy` })
      continue
    }
    const short = messageName.replace(/^envoy\.admin\.v3\./, '')
    if (short === 'BootstrapConfigDump') {
      const value = getObj(section, 'bootstrap')
      if (value) bootstrap = { value, path: at(path, keyOf(section, 'bootstrap')) }
      continue
    }
    const entries = messageName.startsWith('envoy.admin.v3.') ? SECTIONS[short] : undefined
    if (!entries) {
      const empty = Object.keys(section).every((k) => k === '@type')
      if (!empty) ctx.add({ severity: 'warning', code: 'IMPORT.UNSUPPORTED', path, message: `a ${messageName || 'section without "@type"'}: not imported; Legation imports listeners, clusters, route configurations, endpoints and secrets` })
      continue
    }
    seenSections.add(short)
    for (const entry of entries) {
      const listKey = keyOf(section, entry.list)
      getArray(section, entry.list).forEach((item, j) => {
        const itemPath = at(at(path, listKey), j)
        if (!isObj(item)) return
        const found = entry.resource === '' ? dynamicListener(ctx, item, itemPath) : { path: at(itemPath, keyOf(item, entry.resource)), value: get(item, entry.resource) }
        if (!found || !isObj(found.value)) return
        const raw = toRaw(ctx, entry.type, found.value, found.path)
        if (!raw) return
        if (entry.list === 'dynamic_warming_clusters' || entry.list === 'dynamic_warming_secrets') {
          const active = resources.some((r) => r.type === raw.type && r.name === raw.name)
          if (active) return // the active one is imported; the warming one is an update Envoy has not applied yet
          ctx.add({ severity: 'info', code: 'IMPORT.NOT_ACTIVE', path: itemPath, resource: { type: raw.type, name: raw.name }, message: `${raw.type} '${raw.name}' was still warming in this proxy; imported as it was about to become` })
        }
        if (raw.type === 'Secret' && REDACTED.test(JSON.stringify(raw.resource))) {
          ctx.add({ severity: 'warning', code: 'IMPORT.SECRET_REDACTED', path: raw.source, resource: { type: 'Secret', name: raw.name }, message: `Envoy's config dump redacts secret values ([redacted]): put the real private key or secret into Secret '${raw.name}' before committing` })
        }
        if (!entry.dynamic && (entry.type === 'RouteConfiguration' || entry.type === 'ClusterLoadAssignment')) staticCopies.push(raw)
        else resources.push(raw)
      })
    }
  }
  const boot: { value: Obj; path: string } | null = bootstrap
  if (boot) {
    const xds = controlPlaneClusters(get(boot.value, 'dynamic_resources'))
    // The bootstrap's static resources are in the dump's static sections too: read them only where those are missing.
    const SECTION_OF: Readonly<Record<string, string>> = { listeners: 'ListenersConfigDump', clusters: 'ClustersConfigDump', secrets: 'SecretsConfigDump' }
    const staticKey = keyOf(boot.value, 'static_resources')
    const statics = getObj(boot.value, 'static_resources') ?? {}
    const missing = Object.fromEntries(Object.entries(statics).filter(([k]) => !seenSections.has(SECTION_OF[k] ?? '')))
    resources.push(...readBootstrap(ctx, { ...boot.value, [staticKey]: missing }, boot.path))
    for (let i = resources.length - 1; i >= 0; i--) {
      const r = resources[i]!
      if (r.type === 'Cluster' && xds.has(r.name) && !r.source.startsWith(boot.path)) {
        ctx.add({ severity: 'info', code: 'IMPORT.CONTROL_PLANE_CLUSTER', path: r.source, message: `cluster '${r.name}' is the previous control plane's (the bootstrap's dynamic_resources use it): not imported; Legation's bootstrap has its own` })
        resources.splice(i, 1)
      }
    }
  }
  return { resources, staticCopies }
}

/** A dynamic listener's active state, else the warming one (said so); draining only or failed: a finding. */
function dynamicListener(ctx: ImportContext, item: Obj, path: string): { path: string; value: unknown } | null {
  const name = getString(item, 'name') ?? '?'
  const error = getObj(item, 'error_state')
  if (error) {
    const details = getString(error, 'details') ?? 'no details'
    ctx.add({ severity: 'warning', code: 'IMPORT.NOT_ACTIVE', path: at(path, keyOf(item, 'error_state')), resource: { type: 'Listener', name }, message: `this proxy rejected the last update of listener '${name}' (${details}); the update is not imported` })
  }
  for (const state of ['active_state', 'warming_state']) {
    const s = getObj(item, state)
    const listener = s && get(s, 'listener')
    if (!s || !isObj(listener)) continue
    if (state === 'warming_state') ctx.add({ severity: 'info', code: 'IMPORT.NOT_ACTIVE', path: at(path, keyOf(item, state)), resource: { type: 'Listener', name }, message: `listener '${name}' was still warming in this proxy; imported as it was about to become` })
    return { path: at(at(path, keyOf(item, state)), keyOf(s, 'listener')), value: listener }
  }
  if (getObj(item, 'draining_state')) ctx.add({ severity: 'warning', code: 'IMPORT.NOT_ACTIVE', path, resource: { type: 'Listener', name }, message: `listener '${name}' was only draining in this proxy (being removed): not imported` })
  return null
}

function toRaw(ctx: ImportContext, type: ResourceType, value: Obj, source: string): RawResource | null {
  const typeUrl = typeof value['@type'] === 'string' ? value['@type'] : null
  if (typeUrl !== null && isV2TypeName(messageNameOfTypeUrl(typeUrl) ?? '')) {
    ctx.add({ severity: 'warning', code: 'IMPORT.V2_API', path: source, message: `"@type" ${typeUrl} is of Envoy's v2 API (removed in Envoy 1.18): not imported` })
    return null
  }
  const resource = without(value, '@type')
  return { type, name: getString(resource, NAME_FIELD[type]) ?? '', resource, source }
}
