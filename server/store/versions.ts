import { randomUUID } from 'node:crypto'
import { countChanges, diffResources, type StoredResource } from '../config/diff'
import type { ChangeCounts, VersionDetail, VersionOrigin, VersionSummary } from '../contract'
import { hashVersionContent } from '../config/hash'
import { diffVariables, type VariableSet } from '../config/variables'
import { sortedVariables, toVariableSet } from './variables'
import type { ResourceJson } from '../config/resource-types'
import { LegationError } from '../errors'
import type { Db } from './db'
import { redactAll } from './drafts'
import { readVersionResourceHashes, readVersionResources } from './resources'
import { type AuditEntry, type LockedFleet, type Tx } from './tx'
import { EVENT_CHANNEL, type LegationEvent } from '../events/types'
import { OPEN_ROLLOUT_STATES } from '../config/rollout-plan'

type VersionRow = {
  id: string
  number: number
  message: string
  author: string
  createdAt: Date
  origin: VersionOrigin
  rollbackOf: number | null
  contentHash: string
  resourceCount: number
  changes: unknown
  parent: { number: number } | null
  expiry?: { expiresAt: Date; settledAt: Date | null; outcome: string | null; restoredBy: number | null } | null
}

const SUMMARY_SELECT = {
  id: true,
  number: true,
  message: true,
  author: true,
  createdAt: true,
  origin: true,
  rollbackOf: true,
  contentHash: true,
  resourceCount: true,
  changes: true,
  parent: { select: { number: true } },
  expiry: { select: { expiresAt: true, settledAt: true, outcome: true, restoredBy: true } },
} as const

function toSummary(row: VersionRow, activeId: string | null): VersionSummary {
  return {
    number: row.number,
    message: row.message,
    author: row.author,
    createdAt: row.createdAt.toISOString(),
    origin: row.origin,
    rollbackOf: row.rollbackOf,
    parent: row.parent?.number ?? null,
    contentHash: row.contentHash,
    resourceCount: row.resourceCount,
    changes: row.changes as ChangeCounts,
    active: row.id === activeId,
    ...(row.expiry
      ? {
          expiry: {
            expiresAt: row.expiry.expiresAt.toISOString(),
            settledAt: row.expiry.settledAt?.toISOString() ?? null,
            outcome: row.expiry.outcome as 'rolled-back' | 'superseded' | null,
            restoredBy: row.expiry.restoredBy,
          },
        }
      : {}),
  }
}

/** What a version holds besides its resources (#14 item 4). */
export type VersionConfigExtras = Readonly<{ variables: VariableSet; templateRef: string | null; templateVersionId: string | null }>
const NO_EXTRAS: VersionConfigExtras = { variables: {}, templateRef: null, templateVersionId: null }

/** What a new version is compared with and numbered after: its parent (the active version) and the fleet's latest number. */
export type VersionParent = Readonly<{ hashes: readonly StoredResource[]; variables: VariableSet; latestNumber: number }>

/** Reads the parent of the next version (callers that read it with the fleet lock pass it to createVersionTx instead). */
async function readVersionParentTx(tx: Tx, fleet: LockedFleet): Promise<VersionParent> {
  const hashes = await readVersionResourceHashes(tx, fleet.active_version_id)
  const variables = fleet.active_version_id ? toVariableSet((await tx.version.findUnique({ where: { id: fleet.active_version_id }, select: { variables: true } }))?.variables) : {}
  const latest = await tx.version.aggregate({ where: { fleetId: fleet.id }, _max: { number: true } })
  return { hashes, variables, latestNumber: latest._max.number ?? 0 }
}

type VersionMeta = { message: string; author: string; origin: VersionOrigin; rollbackOf?: number; /** false: a staged rollout's version, activated when its last stage completes. */ activate?: boolean }
export type CreatedVersion = { versionId: string; number: number; contentHash: string; changes: ChangeCounts }

/**
 * Writes a new immutable version holding exactly `resources` and makes it the fleet's active one.
 * Callers hold the fleet lock (lockFleetOrThrow), which is what makes the number allocation safe;
 * the (fleet_id, number) unique index is the backstop. One statement writes the new bodies, the
 * version, its resource rows and the activation (#13 item 1: a commit used to make nine round trips
 * to PostgreSQL here).
 */
