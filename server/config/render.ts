import type protobuf from 'protobufjs'
import type { StoredResource } from './diff'
import { serializeResource, sha256Hex } from './hash'
import type { ConfigIssue } from './issues'
import { resourceKey, type ConfigResource, type ResourceJson } from './resource-types'
import { validateResource } from './validate'
import { redactSealedText } from './sealed-values'
import { mergeWithTemplate, placeholdersIn, substituteResource, type VariableSet, type VariableValue } from './variables'

export type RenderedConfig = Readonly<{
  /** Canonical JSON with every placeholder replaced; resources that had a problem are left out. */
  resources: ConfigResource[]
  issues: ConfigIssue[]
  /** Per resource key, the variables it used: a resource using a secret one is sensitive. */
  used: ReadonlyMap<string, ReadonlySet<string>>
}>

/**
 * What a fleet serves from its stored config (#14 item 4): each resource with placeholders gets its
 * variables' values and is read again against its proto, so `port_value: "${PORT}"` becomes the
 * number it names and a value that does not fit is an issue at its field, like any bad value.
 */
export function renderConfig(root: protobuf.Root, resources: readonly ConfigResource[], values: ReadonlyMap<string, string>): RenderedConfig {
  const out: ConfigResource[] = []
  const issues: ConfigIssue[] = []
  const used = new Map<string, ReadonlySet<string>>()
  for (const resource of resources) {
    if (placeholdersIn(resource.resource).length === 0) {
      out.push(resource)
      continue
    }
    const substituted = substituteResource(resource, values)
    used.set(resourceKey(resource), substituted.used)
    if (substituted.issues.length > 0) {
      issues.push(...substituted.issues)
      continue
    }
    const read = validateResource(root, resource.type, resource.name, substituted.resource.resource)
    if (!read.resource) {
      issues.push(...read.issues.map((i) => ({ ...i, message: `${i.message} (after substituting ${[...substituted.used].map((n) => `\${${n}}`).join(', ')})` })))
      continue
    }
    out.push({ ...resource, resource: read.resource })
  }
  return { resources: out, issues, used }
}

/** A fleet's config as stored: its own resources and variables, and its template's, if it has one. */
export type StoredConfig = Readonly<{
  resources: readonly StoredResource[]
  variables: VariableSet
  template: Readonly<{ ref: string; resources: readonly StoredResource[]; variables: VariableSet }> | null
}>

/**
 * The stored config as served (or shown): template and own merged, each placeholder replaced by
 * `reveal(variable)` (the clear value for the snapshot and the commit check; `<set:…>` for display),
 * bodies passed through `body` first (unsealing for the snapshot). Rendered bodies are canonical
 * JSON, hashed like any stored resource, so diffs and drift compare what proxies get.
 */
export function renderStored(
  root: protobuf.Root,
  config: StoredConfig,
  options: { reveal: (variable: VariableValue) => string; body?: (text: string) => string },
): Readonly<{ resources: StoredResource[]; issues: ConfigIssue[]; used: ReadonlyMap<string, ReadonlySet<string>>; variables: VariableSet }> {
  // Most fleets have neither a template nor a variable in use: their stored bodies are what they serve.
  if (isPlainConfig(config)) {
    const body = options.body
    return { resources: body ? config.resources.map((r) => ({ ...r, body: body(r.body) })) : [...config.resources], issues: [], used: new Map(), variables: config.variables }
  }
  const merged = mergeWithTemplate({ resources: config.resources, variables: config.variables }, config.template)
  const values = new Map(Object.entries(merged.variables).map(([name, v]) => [name, options.reveal(v)]))
  const bodyOf = options.body ?? ((text: string) => text)
  const parsed = merged.resources.map((r) => ({ stored: r, config: { type: r.type, name: r.name, resource: JSON.parse(bodyOf(r.body)) as ResourceJson } }))
  const rendered = renderConfig(root, parsed.map((p) => p.config), values)
  const byKey = new Map(rendered.resources.map((r) => [resourceKey(r), r]))
  const resources = parsed.flatMap(({ stored, config: c }) => {
    const out = byKey.get(resourceKey(c))
    if (!out) return []
    if (out === c && options.body === undefined) return [stored]
    const body = serializeResource(out.resource)
    return [{ type: stored.type, name: stored.name, body, hash: sha256Hex(body) }]
  })
  return { resources, issues: rendered.issues, used: rendered.used, variables: merged.variables }
}

/** Whether a stored config needs rendering at all (no template, no variable used). */
function isPlainConfig(config: StoredConfig): boolean {
  return config.template === null && !config.resources.some((r) => r.body.includes('${'))
}

/** Display rendering: a secret variable shows as its `<set:fingerprint>` marker, which changes when its value does. */
export const revealForDisplay = (v: VariableValue): string => (v.secret ? redactSealedText(v.value) : v.value)

/**
 * A config as proxies get it, for showing and comparing: a fleet without variables or template is
 * its stored resources; otherwise template and own merged and placeholders substituted. Sealed
 * values and secret variables show as `<set:…>`, so a diff or a drift shows what a proxy would see
 * change when only a variable or the template moved, and never a secret.
 */
export function renderForDisplay(root: protobuf.Root, config: StoredConfig): StoredResource[] {
  return renderStored(root, config, { reveal: revealForDisplay, body: redactSealedText }).resources
}
