import { LegationError } from '../errors'
import type { FleetSelector } from '../config/fleet-match'
import type { FleetSummary } from '../contract'
import type { Prisma } from './db'
import type { Db } from './db'
import { Prisma as PrismaValues } from './generated/prisma/client'
import { isUniqueViolation, type Tx } from './tx'

type FleetRow = {
  name: string
  description: string
  selector: FleetSelector | null
  draft_revision: number
  created_at: Date
  updated_at: Date
  number: number | null
  message: string | null
  author: string | null
  version_created_at: Date | null
  content_hash: string | null
  template: string | null
  pending: bigint
}

// Pending = draft rows that are new or changed, plus active-version rows the draft no longer has,
// plus variables added, changed or removed.
const FLEET_SUMMARY_SQL = `
SELECT f.name, f.description, f.selector, f.draft_revision, f.created_at, f.updated_at,
       v.number, v.message, v.author, v.created_at AS version_created_at, v.content_hash, t.name AS template,
       (SELECT count(*) FROM (
          SELECT d.type, d.name, d.hash FROM draft_resource d WHERE d.fleet_id = f.id
          EXCEPT SELECT vr.type, vr.name, vr.blob_hash FROM version_resource vr WHERE vr.version_id = f.active_version_id) added_or_changed)
     + (SELECT count(*) FROM (
          SELECT vr.type, vr.name FROM version_resource vr WHERE vr.version_id = f.active_version_id
          EXCEPT SELECT d.type, d.name FROM draft_resource d WHERE d.fleet_id = f.id) removed)
     + (SELECT count(*) FROM (
          SELECT key, value FROM jsonb_each(f.draft_variables)
          EXCEPT SELECT key, value FROM jsonb_each(COALESCE(v.variables, '{}'::jsonb))) variables_set)
     + (SELECT count(*) FROM (
          SELECT key FROM jsonb_each(COALESCE(v.variables, '{}'::jsonb))
          EXCEPT SELECT key FROM jsonb_each(f.draft_variables)) variables_removed) AS pending
FROM fleet f LEFT JOIN version v ON v.id = f.active_version_id LEFT JOIN fleet t ON t.id = f.template_fleet_id`

function toSummary(row: FleetRow): FleetSummary {
  return {
    name: row.name,
    description: row.description,
    selector: row.selector,
    template: row.template,
    draftRevision: row.draft_revision,
    activeVersion:
      row.number === null
        ? null
        : { number: row.number, message: row.message ?? '', author: row.author ?? '', createdAt: (row.version_created_at ?? new Date(0)).toISOString(), contentHash: row.content_hash ?? '' },
    pendingChanges: Number(row.pending),
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  }
}

export async function listFleets(options: { db: Db }): Promise<FleetSummary[]> {
  const rows = await options.db.$queryRawUnsafe<FleetRow[]>(`${FLEET_SUMMARY_SQL} ORDER BY f.name`)
  return rows.map(toSummary)
}

export async function getFleetOrThrow(options: { db: Db; name: string }): Promise<FleetSummary> {
  const rows = await options.db.$queryRawUnsafe<FleetRow[]>(`${FLEET_SUMMARY_SQL} WHERE f.name = $1`, options.name)
  const row = rows[0]
  if (!row) throw new LegationError('FLEET.NOT_FOUND', `fleet '${options.name}' does not exist`)
  return toSummary(row)
}

export async function countFleets(options: { db: Db }): Promise<number> {
  return options.db.fleet.count()
}

export const selectorJson = (selector: FleetSelector | null): Prisma.InputJsonValue | typeof PrismaValues.DbNull => (selector === null ? PrismaValues.DbNull : (selector as Prisma.InputJsonValue))

/** Inserts a fleet row; a name already taken is FLEET.EXISTS (the unique index decides, not a read). */
export async function insertFleet(tx: Tx, fleet: { name: string; description: string; selector: FleetSelector | null }): Promise<void> {
  try {
    await tx.fleet.create({ data: { name: fleet.name, description: fleet.description, selector: selectorJson(fleet.selector) } })
  } catch (err) {
    if (isUniqueViolation(err)) throw new LegationError('FLEET.EXISTS', `fleet '${fleet.name}' already exists`, [{ path: 'name', message: 'already exists' }])
    throw err
  }
}

export async function updateFleetRow(tx: Tx, name: string, change: { description?: string; selector?: FleetSelector | null }): Promise<void> {
  await tx.fleet.update({ where: { name }, data: { ...(change.description === undefined ? {} : { description: change.description }), ...(change.selector === undefined ? {} : { selector: selectorJson(change.selector) }) } })
}

/** Deletes the fleet row with its draft and its whole history (cascade). */
export async function deleteFleetRow(tx: Tx, fleetId: string): Promise<void> {
  // Clear the pointer first: fleet → version is RESTRICT so that no version is deleted while active.
  await tx.fleet.update({ where: { id: fleetId }, data: { activeVersionId: null } })
  await tx.fleet.delete({ where: { id: fleetId } })
}

/**
 * Serialises the transactions that add fleets or change selectors (across replicas), so two of them
 * cannot each pass the selector checks against a state the other is about to change.
 */
export async function lockFleetSelectorsTx(tx: Tx): Promise<void> {
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext('legation.fleet-selectors'))`
}

/** Every fleet's name and selector (null: matched by name), in name order. */
export async function listFleetSelectors(tx: Tx): Promise<Array<{ name: string; selector: FleetSelector | null }>> {
  const rows = await tx.fleet.findMany({ select: { name: true, selector: true }, orderBy: { name: 'asc' } })
  return rows.map((r) => ({ name: r.name, selector: (r.selector ?? null) as FleetSelector | null }))
}

/**
 * Points a fleet at a template fleet (or none). One level only: a template has no template itself,
 * and a fleet that is a template for others cannot get one.
 */
export async function setFleetTemplateTx(tx: Tx, fleet: { id: string; name: string }, template: string | null): Promise<void> {
  if (template === null) {
    await tx.fleet.update({ where: { id: fleet.id }, data: { templateFleetId: null } })
    return
  }
  const bad = (message: string) => new LegationError('TEMPLATE.INVALID', message, [{ path: 'template', message }])
  if (template === fleet.name) throw bad(`fleet '${fleet.name}' cannot be its own template`)
  const row = await tx.fleet.findUnique({ where: { name: template }, select: { id: true, templateFleetId: true } })
  if (!row) throw bad(`there is no fleet '${template}' to use as a template`)
  if (row.templateFleetId !== null) throw bad(`fleet '${template}' is built on a template itself; a template cannot have one`)
  const derived = await tx.fleet.count({ where: { templateFleetId: fleet.id } })
  if (derived > 0) throw bad(`fleet '${fleet.name}' is the template of ${derived} other fleet${derived === 1 ? '' : 's'}; a template cannot have one`)
  await tx.fleet.update({ where: { id: fleet.id }, data: { templateFleetId: row.id } })
}

/** The fleets built on a template (names, sorted). */
export async function listDerivedFleets(tx: Tx, templateId: string): Promise<string[]> {
  return (await tx.fleet.findMany({ where: { templateFleetId: templateId }, select: { name: true }, orderBy: { name: 'asc' } })).map((f) => f.name)
}