export async function createVersionTx(tx: Tx, fleet: LockedFleet, resources: readonly StoredResource[], meta: VersionMeta, config: VersionConfigExtras = NO_EXTRAS, knownParent?: VersionParent): Promise<CreatedVersion> {
  const parent = knownParent ?? (await readVersionParentTx(tx, fleet))
  const created = await writeVersion(tx, fleet, resources, meta, config, parent, null)
  if (!created) throw new Error('bug: an unguarded version write wrote nothing')
  return created
}

/** What the fleet looked like when a commit read it without a lock: the version is written only if it still does. */
export type FleetAsRead = Readonly<{ draftRevision: number; templateFleetId: string | null }>

/** The audit row (and event) of a version written by writeVersionIfUnchanged, built from the version it describes. */
export type VersionAudit = (created: CreatedVersion) => Readonly<{ entry: AuditEntry; event: LegationEvent }>

/**
 * A commit without the fleet lock (#13 item 1: the lock, BEGIN and COMMIT were three of a commit's
 * round trips): one statement that writes the version, activates it, records the audit row and
 * notifies, but only if the fleet is still as `fleet` and `asRead` say (same draft revision, active
 * version and template, no staged rollout open), checked under the row lock the statement takes.
 * Null when it was not: nothing was written, and the caller reads again. A single statement is
 * atomic, so a refused or failed write leaves nothing behind.
 * After waiting for that lock, PostgreSQL re-checks the fleet row's own columns but evaluates the
 * rollout check against the statement's first snapshot: a staged rollout opened meanwhile is refused
 * by the (fleet_id, number) unique index instead, because opening one always creates version
 * latest+1 (a unique violation the caller also reads again on). tests/integration/store/commit-guard.test.ts.
 */
export async function writeVersionIfUnchanged(db: Db, fleet: LockedFleet, asRead: FleetAsRead, resources: readonly StoredResource[], meta: VersionMeta, config: VersionConfigExtras, parent: VersionParent, audit: VersionAudit): Promise<CreatedVersion | null> {
  return writeVersion(db, fleet, resources, meta, config, parent, { asRead, audit })
}

