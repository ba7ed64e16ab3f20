import type { ResourceKey } from './resource-types'

/**
 * One problem found in config: which resource, where inside it (a dotted field path with
 * [index] for repeated fields, e.g. `filter_chains[0].filters[0].typed_config.rds.route_config_name`)
 * and what is wrong. Validation returns these as values; it never throws for bad input.
 */
export type ConfigIssue = Readonly<{
  code: ConfigIssueCode
  resource?: ResourceKey
  path: string
  message: string
}>

export type ConfigIssueCode =
  | 'PROTO.UNKNOWN_FIELD'
  | 'PROTO.WRONG_TYPE'
  | 'PROTO.BAD_ENUM'
  | 'PROTO.BAD_VALUE'
  | 'PROTO.ONEOF_CONFLICT'
  | 'PROTO.UNKNOWN_TYPE'
  | 'PROTO.CONSTRAINT'
  | 'PROTO.TOO_DEEP'
  | 'PROTO.NOT_ENCODABLE'
  | 'CONFIG.NAME_MISMATCH'
  | 'CONFIG.REFERENCE_MISSING'
  | 'CONFIG.ADDRESS_CLASH'
  | 'CONFIG.DUPLICATE_NAME'
  | 'CONFIG.UNKNOWN_VARIABLE'

export function joinPath(base: string, segment: string | number): string {
  if (typeof segment === 'number') return `${base}[${segment}]`
  return base === '' ? segment : `${base}.${segment}`
}
