import type { ResourceKey } from '../resource-types'

/**
 * What an import of an Envoy config did not take over as it was (issue #14 item 1): never a silent
 * drop. A `warning` is something that is left out or changes behaviour (a bootstrap-only field, a v2
 * type, an extension this control plane has no descriptor for, a secret Envoy redacted); an `info`
 * says how a part was made servable over xDS (a route configuration split out for RDS, a config
 * source switched to ADS, DNS endpoints kept inline). `path` is where the part is in the imported
 * text (`static_resources.listeners[0].filter_chains[0]…`), `line` its line when the text was YAML.
 */
export const IMPORT_FINDING_CODES = [
  'IMPORT.BOOTSTRAP_ONLY',
  'IMPORT.V2_API',
  'IMPORT.UNKNOWN_EXTENSION',
  'IMPORT.UNSUPPORTED',
  'IMPORT.CONTROL_PLANE_CLUSTER',
  'IMPORT.CONFIG_SOURCE_ADS',
  'IMPORT.ROUTES_SPLIT',
  'IMPORT.ENDPOINTS_SPLIT',
  'IMPORT.DNS_ENDPOINTS_INLINE',
  'IMPORT.NAME_GIVEN',
  'IMPORT.DUPLICATE',
  'IMPORT.NOT_ACTIVE',
  'IMPORT.SECRET_REDACTED',
] as const
export type ImportFindingCode = (typeof IMPORT_FINDING_CODES)[number]

export type ImportFindingSeverity = 'warning' | 'info'

export type ImportFinding = Readonly<{
  severity: ImportFindingSeverity
  code: ImportFindingCode
  /** Where in the imported text (dotted path, [index] for lists). */
  path: string
  message: string
  /** The 1-based line of `path` in YAML text; null for JSON or when unknown. */
  line: number | null
  /** The imported resource it is about, when there is one. */
  resource?: ResourceKey
}>

/** The formats an import reads. */
export const IMPORT_FORMATS = ['bootstrap', 'config-dump', 'bundle'] as const
export type ImportFormat = (typeof IMPORT_FORMATS)[number]

export type ImportOptions = Readonly<{
  /** An HTTP connection manager's inline `route_config` becomes a RouteConfiguration served over RDS (ADS). */
  splitRoutes?: boolean
  /** A STATIC cluster's inline `load_assignment` becomes a ClusterLoadAssignment, the cluster EDS over ADS. */
  splitEndpoints?: boolean
}>