async function writeVersion(
  db: Db | Tx,
  fleet: LockedFleet,
  resources: readonly StoredResource[],
  meta: VersionMeta,
  config: VersionConfigExtras,
  parent: VersionParent,
  guarded: { asRead: FleetAsRead; audit: VersionAudit } | null,
): Promise<CreatedVersion | null> {
  const resourceChanges = countChanges(diffResources(parent.hashes, resources, { withPatch: false }))
  const variableChanges = countChanges(diffVariables(parent.variables, config.variables))
  const changes = { added: resourceChanges.added + variableChanges.added, removed: resourceChanges.removed + variableChanges.removed, modified: resourceChanges.modified + variableChanges.modified }
  const number = parent.latestNumber + 1
  const variables = sortedVariables(config.variables)
  const contentHash = hashVersionContent(resources, { variables, templateRef: config.templateRef })
  const created: CreatedVersion = { versionId: randomUUID(), number, contentHash, changes }
  // Bodies are content-addressed: a resource unchanged across versions is stored once, so only
  // bodies the parent does not have are sent (the rest exist already).
  const parentHashes = new Set(parent.hashes.map((r) => r.hash))
  const newBodies = resources.filter((r) => !parentHashes.has(r.hash)).map((r) => ({ hash: r.hash, type: r.type, body: r.body }))
  const rows = resources.map((r) => ({ type: r.type, name: r.name, hash: r.hash }))
  const audited = guarded?.audit(created)
  const params: unknown[] = [
    JSON.stringify(newBodies),
    created.versionId,
    fleet.id,
    number,
    meta.message,
    meta.author,
    contentHash,
    resources.length,
    fleet.active_version_id,
    meta.origin,
    meta.rollbackOf ?? null,
    JSON.stringify(changes),
    JSON.stringify(variables),
    config.templateRef,
    config.templateVersionId,
    JSON.stringify(rows),
    meta.activate !== false,
  ]
  // Unguarded (under the fleet lock): the fleet row itself. Guarded: the row only if the fleet is as read, locked for the statement.
  let guard = `SELECT id FROM fleet WHERE id = $3::uuid`
  let tail = `SELECT count(*)::int AS written FROM v`
  if (guarded && audited) {
    params.push(guarded.asRead.draftRevision, guarded.asRead.templateFleetId, [...OPEN_ROLLOUT_STATES])
    guard += ` AND draft_revision = $18::int AND active_version_id IS NOT DISTINCT FROM $9::uuid AND template_fleet_id IS NOT DISTINCT FROM $19::uuid
       AND NOT EXISTS (SELECT 1 FROM rollout r WHERE r.fleet_id = $3::uuid AND r.state = ANY($20::text[])) FOR UPDATE`
    const { entry, event } = audited
    params.push(entry.actor, entry.action, entry.fleetName, entry.target, entry.beforeHash ?? null, entry.afterHash ?? null, entry.detail === undefined ? null : JSON.stringify(entry.detail), EVENT_CHANNEL, JSON.stringify(event))
    tail = `, audited AS (
       INSERT INTO audit_event (actor, action, fleet_name, target, before_hash, after_hash, detail) SELECT $21::text, $22::text, $23::text, $24::text, $25::text, $26::text, $27::jsonb FROM v RETURNING id
     ) SELECT (SELECT count(*)::int FROM v) AS written, (SELECT count(pg_notify($28, $29))::int FROM audited) AS notified`
  }
  const result = await db.$queryRawUnsafe<Array<{ written: number }>>(
    `WITH guard AS (${guard}), blobs AS (
       INSERT INTO resource_blob (hash, type, body)
       SELECT x.hash, x.type::"ResourceType", x.body FROM jsonb_to_recordset($1::jsonb) AS x(hash text, type text, body text) WHERE EXISTS (SELECT 1 FROM guard)
       ON CONFLICT DO NOTHING
     ), v AS (
       INSERT INTO version (id, fleet_id, number, message, author, content_hash, resource_count, parent_id, origin, rollback_of, changes, variables, template_ref, template_version_id)
       SELECT $2::uuid, guard.id, $4, $5, $6, $7, $8, $9::uuid, $10::"VersionOrigin", $11, $12::jsonb, $13::jsonb, $14, $15::uuid FROM guard
       RETURNING id
     ), vr AS (
       INSERT INTO version_resource (version_id, type, name, blob_hash)
       SELECT v.id, x.type::"ResourceType", x.name, x.hash FROM v, jsonb_to_recordset($16::jsonb) AS x(type text, name text, hash text)
     ), activated AS (
       UPDATE fleet SET active_version_id = v.id, updated_at = now() FROM v WHERE fleet.id = $3::uuid AND $17
     ), superseded AS (
       -- An expiring change replaced before its time is over: nothing will roll it back (an expiry
       -- that is rolling it back has claimed its row already).
       UPDATE version_expiry SET settled_at = now(), outcome = 'superseded' FROM v
        WHERE $17 AND version_expiry.version_id = $9::uuid AND version_expiry.settled_at IS NULL
     ) ${tail}`,
    ...params,
  )
  return result[0]?.written === 1 ? created : null
}

export async function activeContentHash(tx: Tx, fleet: LockedFleet): Promise<string | null> {
  if (!fleet.active_version_id) return null
  const v = await tx.version.findUnique({ where: { id: fleet.active_version_id }, select: { contentHash: true } })
  return v?.contentHash ?? null
}

/** A version of the fleet by its number, or null. */
export function findVersionByNumber(tx: Tx, fleetId: string, number: number): Promise<{ id: string; contentHash: string } | null> {
  return tx.version.findUnique({ where: { fleetId_number: { fleetId, number } }, select: { id: true, contentHash: true } })
}

export async function fleetOrThrow(db: Db, name: string): Promise<{ id: string; activeVersionId: string | null }> {
  const fleet = await db.fleet.findUnique({ where: { name }, select: { id: true, activeVersionId: true } })
  if (!fleet) throw new LegationError('FLEET.NOT_FOUND', `fleet '${name}' does not exist`)
  return fleet
}

export async function listVersions(options: { db: Db; fleet: string; limit?: number; before?: number }): Promise<VersionSummary[]> {
  const fleet = await fleetOrThrow(options.db, options.fleet)
  const rows = await options.db.version.findMany({
    where: { fleetId: fleet.id, ...(options.before ? { number: { lt: options.before } } : {}) },
    orderBy: { number: 'desc' },
    take: Math.min(Math.max(options.limit ?? 50, 1), 500),
    select: SUMMARY_SELECT,
  })
  return rows.map((r) => toSummary(r as VersionRow, fleet.activeVersionId))
}

export async function versionRowOrThrow(db: Db, fleet: { id: string }, fleetName: string, number: number): Promise<VersionRow> {
  const row = await db.version.findUnique({ where: { fleetId_number: { fleetId: fleet.id, number } }, select: SUMMARY_SELECT })
  if (!row) throw new LegationError('VERSION.NOT_FOUND', `fleet '${fleetName}' has no version ${number}`)
  return row as VersionRow
}

