import { RESOURCE_TYPE_INFO, type ResourceKey } from './resource-types'

const MAX_MENTIONED = 5

/**
 * Which resources a NACK is about. First from the client's error text: Envoy names the resource it
 * rejected ("Error adding/updating listener(s) edge: …"); resources of the NACKed type come first,
 * then longer names (so `api-v2` wins over `api`); a name must appear as a whole word. When the text
 * names none (gRPC says "resource index 0"), the resources of the NACKed type that the rejected
 * version changed against `accepted` (what the proxy ran last, if known) are the suspects.
 */
export function resourcesMentioned(
  message: string,
  rejected: readonly (ResourceKey & { hash: string })[],
  typeUrl: string | null,
  accepted: readonly (ResourceKey & { hash: string })[] | null = null,
): ResourceKey[] {
  const ofType = (r: ResourceKey) => (RESOURCE_TYPE_INFO[r.type].typeUrl === typeUrl ? 0 : 1)
  const found = rejected.filter((r) => r.name.length > 0 && mentions(message, r.name))
  if (found.length > 0) return found.sort((a, b) => ofType(a) - ofType(b) || b.name.length - a.name.length || (a.name < b.name ? -1 : 1)).slice(0, MAX_MENTIONED).map(keyOf)
  if (!accepted) return []
  const before = new Map(accepted.map((r) => [`${r.type}/${r.name}`, r.hash]))
  return rejected
    .filter((r) => ofType(r) === 0 && before.get(`${r.type}/${r.name}`) !== r.hash)
    .slice(0, MAX_MENTIONED)
    .map(keyOf)
}

const keyOf = (r: ResourceKey): ResourceKey => ({ type: r.type, name: r.name })

const WORD = /[A-Za-z0-9_-]/

function mentions(text: string, name: string): boolean {
  for (let at = text.indexOf(name); at >= 0; at = text.indexOf(name, at + 1)) {
    const before = at === 0 ? '' : text[at - 1]!
    const after = text[at + name.length] ?? ''
    if (!WORD.test(before) && !WORD.test(after)) return true
  }
  return false
}
