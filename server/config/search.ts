import { isObject, type Json } from './analysis/finding'
import { joinPath } from './issues'
import type { ConfigResource } from './resource-types'
import { SEALED_PREFIX } from './sealed-values'

/**
 * Search everywhere (#15, the ⌘K palette): how one text matches a query, and where in a resource a
 * query matches — its name, or a value anywhere in it (a domain, a path prefix, an endpoint's
 * address or `address:port`). Pure; the store narrows the candidates in SQL first.
 *
 * Key material never matches: the subtrees that hold it (private keys, passwords, generic secrets,
 * session ticket keys) are not read at all, and neither is a sealed value or its `<set:…>` marker,
 * whatever field it is in. Field names (`cluster`, `prefix`) are not content: only values match.
 */

/** 0: the whole text; 1: its start; 2: inside it. Lower is better. */
export type MatchRank = 0 | 1 | 2

export type TextMatch = Readonly<{ rank: MatchRank; /** A window of the text around the match, at most SNIPPET_CHARS long. */ snippet: string }>

export type ResourceMatch = Readonly<{
  /** `name`, or the field path of the value that matched (`virtual_hosts[0].routes[1].match.prefix`). */
  field: string
  rank: MatchRank
  snippet: string
}>

export const SNIPPET_CHARS = 80

/** Fields whose whole subtree may hold key material (see server/config/sealed-values.ts). */
const SECRET_SUBTREES = new Set(['private_key', 'password', 'generic_secret', 'session_ticket_keys', 'secret', 'keys'])
const REDACTED = /^<set:[0-9a-f]{8}>$/

/** The query as matched: trimmed, any case. */
export function normalizeQuery(q: string): string {
  return q.trim().toLowerCase()
}

function snippetOf(text: string, at: number, length: number): string {
  if (text.length <= SNIPPET_CHARS) return text
  const start = Math.max(0, Math.min(at - Math.floor((SNIPPET_CHARS - length) / 2), text.length - SNIPPET_CHARS))
  return `${start > 0 ? '…' : ''}${text.slice(start, start + SNIPPET_CHARS)}${start + SNIPPET_CHARS < text.length ? '…' : ''}`
}

/** How `text` matches the normalized query `q`, or null. */
export function matchText(text: string, q: string): TextMatch | null {
  if (q === '') return null
  const lower = text.toLowerCase()
  const at = lower.indexOf(q)
  if (at < 0) return null
  return { rank: lower === q ? 0 : at === 0 ? 1 : 2, snippet: snippetOf(text, at, q.length) }
}

function isSecretValue(text: string): boolean {
  return text.includes(SEALED_PREFIX) || REDACTED.test(text)
}

/**
 * The best match of `q` (normalized) in a resource: its name first, then its values in document
 * order (the first of the best rank). A `socket_address` also matches as `address:port`.
 */
export function matchResource(r: ConfigResource, q: string): ResourceMatch | null {
  const byName = matchText(r.name, q)
  if (byName) return { field: 'name', ...byName }
  let best: ResourceMatch | null = null
  const consider = (text: string, field: string): void => {
    if (isSecretValue(text)) return
    const m = matchText(text, q)
    if (m && (best === null || m.rank < best.rank)) best = { field, ...m }
  }
  const visit = (v: Json, path: string): void => {
    if (best?.rank === 0) return
    if (typeof v === 'string') return consider(v, path)
    if (typeof v === 'number') return consider(String(v), path)
    if (Array.isArray(v)) return v.forEach((item, i) => visit(item, joinPath(path, i)))
    if (!isObject(v)) return
    for (const [key, child] of Object.entries(v)) {
      if (SECRET_SUBTREES.has(key)) continue
      visit(child, joinPath(path, key))
    }
    const address = v['address']
    const port = v['port_value']
    if (path.endsWith('socket_address') && typeof address === 'string' && typeof port === 'number') consider(`${address}:${port}`, path)
  }
  visit(r.resource, '')
  return best
}
