import protobuf from 'protobufjs'
import { joinPath } from '../config/issues'
import { findMessageType, messageNameOfTypeUrl } from '../config/proto-json-codec'
import { fieldRules, isOneofRequired } from '../config/proto-json-pgv'
import { RESOURCE_TYPE_INFO, type ConfigResource, type JsonValue, type ResourceType } from '../config/resource-types'
import { ENVOY_FEATURES, type EnvoyFeature } from './envoy-features'

/** The user_agent_name Envoy sends in its Node (source/common/version: "envoy"). */
export const ENVOY_USER_AGENT = 'envoy'

export type EnvoyVersion = Readonly<{ major: number; minor: number; patch: number }>

/**
 * "1.28.0", "v1.28.7", "1.29.0-dev", "1.28" → the release numbers; anything else → null. A -dev build
 * is taken as its release (it may lack features merged late in that cycle).
 */
export function parseEnvoyVersion(text: string): EnvoyVersion | null {
  const m = /^v?(\d+)\.(\d+)(?:\.(\d+))?(?:[-+/].*)?$/.exec(text.trim())
  if (!m) return null
  return { major: Number(m[1]), minor: Number(m[2]), patch: Number(m[3] ?? 0) }
}

export function formatEnvoyVersion(v: EnvoyVersion): string {
  return `${v.major}.${v.minor}.${v.patch}`
}

function compareVersions(a: EnvoyVersion, b: EnvoyVersion): number {
  return a.major - b.major || a.minor - b.minor || a.patch - b.patch
}

export type EnvoyFinding = Readonly<{
  type: ResourceType
  name: string
  /** Field path inside the resource (proto field names, as the config analysis writes them). */
  path: string
  /** 'reject': the Envoy NACKs the resource; 'ignore': it accepts it without the feature. */
  effect: 'reject' | 'ignore'
  feature: EnvoyFeature
  message: string
}>

type Index = Readonly<{
  extensions: ReadonlyMap<string, EnvoyFeature>
  fields: ReadonlyMap<string, EnvoyFeature>
  enumValues: ReadonlyMap<string, EnvoyFeature>
}>

function buildIndex(features: readonly EnvoyFeature[]): Index {
  const extensions = new Map<string, EnvoyFeature>()
  const fields = new Map<string, EnvoyFeature>()
  const enumValues = new Map<string, EnvoyFeature>()
  for (const f of features) {
    if (f.kind === 'extension') extensions.set(f.message, f)
    else if (f.kind === 'field') fields.set(`${f.message}.${f.field}`, f)
    else enumValues.set(`${f.enum}.${f.value}`, f)
  }
  return { extensions, fields, enumValues }
}

const DEFAULT_INDEX = buildIndex(ENVOY_FEATURES)

const HTTP_FILTER = 'envoy.extensions.filters.network.http_connection_manager.v3.HttpFilter'
const CLUSTER_SPECIFIER_PLUGIN = 'envoy.config.route.v3.ClusterSpecifierPlugin'
const ROUTE_FILTER_CONFIG = 'envoy.config.route.v3.FilterConfig'
const LOAD_BALANCING_POLICY = 'envoy.config.cluster.v3.LoadBalancingPolicy'
const TYPED_STRUCTS = new Set(['xds.type.v3.TypedStruct', 'udpa.type.v1.TypedStruct'])
/** Arbitrary typed metadata: Envoy does not look its types up as extensions. */
const METADATA = 'envoy.config.core.v3.Metadata'
/** FilterConfig.is_optional exists from this release on (ENVOY_FEATURES). */
const FILTER_CONFIG_OPTIONAL_SINCE = parseEnvoyVersion('1.27.0')!

type Ctx = {
  readonly root: protobuf.Root
  readonly version: EnvoyVersion
  readonly index: Index
  readonly resource: ConfigResource
  readonly out: EnvoyFinding[]
}

const isObject = (v: JsonValue | undefined): v is { readonly [key: string]: JsonValue } => typeof v === 'object' && v !== null && !Array.isArray(v)

