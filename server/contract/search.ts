import { z } from 'zod'
import { ResourceTypeSchema } from './common'
import { ProxyStateSchema } from './proxies'

/**
 * GET /search?q=: fleets, draft resources (by name and by content: a domain, a path prefix, an
 * endpoint's IP or host name), versions by message (or number) and proxies by node id, over the
 * fleets the caller may read. Key material never matches and never appears (server/config/search.ts).
 */
export const SEARCH_LIMIT_DEFAULT = 8
export const SEARCH_LIMIT_MAX = 50

export const SearchQuery = z.object({
  q: z.string().trim().min(1, 'type something to search for').max(256),
  /** Per kind of result. */
  limit: z.coerce.number().int().min(1).max(SEARCH_LIMIT_MAX).optional(),
})
export type SearchQuery = z.infer<typeof SearchQuery>

/** Where the query matched: a field (`name`, `virtual_hosts[0].routes[1].match.prefix`, `message`, `nodeId`) and the text around it. */
export const SearchMatchSchema = z.object({ field: z.string(), text: z.string() }).readonly()

export const SearchResultSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('fleet'), fleet: z.string(), description: z.string(), match: SearchMatchSchema }).readonly(),
  z.object({ kind: z.literal('resource'), fleet: z.string(), type: ResourceTypeSchema, name: z.string(), match: SearchMatchSchema }).readonly(),
  z.object({ kind: z.literal('version'), fleet: z.string(), number: z.number().int(), message: z.string(), author: z.string(), createdAt: z.string(), match: SearchMatchSchema }).readonly(),
  z.object({ kind: z.literal('proxy'), fleet: z.string().nullable(), nodeId: z.string(), state: ProxyStateSchema, match: SearchMatchSchema }).readonly(),
])
export type SearchResult = z.infer<typeof SearchResultSchema>
export type SearchResultKind = SearchResult['kind']

export const SearchResponse = z
  .object({
    q: z.string(),
    /** Fleets, then resources, versions and proxies; best matches first within each. */
    results: z.array(SearchResultSchema),
    /** Per kind: more matched than `limit` (narrow the query). */
    more: z.object({ fleet: z.boolean(), resource: z.boolean(), version: z.boolean(), proxy: z.boolean() }).readonly(),
  })
  .readonly()
export type SearchResponse = z.infer<typeof SearchResponse>
