import type { JsonValue, ResourceJson } from '@/server/contract'
import { localitiesFit, localityIssueRules, toEnvoyLocalities, fromEnvoyLocalities } from './endpoints-mapping'
import { doesNotFit, firstMisfit, FITS, type FormFit } from './fit'
import { fieldForIssue, rule, type IssueRule } from './issue-fields'
import { ADS_CONFIG_SOURCE, arr, isObject, numText, obj, omit, setKey, setWithDefault, str, toNumber, toText, type JsonObject } from './json'
import { CLUSTER_TYPES, LB_POLICIES, type CircuitBreakerValues, type ClusterFormValues, type HealthCheckValues } from './schemas'

type ClusterType = ClusterFormValues['type']
type LbPolicy = ClusterFormValues['lbPolicy']

const HEALTH_CHECK_DEFAULTS: HealthCheckValues = { enabled: false, path: '/healthz', interval: '5s', timeout: '1s', healthyThreshold: '2', unhealthyThreshold: '3' }

const CIRCUIT_BREAKER_FIELDS = [
  ['maxConnections', 'max_connections'],
  ['maxPendingRequests', 'max_pending_requests'],
  ['maxRequests', 'max_requests'],
  ['maxRetries', 'max_retries'],
] as const satisfies ReadonlyArray<readonly [keyof CircuitBreakerValues, string]>

function isClusterType(v: string): v is ClusterType {
  return (CLUSTER_TYPES as readonly string[]).includes(v)
}
function isLbPolicy(v: string): v is LbPolicy {
  return (LB_POLICIES as readonly string[]).includes(v)
}

/** The thresholds entry the form edits: priority DEFAULT (the proto default when `priority` is left out). */
function defaultThresholdIndex(thresholds: readonly JsonValue[]): number {
  return thresholds.findIndex((t) => isObject(t) && (t['priority'] === undefined || t['priority'] === 'DEFAULT'))
}

/** The health check the form edits: the first one, when it is an HTTP check. */
function httpHealthCheck(cluster: ResourceJson): JsonObject | null {
  const first = arr(cluster['health_checks'])[0]
  return isObject(first) && isObject(first['http_health_check']) ? first : null
}

export function fromEnvoyCluster(cluster: ResourceJson): ClusterFormValues {
  const type = str(cluster['type']) || 'STATIC'
  const lbPolicy = str(cluster['lb_policy']) || 'ROUND_ROBIN'
  const hc = httpHealthCheck(cluster)
  const thresholds = arr(obj(cluster['circuit_breakers'])['thresholds'])
  const threshold = obj(thresholds[defaultThresholdIndex(thresholds)])
  return {
    name: str(cluster['name']),
    type: isClusterType(type) ? type : 'STATIC',
    lbPolicy: isLbPolicy(lbPolicy) ? lbPolicy : 'ROUND_ROBIN',
    connectTimeout: str(cluster['connect_timeout']),
    healthCheck: hc
      ? {
          enabled: true,
          path: str(obj(hc['http_health_check'])['path']),
          interval: str(hc['interval']),
          timeout: str(hc['timeout']),
          healthyThreshold: numText(hc['healthy_threshold']),
          unhealthyThreshold: numText(hc['unhealthy_threshold']),
        }
      : HEALTH_CHECK_DEFAULTS,
    circuitBreaker: {
      maxConnections: numText(threshold['max_connections']),
      maxPendingRequests: numText(threshold['max_pending_requests']),
      maxRequests: numText(threshold['max_requests']),
      maxRetries: numText(threshold['max_retries']),
    },
    localities: fromEnvoyLocalities(obj(cluster['load_assignment'])['endpoints']),
  }
}

function toEnvoyHealthChecks(values: HealthCheckValues, base: ResourceJson): JsonValue[] | undefined {
  const list = arr(base['health_checks'])
  const current = httpHealthCheck(base)
  const rest = current ? list.slice(1) : list
  if (!values.enabled) return rest.length > 0 ? [...rest] : undefined
  let hc: JsonObject = current ?? {}
  hc = setKey(hc, 'timeout', toText(values.timeout))
  hc = setKey(hc, 'interval', toText(values.interval))
  hc = setKey(hc, 'unhealthy_threshold', toNumber(values.unhealthyThreshold))
  hc = setKey(hc, 'healthy_threshold', toNumber(values.healthyThreshold))
  hc = setKey(hc, 'http_health_check', setKey(obj(hc['http_health_check']), 'path', values.path.trim()))
  return [hc, ...rest]
}

