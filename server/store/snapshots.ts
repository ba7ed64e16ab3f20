import type { Db, Prisma } from './db'
import type { FleetSelector } from '../config/fleet-match'

export type ActiveVersionRef = Readonly<{ fleet: string; versionId: string; number: number }>

/** Every fleet's active version, for loading snapshots at start and for the periodic reconcile. */
export async function listActiveVersions(options: { db: Db }): Promise<ActiveVersionRef[]> {
  const rows = await options.db.fleet.findMany({ where: { activeVersionId: { not: null } }, select: { name: true, activeVersion: { select: { id: true, number: true } } } })
  return rows.flatMap((r) => (r.activeVersion ? [{ fleet: r.name, versionId: r.activeVersion.id, number: r.activeVersion.number }] : []))
}

/** A fleet's active version (id and number); its content is read with readVersionConfig (server/store/variables.ts). */
export async function readActiveVersion(options: { db: Db; fleet: string }): Promise<ActiveVersionRef | null> {
  const fleet = await options.db.fleet.findUnique({ where: { name: options.fleet }, select: { activeVersion: { select: { id: true, number: true } } } })
  if (!fleet?.activeVersion) return null
  return { fleet: options.fleet, versionId: fleet.activeVersion.id, number: fleet.activeVersion.number }
}

/** Idempotent: every replica builds the same snapshot from the same version, so the first write wins. */
export async function recordVersionXds(options: { db: Db; versionId: string; typeVersions: Record<string, string> }): Promise<void> {
  await options.db.versionXds.createMany({ data: [{ versionId: options.versionId, typeVersions: options.typeVersions as Prisma.InputJsonValue }], skipDuplicates: true })
}

export async function listFleetsForMatching(options: { db: Db }): Promise<Array<{ name: string; selector: FleetSelector | null }>> {
  return (await options.db.fleet.findMany({ select: { name: true, selector: true } })).map((f) => ({ name: f.name, selector: (f.selector ?? null) as FleetSelector | null }))
}
