import type protobuf from 'protobufjs'
import { findMessageType, messageNameOfTypeUrl } from '../proto-json-codec'
import { ADS_SOURCE, keyOfRaw, type ImportContext, type RawResource } from './context'
import { at, isObj, type Obj } from './json'

/**
 * Envoy's v2 API (removed in 1.18): `envoy.api.v2.*`, `envoy.config.filter.*`, `envoy.*.v2alpha.*`
 * and the like. A v2 type has a v3 counterpart under another name, which this import does not guess.
 */
export function isV2TypeName(messageName: string): boolean {
  return messageName.startsWith('envoy.') && (/(^|\.)v2(alpha\d*|beta\d*)?\./.test(messageName) || messageName.startsWith('envoy.config.filter.'))
}

/** Why an Any of this type cannot be imported, or null when it can. */
export function typeUrlProblem(root: protobuf.Root, typeUrl: string): { code: 'IMPORT.V2_API' | 'IMPORT.UNKNOWN_EXTENSION'; why: string } | null {
  const name = messageNameOfTypeUrl(typeUrl)
  if (name !== null && isV2TypeName(name)) return { code: 'IMPORT.V2_API', why: `"@type" ${typeUrl} is of Envoy's v2 API (removed in Envoy 1.18): write its v3 equivalent` }
  if (name === null || !findMessageType(root, name)) return { code: 'IMPORT.UNKNOWN_EXTENSION', why: `"@type" ${typeUrl} is an extension this control plane has no descriptor for, so it can neither check nor encode it` }
  return null
}

type Drop = Readonly<{ drop: true; code: 'IMPORT.V2_API' | 'IMPORT.UNKNOWN_EXTENSION'; why: string }>
const isDrop = (v: unknown): v is Drop => isObj(v) && v['drop'] === true && typeof v['why'] === 'string' && Object.keys(v).length === 3

function describeElement(value: unknown, key: string | number): string {
  const name = isObj(value) && typeof value['name'] === 'string' ? ` '${value['name']}'` : ''
  return typeof key === 'number' ? `item${name}` : `${key}${name}`
}

/**
 * The resource without what no v3 descriptor here knows: every google.protobuf.Any whose type is v2
 * or unknown goes, and with it the extension that holds it (an HTTP or network filter whose
 * `typed_config` it is, an entry of `typed_per_filter_config`, a transport socket, …), each as a
 * warning naming its path. What is left is for the validator to judge.
 */
export function dropUnknownTypes(ctx: ImportContext, raw: RawResource): RawResource {
  const walk = (value: unknown, path: string): unknown => {
    if (Array.isArray(value)) {
      const out: unknown[] = []
      value.forEach((item, i) => {
        const r = walk(item, at(path, i))
        if (isDrop(r)) report(item, i, at(path, i), r)
        else out.push(r)
      })
      return out
    }
    if (!isObj(value)) return value
    const typeUrl = value['@type']
    if (typeof typeUrl === 'string') {
      const problem = typeUrlProblem(ctx.root, typeUrl)
      if (problem) return { drop: true, ...problem } satisfies Drop
    }
    const out: Obj = {}
    for (const [key, item] of Object.entries(value)) {
      const r = walk(item, at(path, key))
      if (isDrop(r)) {
        // An extension is { name, typed_config }: without its config it is dropped whole, one level up.
        if (key === 'typed_config' || key === 'typedConfig') return r
        report(item, key, at(path, key), r)
        continue
      }
      out[key] = r
    }
    return out
  }
  const report = (item: unknown, key: string | number, path: string, d: Drop) => {
    ctx.add({ severity: 'warning', code: d.code, path, resource: keyOfRaw(raw), message: `${describeElement(item, key)} left out: ${d.why}` })
  }
  const resource = walk(raw.resource, raw.source)
  return { ...raw, resource: isObj(resource) ? resource : {} }
}

const SOURCE_KEYS = new Set(['config_source', 'configSource', 'eds_config', 'edsConfig', 'sds_config', 'sdsConfig'])
/** An SDS reference: `…sds_secret_config` / `…sds_secret_configs[i]` (tls contexts, validation contexts). */
const SDS_REF_KEY = /(sds_secret_configs?|SdsSecretConfigs?)$/

/**
 * Every RDS, EDS and SDS reference made to name Legation's ADS stream: a config source that points
 * elsewhere (another control plane's cluster, a file) is switched to ADS, and an SDS reference to a
 * static secret (no `sds_config`) gets ADS when the secret is imported with it. Each as an info.
 */
export function sourcesToAds(ctx: ImportContext, raw: RawResource, importedSecrets: ReadonlySet<string>): RawResource {
  const walk = (value: unknown, path: string, parentKey: string): unknown => {
    if (Array.isArray(value)) return value.map((item, i) => walk(item, at(path, i), parentKey))
    if (!isObj(value)) return value
    let out: Obj = {}
    for (const [key, item] of Object.entries(value)) {
      const p = at(path, key)
      if (SOURCE_KEYS.has(key) && isObj(item) && !('ads' in item)) {
        ctx.add({ severity: 'info', code: 'IMPORT.CONFIG_SOURCE_ADS', path: p, resource: keyOfRaw(raw), message: `${key} pointed ${describeSource(item)}; Legation serves it over ADS now` })
        out[key] = ADS_SOURCE
      } else out[key] = walk(item, p, key)
    }
    if (SDS_REF_KEY.test(parentKey) && typeof out['name'] === 'string' && !('sds_config' in out) && !('sdsConfig' in out) && importedSecrets.has(out['name'])) {
      out = { ...out, sds_config: ADS_SOURCE }
      ctx.add({ severity: 'info', code: 'IMPORT.CONFIG_SOURCE_ADS', path, resource: keyOfRaw(raw), message: `the static secret '${String(out['name'])}' is served over SDS (ADS) now` })
    }
    return out
  }
  return { ...raw, resource: walk(raw.resource, raw.source, '') as Obj }
}

function describeSource(source: Obj): string {
  if ('path' in source || 'path_config_source' in source || 'pathConfigSource' in source) return 'at a file'
  const api = source['api_config_source'] ?? source['apiConfigSource']
  if (isObj(api)) {
    const cluster = JSON.stringify(api).match(/"cluster_?[nN]ames?":\s*\[?"([^"]+)"/)?.[1]
    return cluster ? `at the cluster '${cluster}' (another control plane)` : 'at another control plane'
  }
  return 'elsewhere'
}
