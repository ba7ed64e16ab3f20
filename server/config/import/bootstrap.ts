import type { ResourceType } from '../resource-types'
import type { ImportContext, RawResource } from './context'
import { at, getString, isObj, type Obj } from './json'

/** Fields of envoy.config.bootstrap.v3.Bootstrap that belong to the proxy, not to what xDS serves. */
const BOOTSTRAP_ONLY: Readonly<Record<string, { severity: 'info' | 'warning'; why: string }>> = {
  node: { severity: 'info', why: "the proxy's identity is in its own bootstrap; Legation's (GET /api/v1/fleets/{fleet}/bootstrap) names the fleet" },
  admin: { severity: 'info', why: "the admin interface is the proxy's own: keep it in its bootstrap" },
  dynamic_resources: { severity: 'info', why: "Legation serves listeners, clusters, routes, endpoints and secrets over ADS: the proxy's bootstrap points at Legation instead" },
  layered_runtime: { severity: 'warning', why: 'runtime layers are read by the proxy (Legation serves no RTDS): keep them in its bootstrap' },
}
const BOOTSTRAP_ONLY_DEFAULT = { severity: 'warning' as const, why: "a bootstrap-only setting, not served over xDS: keep it in the proxy's bootstrap" }

const snake = (key: string) => key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`)

const STATIC_KINDS: Readonly<Record<string, ResourceType>> = { listeners: 'Listener', clusters: 'Cluster', secrets: 'Secret' }

/** Cluster names a bootstrap's `dynamic_resources` points at: the previous control plane's. */
export function controlPlaneClusters(dynamicResources: unknown): Set<string> {
  const names = new Set<string>()
  const walk = (v: unknown): void => {
    if (Array.isArray(v)) return v.forEach(walk)
    if (!isObj(v)) return
    for (const [k, item] of Object.entries(v)) {
      if ((k === 'cluster_name' || k === 'clusterName') && typeof item === 'string') names.add(item)
      else if ((k === 'cluster_names' || k === 'clusterNames') && Array.isArray(item)) item.forEach((n) => typeof n === 'string' && names.add(n))
      else walk(item)
    }
  }
  walk(dynamicResources)
  return names
}

/**
 * The resources of an Envoy static bootstrap (`static_resources`: listeners, clusters, secrets),
 * every other field of the bootstrap reported as bootstrap-only, and a static cluster that only
 * the bootstrap's `dynamic_resources` uses (the previous control plane) left out, said so.
 */
export function readBootstrap(ctx: ImportContext, bootstrap: Obj, base: string): RawResource[] {
  const raws: RawResource[] = []
  let staticResources: Obj = {}
  let xdsClusters = new Set<string>()
  for (const [key, value] of Object.entries(bootstrap)) {
    const field = snake(key)
    if (field === 'static_resources') {
      if (isObj(value)) staticResources = value
      continue
    }
    if (field === 'dynamic_resources') xdsClusters = controlPlaneClusters(value)
    const { severity, why } = BOOTSTRAP_ONLY[field] ?? BOOTSTRAP_ONLY_DEFAULT
    ctx.add({ severity, code: 'IMPORT.BOOTSTRAP_ONLY', path: at(base, key), message: `${field}: not imported; ${why}` })
  }
  const staticPath = at(base, 'static_resources')
  for (const [key, list] of Object.entries(staticResources)) {
    const type = STATIC_KINDS[snake(key)]
    if (!type) {
      ctx.add({ severity: 'warning', code: 'IMPORT.UNSUPPORTED', path: at(staticPath, key), message: `${snake(key)}: not imported; Legation imports static listeners, clusters and secrets` })
      continue
    }
    const listPath = at(staticPath, key)
    if (!Array.isArray(list)) continue // the validator names a non-list where it matters; an empty section is nothing
    list.forEach((item, i) => {
      const source = at(listPath, i)
      if (!isObj(item)) {
        ctx.add({ severity: 'warning', code: 'IMPORT.UNSUPPORTED', path: source, message: `not imported: a ${type} is an object` })
        return
      }
      let name = getString(item, 'name')
      if (type === 'Cluster' && name !== undefined && xdsClusters.has(name)) {
        ctx.add({ severity: 'info', code: 'IMPORT.CONTROL_PLANE_CLUSTER', path: source, message: `cluster '${name}' is the previous control plane's (dynamic_resources uses it): not imported; Legation's bootstrap has its own` })
        return
      }
      if (!name && type === 'Listener') {
        name = `listener_${raws.filter((r) => r.type === 'Listener').length}`
        ctx.add({ severity: 'info', code: 'IMPORT.NAME_GIVEN', path: source, message: `the listener has no name (Envoy would make up one); it is '${name}'`, resource: { type, name } })
      }
      raws.push({ type, name: name ?? '', resource: name ? { ...item, name } : item, source })
    })
  }
  return raws
}
