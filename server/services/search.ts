import { matchResource, matchText, normalizeQuery } from '../config/search'
import type { ResourceJson } from '../config/resource-types'
import type { FleetSummary, SearchResponse, SearchResult } from '../contract'
import type { Db } from '../store/db'
import { listProxiesPage } from '../store/proxies'
import { findDraftResourceCandidates, findVersions } from '../store/search'

/**
 * At most this many draft resources are read per search (those whose stored text holds the query,
 * field names included): enough for every match of a specific query in a fleet of 2,000 resources;
 * a vaguer one says `more` and the operator types on.
 */
const RESOURCE_CANDIDATES = 1000

export type SearchOptions = Readonly<{
  db: Db
  q: string
  limit: number
  /** The fleets the caller may read. */
  fleets: readonly FleetSummary[]
  /** The caller may read every fleet (a global role): no narrowing in SQL. */
  everyFleet: boolean
  /** Proxies of no fleet are readable too (a global role). */
  unassigned: boolean
}>

/**
 * GET /search (#15, the ⌘K palette): fleets by name or description, draft resources by name or by a
 * value (server/config/search.ts), versions by message or number, proxies by node id — each kind
 * best match first, at most `limit` of each, only from the fleets the caller may read.
 */
export async function searchEverything(options: SearchOptions): Promise<SearchResponse> {
  const { db, limit } = options
  const q = normalizeQuery(options.q)
  const names = options.fleets.map((f) => f.name)
  const narrow = options.everyFleet ? {} : { fleets: names }
  const readsAny = options.everyFleet || names.length > 0
  const versionNumber = /^v?(\d{1,9})$/.exec(q)

  const fleetMatches = options.fleets
    .flatMap((f) => {
      const byName = matchText(f.name, q)
      if (byName) return [{ rank: byName.rank, result: { kind: 'fleet' as const, fleet: f.name, description: f.description, match: { field: 'name', text: byName.snippet } } }]
      const byDescription = matchText(f.description, q)
      return byDescription ? [{ rank: byDescription.rank + 3, result: { kind: 'fleet' as const, fleet: f.name, description: f.description, match: { field: 'description', text: byDescription.snippet } } }] : []
    })
    .sort((a, b) => a.rank - b.rank)

  const [candidates, versions, proxies] = await Promise.all([
    readsAny ? findDraftResourceCandidates({ db, q, ...narrow, limit: RESOURCE_CANDIDATES }) : [],
    readsAny ? findVersions({ db, q, number: versionNumber ? Number(versionNumber[1]) : null, ...narrow, limit: limit + 1 }) : [],
    readsAny || options.unassigned
      ? listProxiesPage({ db, q, limit, ...(options.everyFleet ? {} : { readableFleets: names, unassigned: options.unassigned }) })
      : { proxies: [], nextCursor: null, total: 0 },
  ])

  const resourceMatches = candidates
    .flatMap((c) => {
      const m = matchResource({ type: c.type, name: c.name, resource: JSON.parse(c.body) as ResourceJson }, q)
      // Name matches first, then content; the better rank first within each.
      return m ? [{ rank: (m.field === 'name' ? 0 : 3) + m.rank, result: { kind: 'resource' as const, fleet: c.fleet, type: c.type, name: c.name, match: { field: m.field, text: m.snippet } } }] : []
    })
    .sort((a, b) => a.rank - b.rank)

  const results: SearchResult[] = [
    ...fleetMatches.slice(0, limit).map((m) => m.result),
    ...resourceMatches.slice(0, limit).map((m) => m.result),
    ...versions.slice(0, limit).map((v) => {
      const byNumber = versionNumber !== null && v.number === Number(versionNumber[1])
      return { kind: 'version' as const, ...v, match: byNumber ? { field: 'number', text: `v${v.number}` } : { field: 'message', text: matchText(v.message, q)?.snippet ?? v.message } }
    }),
    ...proxies.proxies.map((p) => ({ kind: 'proxy' as const, fleet: p.fleet, nodeId: p.nodeId, state: p.state, match: { field: 'nodeId', text: p.nodeId } })),
  ]
  return {
    q: options.q,
    results,
    more: {
      fleet: fleetMatches.length > limit,
      resource: resourceMatches.length > limit || candidates.length === RESOURCE_CANDIDATES,
      version: versions.length > limit,
      proxy: proxies.total > limit,
    },
  }
}
