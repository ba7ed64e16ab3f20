import { globMatches } from './glob'

/**
 * Which fleet's config a proxy gets. The rule (documented in the README):
 *  1. fleets with a selector match by it (all of its conditions: node id glob, node.cluster, node
 *     metadata key=value); exactly one match wins, several are refused as ambiguous;
 *  2. otherwise the fleet without a selector whose name equals the proxy's `node.cluster`;
 *  3. otherwise the default fleet (LEGATION_DEFAULT_FLEET) if one is set;
 *  4. otherwise the proxy is refused with a message that says why. Never another fleet's config.
 */
/** How the proxy got its fleet: a fleet's selector chose it, its own node.cluster named it, or the configured default. */
export type FleetMatch = { fleet: string; by: 'selector' | 'cluster' | 'default' } | { refused: string }

export type FleetSelector = Readonly<{ nodeIdGlob?: string; nodeCluster?: string; metadata?: Readonly<Record<string, string>> }>

export type MatchableNode = Readonly<{ id: string; cluster: string; metadata?: Readonly<Record<string, string>> }>

export type FleetMatchOptions = {
  hasFleet: (name: string) => boolean
  /** Fleets that select their proxies by rule instead of by name. */
  selectors?: ReadonlyArray<Readonly<{ fleet: string; selector: FleetSelector }>>
  defaultFleet?: string | undefined
}

export function selectorMatches(selector: FleetSelector, node: MatchableNode): boolean {
  if (selector.nodeIdGlob !== undefined && !globMatches(selector.nodeIdGlob, node.id)) return false
  if (selector.nodeCluster !== undefined && selector.nodeCluster !== node.cluster) return false
  for (const [key, value] of Object.entries(selector.metadata ?? {})) if (node.metadata?.[key] !== value) return false
  return true
}

export function describeSelector(selector: FleetSelector): string {
  const parts = [
    selector.nodeIdGlob !== undefined ? `node id ~ '${selector.nodeIdGlob}'` : null,
    selector.nodeCluster !== undefined ? `node.cluster = '${selector.nodeCluster}'` : null,
    ...Object.entries(selector.metadata ?? {}).map(([k, v]) => `metadata ${k} = '${v}'`),
  ]
  return parts.filter(Boolean).join(' and ')
}

export function matchFleet(node: MatchableNode, options: FleetMatchOptions): FleetMatch {
  const selected = (options.selectors ?? []).filter((s) => selectorMatches(s.selector, node)).map((s) => s.fleet)
  if (selected.length === 1) return { fleet: selected[0]!, by: 'selector' }
  if (selected.length > 1) return { refused: `proxy '${node.id}' matches the selectors of several fleets (${selected.sort().join(', ')}); make them exclusive` }
  const bySelector = new Set((options.selectors ?? []).map((s) => s.fleet))
  if (node.cluster !== '' && options.hasFleet(node.cluster) && !bySelector.has(node.cluster)) return { fleet: node.cluster, by: 'cluster' }
  if (options.defaultFleet && options.hasFleet(options.defaultFleet)) return { fleet: options.defaultFleet, by: 'default' }
  const what = node.cluster === '' ? 'has no node.cluster' : `has node.cluster '${node.cluster}', which names no fleet`
  const fallback = options.defaultFleet ? `, and the default fleet '${options.defaultFleet}' does not exist` : ' (set node.cluster to a fleet name, or configure LEGATION_DEFAULT_FLEET)'
  return { refused: `proxy '${node.id}' ${what}${fallback}` }
}

/** A node's metadata Struct (as proto-loader decodes it) as plain key → string, for matching. */
export function nodeMetadataStrings(metadata: unknown): Record<string, string> {
  const fields = (metadata as { fields?: Record<string, { string_value?: unknown; kind?: unknown }> } | null | undefined)?.fields ?? {}
  const out: Record<string, string> = {}
  for (const [key, value] of Object.entries(fields)) if (typeof value?.string_value === 'string' && (value.kind === undefined || value.kind === 'string_value')) out[key] = value.string_value
  return out
}
