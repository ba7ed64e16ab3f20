import type protobuf from 'protobufjs'
import { compareResources, resourceKey, type ConfigResource } from '../resource-types'
import { readBootstrap } from './bootstrap'
import { readConfigDump } from './config-dump'
import { describeRaw, newImportContext, type ImportContext, type RawResource } from './context'
import { dropUnknownTypes, sourcesToAds } from './extensions'
import type { ImportFinding, ImportFormat, ImportOptions } from './findings'
import { isObj, sameJson } from './json'
import { splitEndpoints, splitRoutes } from './split'

export { IMPORT_FINDING_CODES, IMPORT_FORMATS, type ImportFinding, type ImportFindingCode, type ImportFindingSeverity, type ImportFormat, type ImportOptions } from './findings'

/** One parsed document of the imported text (server/http/body.ts parseDocumentsText): YAML documents know their lines. */
export type ImportDocument = Readonly<{ index: number; line: number | null; value: unknown; lineOf?: (path: ReadonlyArray<string | number>) => number | null }>

/** A converted resource, not yet validated; `source` is where it came from in the text. */
export type ImportedResource = ConfigResource & Readonly<{ source: string }>

export type ImportConversion =
  | Readonly<{ ok: true; format: 'bootstrap' | 'config-dump'; resources: ImportedResource[]; findings: ImportFinding[]; lineOf: (path: string) => number | null }>
  /** A bundle is already Legation resources: the bulk draft write's checks read it (server/services/draft-bundle.ts). */
  | Readonly<{ ok: true; format: 'bundle' }>
  | Readonly<{ ok: false; path: string; message: string }>

const BOOTSTRAP_KEYS = new Set(['static_resources', 'staticResources', 'dynamic_resources', 'dynamicResources', 'admin', 'node', 'layered_runtime', 'layeredRuntime', 'cluster_manager', 'clusterManager', 'overload_manager', 'overloadManager'])
const isBundleDocument = (v: unknown) => isObj(v) && 'type' in v && 'name' in v && 'resource' in v

/** Which format documents are in, or null: a bundle, an admin config dump (`configs`), or a bootstrap. */
export function detectImportFormat(documents: readonly ImportDocument[]): ImportFormat | null {
  if (documents.length === 0) return null
  if (documents.length === 1 && Array.isArray(documents[0]!.value)) return (documents[0]!.value as unknown[]).every(isBundleDocument) ? 'bundle' : null
  if (documents.every((d) => isBundleDocument(d.value))) return 'bundle'
  if (documents.length !== 1 || !isObj(documents[0]!.value)) return null
  const only = documents[0]!.value
  if (Array.isArray(only['configs'])) return 'config-dump'
  return Object.keys(only).some((k) => BOOTSTRAP_KEYS.has(k)) ? 'bootstrap' : null
}

const FORMAT_WORDS: Readonly<Record<ImportFormat, string>> = {
  bootstrap: 'an Envoy bootstrap (with static_resources)',
  'config-dump': 'an Envoy admin /config_dump (with configs)',
  bundle: 'a bundle (documents of {type, name, resource})',
}

/**
 * An Envoy config as Legation resources, plus findings for every part that is not taken over as it
 * is (issue #14 item 1). Pure: the descriptors come in as `root`, nothing is read or written.
 *  - a static bootstrap: `static_resources` listeners, clusters and secrets; every other field is
 *    a bootstrap-only finding;
 *  - an admin `/config_dump`: its static and dynamic listeners, clusters, routes, endpoints, secrets;
 *  - a bundle: recognised only (the bulk draft write reads bundles).
 * Then, for every resource: v2 and unknown typed configs left out (findings), RDS/EDS/SDS config
 * sources switched to ADS, and with the options inline route configurations split out for RDS and
 * STATIC clusters' endpoints for EDS. The result still has to be validated (validateResource).
 */
export function convertEnvoyConfig(input: { root: protobuf.Root; documents: readonly ImportDocument[]; format?: ImportFormat; options?: ImportOptions }): ImportConversion {
  const { documents, options = {} } = input
  const detected = detectImportFormat(documents)
  const format = input.format ?? detected
  if (documents.length === 0) return { ok: false, path: 'content', message: 'there is nothing to import: the content is empty' }
  if (format === null) {
    return { ok: false, path: 'content', message: `not a config this import reads: expected ${Object.values(FORMAT_WORDS).join(', ')}` }
  }
  if (detected !== format) return { ok: false, path: 'format', message: `the content is not ${FORMAT_WORDS[format]}${detected ? `; it looks like ${FORMAT_WORDS[detected]}` : ''}` }
  if (format === 'bundle') return { ok: true, format }
  const doc = documents[0]!
  const ctx = newImportContext(input.root, doc.lineOf)
  const value = doc.value as Record<string, unknown>
  const read = format === 'bootstrap' ? { resources: readBootstrap(ctx, value, ''), staticCopies: [] } : readConfigDump(ctx, value)
  const resources = finish(ctx, read.resources, read.staticCopies, options)
  return { ok: true, format, resources, findings: ctx.findings, lineOf: ctx.lineOf }
}

function finish(ctx: ImportContext, raws: readonly RawResource[], staticCopies: readonly RawResource[], options: ImportOptions): ImportedResource[] {
  const secrets = new Set(raws.filter((r) => r.type === 'Secret').map((r) => r.name))
  const clean = (r: RawResource) => sourcesToAds(ctx, dropUnknownTypes(ctx, r), secrets)
  const cleaned = raws.map(clean)
  const routes = splitRoutes(
    ctx,
    cleaned.filter((r) => r.type === 'Listener'),
    options.splitRoutes ?? false,
  )
  const endpoints = splitEndpoints(
    ctx,
    cleaned.filter((r) => r.type === 'Cluster'),
    options.splitEndpoints ?? false,
  )
  const copies = staticCopies.map(clean).filter((copy) => {
    const holder = (copy.type === 'RouteConfiguration' ? routes.inline : endpoints.inline).get(copy.name)
    if (holder === undefined) return true
    ctx.add({ severity: 'info', code: 'IMPORT.DUPLICATE', path: copy.source, resource: { type: copy.type, name: copy.name }, message: `${describeRaw(copy)} is inline in ${copy.type === 'RouteConfiguration' ? 'Listener' : 'Cluster'} '${holder}' (as imported): not imported a second time` })
    return false
  })
  const all = [...routes.listeners, ...routes.routes, ...endpoints.clusters, ...endpoints.endpoints, ...cleaned.filter((r) => r.type !== 'Listener' && r.type !== 'Cluster'), ...copies]
  const byKey = new Map<string, RawResource>()
  for (const r of all) {
    const key = resourceKey(r)
    const first = byKey.get(key)
    if (!first) byKey.set(key, r)
    else if (!sameJson(first.resource, r.resource)) {
      ctx.add({ severity: 'warning', code: 'IMPORT.DUPLICATE', path: r.source, resource: { type: r.type, name: r.name }, message: `${describeRaw(r)} is also at ${first.source || 'the top'} with other content: the first one is imported, this one is not` })
    }
  }
  return [...byKey.values()].map((r) => ({ type: r.type, name: r.name, resource: r.resource as ConfigResource['resource'], source: r.source })).sort(compareResources)
}
