/**
 * Which fleet's config a proxy gets. The rule (documented in the README): a fleet whose name equals
 * the proxy's `node.cluster`; otherwise the default fleet (LEGATION_DEFAULT_FLEET) if one is set;
 * otherwise the proxy is refused with a message that says why. Never another fleet's config.
 */
export type FleetMatch = { fleet: string } | { refused: string }

export function matchFleet(node: Readonly<{ id: string; cluster: string }>, options: { hasFleet: (name: string) => boolean; defaultFleet?: string | undefined }): FleetMatch {
  if (node.cluster !== '' && options.hasFleet(node.cluster)) return { fleet: node.cluster }
  if (options.defaultFleet && options.hasFleet(options.defaultFleet)) return { fleet: options.defaultFleet }
  const what = node.cluster === '' ? 'has no node.cluster' : `has node.cluster '${node.cluster}', which names no fleet`
  const fallback = options.defaultFleet ? `, and the default fleet '${options.defaultFleet}' does not exist` : ' (set node.cluster to a fleet name, or configure LEGATION_DEFAULT_FLEET)'
  return { refused: `proxy '${node.id}' ${what}${fallback}` }
}
