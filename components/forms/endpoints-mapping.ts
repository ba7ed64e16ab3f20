import type { JsonValue, ResourceJson } from '@/server/contract'
import { doesNotFit, FITS, type FormFit } from './fit'
import { fieldForIssue, literal, rule, type IssueRule } from './issue-fields'
import { arr, isObject, numText, obj, setKey, str, toNumber, toText, type JsonObject } from './json'
import type { EndpointsFormValues, EndpointValues, LocalityValues } from './schemas'

// LocalityLbEndpoints[] ⇄ form rows. Used for a ClusterLoadAssignment's `endpoints` and for a
// STATIC/DNS cluster's inline `load_assignment.endpoints`, which have the same shape.

export function fromEnvoyLocalities(endpoints: JsonValue | undefined): LocalityValues[] {
  return arr(endpoints).map((raw, i) => {
    const group = obj(raw)
    const locality = obj(group['locality'])
    return {
      origin: i,
      region: str(locality['region']),
      zone: str(locality['zone']),
      endpoints: arr(group['lb_endpoints']).map((lb, j): EndpointValues => {
        const socket = obj(obj(obj(obj(lb)['endpoint'])['address'])['socket_address'])
        return { origin: j, address: str(socket['address']), port: numText(socket['port_value']), weight: numText(obj(lb)['load_balancing_weight']) }
      }),
    }
  })
}

function toEnvoyLbEndpoint(row: EndpointValues, original: JsonValue | undefined): JsonObject {
  const lb = obj(original)
  const endpoint = obj(lb['endpoint'])
  const address = obj(endpoint['address'])
  const socket = setKey(setKey(obj(address['socket_address']), 'address', row.address.trim()), 'port_value', Number(row.port))
  const merged = setKey(lb, 'endpoint', setKey(endpoint, 'address', setKey(address, 'socket_address', socket)))
  return setKey(merged, 'load_balancing_weight', toNumber(row.weight))
}

/** Merges the rows into the original groups (by `origin`), keeping priority, metadata, health status… */
export function toEnvoyLocalities(localities: readonly LocalityValues[], original: JsonValue | undefined): JsonObject[] {
  const groups = arr(original)
  return localities.map((row) => {
    const group = obj(row.origin === undefined ? undefined : groups[row.origin])
    const originalEndpoints = arr(group['lb_endpoints'])
    const locality = setKey(setKey(obj(group['locality']), 'region', toText(row.region)), 'zone', toText(row.zone))
    // Keep a locality that was there, even an empty one, and give new groups one: gRPC's xDS clients
    // reject (NACK) endpoint groups without it ("endpoints[0].locality unset"); Envoy reads `{}` as none.
    const keepEmpty = row.origin === undefined || group['locality'] !== undefined
    const withLocality = setKey(group, 'locality', Object.keys(locality).length > 0 || keepEmpty ? locality : undefined)
    return setKey(
      withLocality,
      'lb_endpoints',
      row.endpoints.map((e) => toEnvoyLbEndpoint(e, e.origin === undefined ? undefined : originalEndpoints[e.origin])),
    )
  })
}

/** The form edits hosts given as an IP or DNS name and a port number. */
export function localitiesFit(endpoints: JsonValue | undefined): FormFit {
  for (const group of arr(endpoints)) {
    if (!isObject(group)) return doesNotFit('an endpoint group is not an object')
    for (const lb of arr(group['lb_endpoints'])) {
      if (!isObject(lb)) return doesNotFit('an endpoint is not an object')
      if ('endpoint_name' in lb) return doesNotFit('an endpoint refers to a named endpoint (endpoint_name)')
      const address = obj(obj(lb['endpoint'])['address'])
      if (Object.keys(address).some((k) => k !== 'socket_address')) return doesNotFit('an endpoint uses a pipe or internal address')
      if ('named_port' in obj(address['socket_address'])) return doesNotFit('an endpoint uses a named port')
    }
  }
  return FITS
}

/** Issue rules for LocalityLbEndpoints[] found at `prefix` (`endpoints` or `load_assignment.endpoints`). */
export function localityIssueRules(prefix: string): IssueRule[] {
  const p = literal(prefix)
  const ep = `${p}\\[(\\d+)\\]\\.lb_endpoints\\[(\\d+)\\]`
  const at = (m: RegExpExecArray, field: string) => `localities.${m[1]}.endpoints.${m[2]}.${field}`
  return [
    rule(`${ep}\\.endpoint\\.address\\.socket_address\\.port_value`, (m) => at(m, 'port')),
    rule(`${ep}\\.endpoint`, (m) => at(m, 'address')),
    rule(`${ep}\\.load_balancing_weight`, (m) => at(m, 'weight')),
    rule(ep, (m) => at(m, 'address')),
    rule(`${p}\\[(\\d+)\\]\\.locality\\.region`, (m) => `localities.${m[1]}.region`),
    rule(`${p}\\[(\\d+)\\]\\.locality`, (m) => `localities.${m[1]}.zone`),
  ]
}

// --- ClusterLoadAssignment -------------------------------------------------------------------------

export function fromEnvoyEndpoints(cla: ResourceJson): EndpointsFormValues {
  return { clusterName: str(cla['cluster_name']), localities: fromEnvoyLocalities(cla['endpoints']) }
}

export function toEnvoyEndpoints(values: EndpointsFormValues, base: ResourceJson): ResourceJson {
  const named = setKey(base, 'cluster_name', values.clusterName.trim())
  return setKey(named, 'endpoints', values.localities.length > 0 || 'endpoints' in base ? toEnvoyLocalities(values.localities, base['endpoints']) : undefined)
}

export function endpointsFit(cla: ResourceJson): FormFit {
  return localitiesFit(cla['endpoints'])
}

const ENDPOINTS_RULES: readonly IssueRule[] = [rule('cluster_name', 'clusterName'), ...localityIssueRules('endpoints')]

export function endpointsIssueField(path: string): string | null {
  return fieldForIssue(ENDPOINTS_RULES, path)
}

export function newEndpointRow(): EndpointValues {
  return { address: '', port: '', weight: '' }
}

export function newLocalityRow(): LocalityValues {
  return { region: '', zone: '', endpoints: [newEndpointRow()] }
}