function toEnvoyCircuitBreakers(values: CircuitBreakerValues, base: ResourceJson): JsonObject | undefined {
  const breakers = obj(base['circuit_breakers'])
  const thresholds = [...arr(breakers['thresholds'])]
  const index = defaultThresholdIndex(thresholds)
  let threshold = obj(thresholds[index])
  for (const [field, key] of CIRCUIT_BREAKER_FIELDS) threshold = setKey(threshold, key, toNumber(values[field]))
  const empty = Object.keys(threshold).every((k) => k === 'priority')
  if (index >= 0) {
    if (empty) thresholds.splice(index, 1)
    else thresholds[index] = threshold
  } else if (!empty) thresholds.push(threshold)
  const merged = setKey(breakers, 'thresholds', thresholds.length > 0 ? thresholds : undefined)
  return Object.keys(merged).length > 0 ? merged : undefined
}

/**
 * Writes the form into the loaded cluster: every field the form does not show (outlier detection,
 * TLS, metadata, other health checks and thresholds, endpoint metadata…) stays as it was.
 */
export function toEnvoyCluster(values: ClusterFormValues, base: ResourceJson): ResourceJson {
  let c: JsonObject = setKey(base, 'name', values.name.trim())
  c = setWithDefault(c, 'type', values.type, 'STATIC')
  c = setKey(c, 'connect_timeout', toText(values.connectTimeout))
  c = setWithDefault(c, 'lb_policy', values.lbPolicy, 'ROUND_ROBIN')
  c = setKey(c, 'health_checks', toEnvoyHealthChecks(values.healthCheck, base))
  c = setKey(c, 'circuit_breakers', toEnvoyCircuitBreakers(values.circuitBreaker, base))
  if (values.type === 'EDS') {
    // An EDS cluster's hosts are the ClusterLoadAssignment named after it, served over ADS.
    c = omit(c, 'load_assignment')
    if (!isObject(c['eds_cluster_config'])) c = setKey(c, 'eds_cluster_config', { eds_config: ADS_CONFIG_SOURCE })
  } else {
    c = omit(c, 'eds_cluster_config')
    const assignment = obj(base['load_assignment'])
    if (values.localities.length > 0 || 'load_assignment' in base) {
      const named = setKey(assignment, 'cluster_name', str(assignment['cluster_name']) || values.name.trim())
      c = setKey(c, 'load_assignment', setKey(named, 'endpoints', toEnvoyLocalities(values.localities, assignment['endpoints'])))
    }
  }
  return c
}

export function clusterFit(cluster: ResourceJson): FormFit {
  const type = str(cluster['type']) || 'STATIC'
  const lbPolicy = str(cluster['lb_policy']) || 'ROUND_ROBIN'
  return firstMisfit(
    'cluster_type' in cluster ? doesNotFit('it is a custom cluster type (cluster_type)') : FITS,
    isClusterType(type) ? FITS : doesNotFit(`its discovery type ${type} has no form`),
    isLbPolicy(lbPolicy) ? FITS : doesNotFit(`its load balancing policy ${lbPolicy} has no form`),
    localitiesFit(obj(cluster['load_assignment'])['endpoints']),
  )
}

const CLUSTER_RULES: readonly IssueRule[] = [
  rule('name', 'name'),
  rule('type', 'type'),
  rule('lb_policy', 'lbPolicy'),
  rule('connect_timeout', 'connectTimeout'),
  rule('health_checks\\[0\\]\\.http_health_check', 'healthCheck.path'),
  rule('health_checks\\[0\\]\\.interval', 'healthCheck.interval'),
  rule('health_checks\\[0\\]\\.timeout', 'healthCheck.timeout'),
  rule('health_checks\\[0\\]\\.healthy_threshold', 'healthCheck.healthyThreshold'),
  rule('health_checks\\[0\\]\\.unhealthy_threshold', 'healthCheck.unhealthyThreshold'),
  ...CIRCUIT_BREAKER_FIELDS.map(([field, key]) => rule(`circuit_breakers\\.thresholds\\[\\d+\\]\\.${key}`, `circuitBreaker.${field}`)),
  rule('eds_cluster_config', 'type'),
  ...localityIssueRules('load_assignment.endpoints'),
]

export function clusterIssueField(path: string): string | null {
  return fieldForIssue(CLUSTER_RULES, path)
}