function sourceOf(f: EnvoyFeature): string {
  return `${f.source.file}, ${f.source.area}`
}

function describe(f: EnvoyFeature): string {
  if (f.kind === 'extension') return `typed_config ${f.message}`
  if (f.kind === 'field') return `field ${f.message}.${f.field}`
  return `${f.enum} ${f.value}`
}

/** Whether the table says this Envoy lacks the feature. */
function lacks(ctx: Ctx, f: EnvoyFeature | undefined): f is EnvoyFeature {
  return f !== undefined && compareVersions(ctx.version, parseEnvoyVersion(f.since)!) < 0
}

function report(ctx: Ctx, feature: EnvoyFeature, path: string, effect: 'reject' | 'ignore', why?: string): void {
  const v = formatEnvoyVersion(ctx.version)
  const verb = effect === 'reject' ? 'would reject' : 'would ignore'
  const message = `envoy ${v} ${verb}: ${describe(feature)} needs Envoy ≥ ${feature.since} (${sourceOf(feature)})${path ? ` at ${path}` : ''}${why ? `; ${why}` : ''}`
  ctx.out.push({ type: ctx.resource.type, name: ctx.resource.name, path, effect, feature, message })
}

/** The extension a typed_config names, looking through a TypedStruct to the type it stands for. */
function extensionOf(value: { readonly [key: string]: JsonValue }): string | null {
  const typeUrl = value['@type']
  if (typeof typeUrl !== 'string') return null
  const name = messageNameOfTypeUrl(typeUrl)
  if (name && TYPED_STRUCTS.has(name) && typeof value.type_url === 'string') return messageNameOfTypeUrl(value.type_url)
  return name
}

/**
 * A google.protobuf.Any: the extension it names (unknown to this Envoy → rejected, or skipped where
 * `optional` says the client may), then what it holds.
 */
function walkAny(ctx: Ctx, value: JsonValue, path: string, optional: string | null): void {
  if (!isObject(value)) return
  const name = extensionOf(value)
  if (!name) return
  const feature = ctx.index.extensions.get(name)
  if (lacks(ctx, feature)) {
    report(ctx, feature, path, optional ? 'ignore' : 'reject', optional ?? undefined)
    return // an Envoy that cannot load it never reads inside it
  }
  const type = findMessageType(ctx.root, name)
  if (!type || TYPED_STRUCTS.has(name)) return
  if (name === ROUTE_FILTER_CONFIG) {
    // The per-route wrapper: its own is_optional only from 1.27.0 on.
    const optionalHere = value.is_optional === true && compareVersions(ctx.version, FILTER_CONFIG_OPTIONAL_SINCE) >= 0
    walkFields(ctx, type, value, path, optionalHere ? 'the per-route config is_optional, so Envoy skips it' : null)
    return
  }
  walkFields(ctx, type, value, path, null)
}

/** Cluster.load_balancing_policy: Envoy uses the first policy it supports; none → rejected. */
function walkLoadBalancingPolicy(ctx: Ctx, type: protobuf.Type, value: { readonly [key: string]: JsonValue }, path: string, optional: string | null): void {
  const policies = Array.isArray(value.policies) ? (value.policies as readonly JsonValue[]) : []
  const unsupported: Array<{ feature: EnvoyFeature; path: string }> = []
  for (const [i, policy] of policies.entries()) {
    const policyPath = joinPath(joinPath(joinPath(path, 'policies'), i), 'typed_extension_config')
    const ext = isObject(policy) ? policy.typed_extension_config : undefined
    const config = isObject(ext) ? ext.typed_config : undefined
    const name = isObject(config) ? extensionOf(config) : null
    const feature = name ? ctx.index.extensions.get(name) : undefined
    if (lacks(ctx, feature)) {
      unsupported.push({ feature, path: joinPath(policyPath, 'typed_config') })
      continue
    }
    // The policy this Envoy picks: checked like any other config (it may hold child policies).
    walkFields(ctx, type.lookupType('Policy'), policy as { readonly [key: string]: JsonValue }, joinPath(joinPath(path, 'policies'), i), optional)
    return
  }
  const first = unsupported[0]
  if (first) report(ctx, first.feature, first.path, optional ? 'ignore' : 'reject', unsupported.length > 1 ? `none of the ${unsupported.length} policies is supported by this Envoy` : 'it is the only policy listed')
}

