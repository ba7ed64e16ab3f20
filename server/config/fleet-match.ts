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

/**
 * Whether a selector matches every proxy there can be: no node.cluster or metadata condition (those
 * compare literally, so `nodeCluster: '*'` matches only a cluster named `*`), and a node id glob made
 * of wildcards alone that any node id satisfies: `*`, `**`, `?*`… (a stream without a node id is
 * refused, so ids have at least one character). Such a selector would take every proxy of every
 * other fleet (#16 item 11).
 */
export function selectorMatchesEveryNode(selector: FleetSelector): boolean {
  if (selector.nodeCluster !== undefined || Object.keys(selector.metadata ?? {}).length > 0) return false
  const glob = selector.nodeIdGlob
  if (glob === undefined) return true
  const questionMarks = (glob.match(/\?/g) ?? []).length
  return /^[*?]+$/.test(glob) && glob.includes('*') && questionMarks <= 1
}

/** A proxy connected now, with the fleet it is served by. */
export type ConnectedNode = MatchableNode & Readonly<{ fleet: string }>

/**
 * A connected proxy of another fleet that a selector would take on its next stream: it moves to the
 * selecting fleet, or, when another fleet's selector matches it too, it is refused as ambiguous.
 */
export type SelectorTakeover = Readonly<{ nodeId: string; fromFleet: string; outcome: 'moves' | 'ambiguous'; alsoSelectedBy: readonly string[] }>

/**
 * What giving `fleet` the selector `selector` would do to proxies connected to other fleets
 * (matchFleet's rule 1: a selector wins over node.cluster and the default fleet). Pure: the caller
 * passes the connected proxies and the other fleets' selectors. Sorted by fleet, then node id.
 */
export function computeSelectorTakeovers(
  fleet: string,
  selector: FleetSelector,
  connected: readonly ConnectedNode[],
  otherSelectors: ReadonlyArray<Readonly<{ fleet: string; selector: FleetSelector }>>,
): SelectorTakeover[] {
  const others = otherSelectors.filter((s) => s.fleet !== fleet)
  return connected
    .filter((node) => node.fleet !== fleet && selectorMatches(selector, node))
    .map((node) => {
      const alsoSelectedBy = others.filter((s) => selectorMatches(s.selector, node)).map((s) => s.fleet).sort()
      return { nodeId: node.id, fromFleet: node.fleet, outcome: alsoSelectedBy.length > 0 ? ('ambiguous' as const) : ('moves' as const), alsoSelectedBy }
    })
    .sort((a, b) => (a.fromFleet === b.fromFleet ? (a.nodeId < b.nodeId ? -1 : a.nodeId > b.nodeId ? 1 : 0) : a.fromFleet < b.fromFleet ? -1 : 1))
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

/**
 * A node's metadata Struct (as proto-loader decodes it) as plain key → string, for matching.
 * google.protobuf.Struct comes from protobufjs' bundled definitions, whose field names are camelCase
 * whatever `keepCase` says: the wire decoder hands over `{ stringValue, kind: 'stringValue' }`. The
 * snake_case spelling is accepted too (a loader with its own struct.proto).
 */
export function nodeMetadataStrings(metadata: unknown): Record<string, string> {
  type Value = { string_value?: unknown; stringValue?: unknown; kind?: unknown }
  const fields = (metadata as { fields?: Record<string, Value | null> } | null | undefined)?.fields ?? {}
  const out: Record<string, string> = {}
  for (const [key, value] of Object.entries(fields)) {
    if (!value) continue
    const text = value.kind === undefined || value.kind === 'stringValue' || value.kind === 'string_value' ? (value.stringValue ?? value.string_value) : undefined
    if (typeof text === 'string') out[key] = text
  }
  return out
}
