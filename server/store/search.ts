import type { ResourceType } from '../config/resource-types'
import { redactSealedText } from '../config/sealed-values'
import type { Db } from './db'
import { likeContains } from './proxies'

/**
 * Candidates for search everywhere (#15): rows whose text holds the query, any case, found in SQL so
 * that only those are read; server/config/search.ts then decides what matches and where.
 * `fleets` narrows to what the caller may read (absent: every fleet).
 */

export type ResourceCandidate = Readonly<{ fleet: string; type: ResourceType; name: string; /** Sealed values as `<set:…>`: the API's view. */ body: string }>

/** Draft resources whose name or stored text holds `q`, at most `limit`, in (fleet, type, name) order. */
export async function findDraftResourceCandidates(options: { db: Db; q: string; fleets?: readonly string[]; limit: number }): Promise<ResourceCandidate[]> {
  const rows = await options.db.$queryRawUnsafe<Array<{ fleet: string; type: ResourceType; name: string; body: string }>>(
    `SELECT f.name AS fleet, d.type::text AS type, d.name, d.body
       FROM draft_resource d JOIN fleet f ON f.id = d.fleet_id
      WHERE ($1::text[] IS NULL OR f.name = ANY($1::text[])) AND (d.name ILIKE $2 OR d.body ILIKE $2)
      ORDER BY f.name, d.type, d.name
      LIMIT $3`,
    options.fleets ? [...options.fleets] : null,
    likeContains(options.q),
    options.limit,
  )
  // Private keys are write-only: what is matched is what the API would show.
  return rows.map((r) => ({ ...r, body: redactSealedText(r.body) }))
}

export type VersionCandidate = Readonly<{ fleet: string; number: number; message: string; author: string; createdAt: string }>

/** Versions whose message holds `q` (or whose number is `number`), that number first, then newest first. */
export async function findVersions(options: { db: Db; q: string; number: number | null; fleets?: readonly string[]; limit: number }): Promise<VersionCandidate[]> {
  const rows = await options.db.$queryRawUnsafe<Array<{ fleet: string; number: number; message: string; author: string; created_at: Date }>>(
    `SELECT f.name AS fleet, v.number, v.message, v.author, v.created_at
       FROM version v JOIN fleet f ON f.id = v.fleet_id
      WHERE ($1::text[] IS NULL OR f.name = ANY($1::text[])) AND (v.message ILIKE $2 OR v.number = $3::int)
      ORDER BY coalesce(v.number = $3::int, false) DESC, v.created_at DESC, f.name
      LIMIT $4`,
    options.fleets ? [...options.fleets] : null,
    likeContains(options.q),
    options.number,
    options.limit,
  )
  return rows.map((r) => ({ fleet: r.fleet, number: r.number, message: r.message, author: r.author, createdAt: r.created_at.toISOString() }))
}