function walkValue(ctx: Ctx, field: protobuf.Field, value: JsonValue, path: string, optional: string | null): void {
  const resolved = field.resolvedType
  if (resolved instanceof protobuf.Enum) {
    if (typeof value !== 'string') return
    const feature = ctx.index.enumValues.get(`${resolved.fullName.slice(1)}.${value}`)
    if (!lacks(ctx, feature)) return
    const definedOnly = (fieldRules(field) as { enum?: { defined_only?: boolean } } | null)?.enum?.defined_only === true
    report(ctx, feature, path, definedOnly ? 'reject' : 'ignore', definedOnly ? 'the field accepts defined values only' : undefined)
    return
  }
  if (!(resolved instanceof protobuf.Type) || !isObject(value)) return
  const name = resolved.fullName.slice(1)
  if (name === 'google.protobuf.Any') return walkAny(ctx, value, path, optional)
  if (name === METADATA) return
  walkFields(ctx, resolved, value, path, optional)
}

function walkFields(ctx: Ctx, type: protobuf.Type, value: { readonly [key: string]: JsonValue }, path: string, inherited: string | null): void {
  const typeName = type.fullName.slice(1)
  if (typeName === LOAD_BALANCING_POLICY) return walkLoadBalancingPolicy(ctx, type, value, path, inherited)
  let optional = inherited
  if ((typeName === HTTP_FILTER || typeName === CLUSTER_SPECIFIER_PLUGIN) && value.is_optional === true) optional = `${typeName === HTTP_FILTER ? 'the HTTP filter' : 'the cluster specifier plugin'} is_optional, so Envoy skips it`
  for (const [key, child] of Object.entries(value)) {
    const field = type.fields[key]
    if (!field || child === null) continue
    const fieldPath = joinPath(path, key)
    const feature = ctx.index.fields.get(`${typeName}.${key}`)
    if (lacks(ctx, feature)) {
      // Unknown to this Envoy: ignored (and everything under it), unless its oneof is required.
      const required = field.partOf !== null && field.partOf !== undefined && isOneofRequired(field.partOf)
      report(ctx, feature, fieldPath, required ? 'reject' : 'ignore', required ? `the required oneof ${field.partOf!.name} looks empty to it` : 'unknown fields in xDS are ignored unless --reject-unknown-dynamic-fields')
      continue
    }
    field.resolve()
    if (field.map) {
      if (isObject(child)) for (const [k, v] of Object.entries(child)) walkValue(ctx, field, v, `${fieldPath}[${JSON.stringify(k)}]`, optional)
    } else if (field.repeated) {
      if (Array.isArray(child)) for (const [i, v] of (child as readonly JsonValue[]).entries()) walkValue(ctx, field, v, joinPath(fieldPath, i), optional)
    } else {
      walkValue(ctx, field, child, fieldPath, optional)
    }
  }
}

/**
 * What an Envoy of `version` would reject or ignore in these resources (canonical proto3 JSON), by
 * the feature table server/predict/envoy-features.ts and the rules written there. Pure.
 */
export function envoyFindings(
  root: protobuf.Root,
  resources: readonly ConfigResource[],
  version: EnvoyVersion,
  features: readonly EnvoyFeature[] = ENVOY_FEATURES,
): EnvoyFinding[] {
  const index = features === ENVOY_FEATURES ? DEFAULT_INDEX : buildIndex(features)
  const out: EnvoyFinding[] = []
  for (const resource of resources) {
    const type = findMessageType(root, RESOURCE_TYPE_INFO[resource.type].messageName)
    if (type) walkFields({ root, version, index, resource, out }, type, resource.resource, '', null)
  }
  return out
}
