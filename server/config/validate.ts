import type protobuf from 'protobufjs'
import type { ConfigIssue } from './issues'
import { readProtoJson } from './proto-json'
import { checkListenerAddresses, checkReferences } from './references'
import { RESOURCE_TYPE_INFO, type ConfigResource, type ResourceJson, type ResourceType } from './resource-types'

export type ResourceValidation = Readonly<{ resource: ResourceJson | null; issues: ConfigIssue[] }>

const NAME_PATTERN = /^[A-Za-z0-9._:*-]{1,253}$/

/**
 * Validates one resource against the real Envoy v3 proto (and its protoc-gen-validate rules) and
 * returns its canonical JSON. The resource's own name field is filled in from `name` when absent,
 * and must agree with it when present.
 */
export function validateResource(root: protobuf.Root, type: ResourceType, name: string, input: unknown): ResourceValidation {
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
  const { value, issues } = readProtoJson(root, info.messageName, withName)
  return {
    resource: issues.length === 0 ? (value as ResourceJson) : null,
    issues: issues.map((issue) => ({ ...issue, resource: key })),
  }
}

/** Everything a commit checks: each resource's proto, references between them, listener address clashes. */
export function validateConfig(root: protobuf.Root, resources: readonly ConfigResource[]): ConfigIssue[] {
  const protoIssues = resources.flatMap((r) => validateResource(root, r.type, r.name, r.resource).issues)
  return [...protoIssues, ...checkReferences(resources), ...checkListenerAddresses(resources)]
}
