import YAML from 'yaml'
import { compareResources, type ConfigResource, type JsonValue } from './resource-types'

/**
 * A fleet's config as an Envoy static bootstrap (`static_resources` only), for users who check a
 * version with their own `envoy --mode validate`: what the proxies get over xDS, with every xDS
 * reference made static.
 *  - an HTTP connection manager's `rds` becomes its `route_config` (the RouteConfiguration it names);
 *  - an EDS cluster becomes STATIC with the ClusterLoadAssignment of its name as `load_assignment`;
 *  - SDS references (`…sds_secret_config(s)`) lose their `sds_config`, so they name static secrets;
 *  - Secrets go to `static_resources.secrets`, private keys as the API shows them (`<set:…>`): put
 *    the real files in before validating.
 * What cannot be made static is listed in `notes` (and as comments at the top of the YAML).
 */
export type StaticBootstrap = Readonly<{ bootstrap: Record<string, JsonValue>; notes: string[] }>

const HCM_TYPE = 'type.googleapis.com/envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager'

type Obj = { [key: string]: JsonValue }
const isObj = (v: JsonValue | undefined): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v)

function mapJson(value: JsonValue, fn: (obj: Obj, path: string) => Obj, path = ''): JsonValue {
  if (Array.isArray(value)) return value.map((v, i) => mapJson(v as JsonValue, fn, `${path}[${i}]`))
  if (!isObj(value)) return value
  const out: Obj = {}
  for (const [k, v] of Object.entries(value)) out[k] = mapJson(v, fn, path === '' ? k : `${path}.${k}`)
  return fn(out, path)
}

export function buildStaticBootstrap(options: { fleet: string; resources: readonly ConfigResource[] }): StaticBootstrap {
  const notes: string[] = []
  const sorted = [...options.resources].sort(compareResources)
  const of = (type: ConfigResource['type']) => sorted.filter((r) => r.type === type)
  const routes = new Map(of('RouteConfiguration').map((r) => [r.name, r.resource]))
  const assignments = new Map(of('ClusterLoadAssignment').map((r) => [r.name, r.resource]))
  const usedAssignments = new Set<string>()

  const staticRefs = (where: string) => (obj: Obj, path: string): Obj => {
    let out = obj
    if (out['@type'] === HCM_TYPE && isObj(out['rds'])) {
      const name = String((out['rds'] as Obj)['route_config_name'] ?? '')
      const { rds: _rds, ...rest } = out
      const route = routes.get(name)
      if (route) out = { ...rest, route_config: route as JsonValue }
      else notes.push(`${where} ${path}: route configuration '${name}' is not in this config; left as rds`)
    }
    if (isObj(out['scoped_routes'])) notes.push(`${where} ${path}: scoped_routes need an xDS server; left as they are`)
    for (const [key, v] of Object.entries(out)) {
      if (!/sds_secret_configs?$/.test(key)) continue
      const strip = (c: JsonValue): JsonValue => (isObj(c) ? Object.fromEntries(Object.entries(c).filter(([k]) => k !== 'sds_config')) : c)
      out = { ...out, [key]: Array.isArray(v) ? v.map((c) => strip(c as JsonValue)) : strip(v) }
    }
    return out
  }

  const listeners = of('Listener').map((r) => mapJson(r.resource as JsonValue, staticRefs(`Listener '${r.name}'`)))
  const clusters = of('Cluster').map((r) => {
    let c = mapJson(r.resource as JsonValue, staticRefs(`Cluster '${r.name}'`)) as Obj
    if (c['type'] === 'EDS') {
      const serviceName = isObj(c['eds_cluster_config']) && typeof (c['eds_cluster_config'] as Obj)['service_name'] === 'string' ? String((c['eds_cluster_config'] as Obj)['service_name']) : r.name
      const cla = assignments.get(serviceName)
      const { eds_cluster_config: _eds, ...rest } = c
      usedAssignments.add(serviceName)
      if (!cla) notes.push(`Cluster '${r.name}': no endpoints named '${serviceName}' in this config; it has none`)
      c = { ...rest, type: 'STATIC', load_assignment: (cla ? { ...cla, cluster_name: r.name } : { cluster_name: r.name }) as JsonValue }
    }
    return c
  })
  for (const name of assignments.keys()) if (!usedAssignments.has(name)) notes.push(`ClusterLoadAssignment '${name}': no EDS cluster uses it; left out`)
  const secrets = of('Secret').map((r) => r.resource as JsonValue)
  if (secrets.some((s) => JSON.stringify(s).includes('<set:'))) notes.push('private keys are shown as <set:fingerprint> (they never leave the server): put the real key files in before validating')
  const staticResources: Obj = { listeners, clusters }
  if (secrets.length > 0) staticResources['secrets'] = secrets
  const bootstrap: Record<string, JsonValue> = { node: { id: `legation-export-${options.fleet}`, cluster: options.fleet }, static_resources: staticResources }
  return { bootstrap, notes }
}

/** The bootstrap as YAML, its notes as comments on top. */
export function renderStaticBootstrap(b: StaticBootstrap): string {
  const header = b.notes.map((n) => `# ${n.replace(/\n/g, ' ')}\n`).join('')
  return `${header}${YAML.stringify(b.bootstrap, { lineWidth: 0 })}`
}
