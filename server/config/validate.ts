import type protobuf from 'protobufjs'
import { encodeResource } from './encode-resource'
import type { ConfigIssue } from './issues'
import { readProtoJson } from './proto-json'
import { checkListenerAddresses, checkReferences } from './references'
import { RESOURCE_TYPE_INFO, type ConfigResource, type ResourceJson, type ResourceType } from './resource-types'
import { placeholdersIn } from './variables'

export type ResourceValidation = Readonly<{ resource: ResourceJson | null; issues: ConfigIssue[] }>

const NAME_PATTERN = /^[A-Za-z0-9._:*-]{1,253}$/

/**
 * Validates one resource against the real Envoy v3 proto (and its protoc-gen-validate rules) and
 * returns its canonical JSON. The resource's own name field is filled in from `name` when absent,
 * and must agree with it when present. A resource that reads well is also encoded the way the
 * snapshot build encodes it, so one that could never be served (nested deeper than protobuf's
 * recursion limit) is refused here, at its field.
 */
export function validateResource(root: protobuf.Root, type: ResourceType, name: string, input: unknown, options: { placeholders?: boolean } = {}): ResourceValidation {
  const read = readResource(root, type, name, input, options.placeholders === true)
  if (read.resource === null) return read
  // A resource with variables is encoded (and checked for it) once they are substituted, at commit.
  if (options.placeholders === true && placeholdersIn(read.resource).length > 0) return read
  const encoded = encodeResource(root, { type, name, resource: read.resource })
  return encoded.ok ? read : { resource: null, issues: [encoded.issue] }
}

export function readResource(root: protobuf.Root, type: ResourceType, name: string, input: unknown, placeholders = false): ResourceValidation {
  const info = RESOURCE_TYPE_INFO[type]
  const key = { type, name }
  if (!NAME_PATTERN.test(name)) {
    return { resource: null, issues: [{ code: 'PROTO.BAD_VALUE', resource: key, path: info.nameField, message: `'${name}' is not a valid resource name (1-253 characters: letters, digits and . _ : - *)` }] }
  }
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    return { resource: null, issues: [{ code: 'PROTO.WRONG_TYPE', resource: key, path: '', message: `a ${type} must be an object` }] }
  }
  const record = input as Record<string, unknown>
  const camel = info.nameField === 'cluster_name' ? 'clusterName' : 'name'
  const given = record[info.nameField] ?? record[camel]
  if (given !== undefined && given !== name) {
    return { resource: null, issues: [{ code: 'CONFIG.NAME_MISMATCH', resource: key, path: info.nameField, message: `the resource says its ${info.nameField} is ${JSON.stringify(given)}, but it is being saved as '${name}'` }] }
  }
  const withName = given === undefined ? { [info.nameField]: name, ...record } : record
  const { value, issues } = readProtoJson(root, info.messageName, withName, '', { placeholders })
  return {
    resource: issues.length === 0 ? (value as ResourceJson) : null,
    issues: issues.map((issue) => ({ ...issue, resource: key })),
  }
}

export type ServableConfig = Readonly<{ encoded: ReadonlyArray<{ resource: ConfigResource; bytes: Uint8Array }>; issues: ConfigIssue[] }>

/**
 * What the snapshot build refuses, and the bytes it serves: every resource encoded for Envoy
 * (encodeResource), and every reference resolved (go-control-plane's Consistent()), for parsed
 * resources (prepareSnapshot, validateConfig). The snapshot engine and the commit make the same
 * checks of stored resources, each resource's remembered by content (prepareStoredSnapshot,
 * validateStoredConfig): a version that could never be served is never committed (#16 item 6).
 * Resources must be canonical (validated) JSON.
 */
export function encodeForServing(root: protobuf.Root, resources: readonly ConfigResource[]): ServableConfig {
  const encoded: Array<{ resource: ConfigResource; bytes: Uint8Array }> = []
  const issues: ConfigIssue[] = []
  for (const resource of resources) {
    const result = encodeResource(root, resource)
    if (result.ok) encoded.push({ resource, bytes: result.bytes })
    else issues.push(result.issue)
  }
  return { encoded, issues: [...issues, ...checkReferences(resources)] }
}

/**
 * Everything a commit checks: each resource's proto, what the snapshot build checks
 * (encodeForServing: encoding and references), listener address clashes.
 */
export function validateConfig(root: protobuf.Root, resources: readonly ConfigResource[]): ConfigIssue[] {
  const read = resources.map((r) => readResource(root, r.type, r.name, r.resource))
  const protoIssues = read.flatMap((x) => x.issues)
  // A resource that does not read cannot be encoded: report its problems and the references.
  if (protoIssues.length > 0) return [...protoIssues, ...checkReferences(resources), ...checkListenerAddresses(resources)]
  const canonical = resources.map((r, i) => ({ ...r, resource: read[i]!.resource! }))
  return [...encodeForServing(root, canonical).issues, ...checkListenerAddresses(resources)]
}