export async function getVersionSummaryOrThrow(options: { db: Db; fleet: string; number: number }): Promise<VersionSummary> {
  const fleet = await fleetOrThrow(options.db, options.fleet)
  return toSummary(await versionRowOrThrow(options.db, fleet, options.fleet, options.number), fleet.activeVersionId)
}

export async function getVersionOrThrow(options: { db: Db; fleet: string; number: number }): Promise<VersionDetail> {
  const fleet = await fleetOrThrow(options.db, options.fleet)
  const row = await versionRowOrThrow(options.db, fleet, options.fleet, options.number)
  const resources = redactAll(await readVersionResources(options.db, row.id))
  const xds = await options.db.versionXds.findUnique({ where: { versionId: row.id }, select: { typeVersions: true } })
  const extras = await options.db.version.findUnique({ where: { id: row.id }, select: { variables: true, templateRef: true } })
  const variables = Object.entries(toVariableSet(extras?.variables)).map(([name, v]) => ({ name, value: v.secret ? null : v.value, secret: v.secret }))
  return {
    variables,
    template: extras?.templateRef ?? null,
    ...toSummary(row, fleet.activeVersionId),
    resources: resources.map((r) => ({ type: r.type, name: r.name, hash: r.hash, resource: JSON.parse(r.body) as ResourceJson })),
    xdsTypeVersions: (xds?.typeVersions ?? null) as Record<string, string> | null,
  }
}

/** An expiring change: the version ends `seconds` after now (the database's clock, like created_at). */
export async function recordExpiryTx(tx: Tx, versionId: string, seconds: number): Promise<Date> {
  const rows = await tx.$queryRawUnsafe<Array<{ expires_at: Date }>>(
    `INSERT INTO version_expiry (version_id, expires_at) VALUES ($1::uuid, now() + make_interval(secs => $2)) RETURNING expires_at`,
    versionId,
    seconds,
  )
  return rows[0]!.expires_at
}

export type DueExpiry = Readonly<{ versionId: string; fleet: string; number: number; parent: number | null; active: boolean }>

/** Expiring versions whose time is up and that no replica has settled yet. */
export function listDueExpiries(db: Db): Promise<DueExpiry[]> {
  return db.$queryRawUnsafe<DueExpiry[]>(
    `SELECT e.version_id AS "versionId", f.name AS fleet, v.number, p.number AS parent, f.active_version_id = v.id AS active
       FROM version_expiry e JOIN version v ON v.id = e.version_id JOIN fleet f ON f.id = v.fleet_id LEFT JOIN version p ON p.id = v.parent_id
      WHERE e.settled_at IS NULL AND e.expires_at <= now()
      ORDER BY e.expires_at LIMIT 100`,
  )
}

/** Claims a due expiry for this replica (false: another one did). */
export async function claimExpiry(db: Db, versionId: string): Promise<boolean> {
  return (await db.$executeRawUnsafe(`UPDATE version_expiry SET settled_at = now() WHERE version_id = $1::uuid AND settled_at IS NULL`, versionId)) === 1
}

export async function settleExpiry(db: Db, versionId: string, outcome: 'rolled-back' | 'superseded' | null, restoredBy: number | null): Promise<void> {
  // outcome null: give the claim back (the rollback failed; the next round retries).
  if (outcome === null) await db.$executeRawUnsafe(`UPDATE version_expiry SET settled_at = NULL WHERE version_id = $1::uuid`, versionId)
  else await db.$executeRawUnsafe(`UPDATE version_expiry SET outcome = $2, restored_by = $3 WHERE version_id = $1::uuid`, versionId, outcome, restoredBy)
}

/** Makes a version the fleet's active one (at commit, or when a staged rollout completes). */
export async function activateVersionTx(tx: Tx, fleet: Pick<LockedFleet, 'id' | 'active_version_id'>, versionId: string): Promise<void> {
  await tx.fleet.update({ where: { id: fleet.id }, data: { activeVersionId: versionId } })
  // An expiring change replaced before its time is over: nothing will roll it back (an expiry that
  // is rolling it back has claimed its row already).
  if (fleet.active_version_id && fleet.active_version_id !== versionId) {
    await tx.$executeRawUnsafe(`UPDATE version_expiry SET settled_at = now(), outcome = 'superseded' WHERE version_id = $1::uuid AND settled_at IS NULL`, fleet.active_version_id)
  }
}
