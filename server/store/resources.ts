import type { StoredResource } from '../config/diff'
import type { ConfigResource, ResourceJson, ResourceType } from '../config/resource-types'
import { compareResources } from '../config/resource-types'
import type { Db } from './db'
import type { Tx } from './tx'

type Reader = Db | Tx

/** The resources of a version, bodies included, in (type, name) order. */
export async function readVersionResources(db: Reader, versionId: string | null): Promise<StoredResource[]> {
  if (!versionId) return []
  const rows = await db.versionResource.findMany({ where: { versionId }, include: { blob: { select: { body: true } } } })
  return rows.map((r) => ({ type: r.type as ResourceType, name: r.name, body: r.blob.body, hash: r.blobHash })).sort(compareResources)
}

/** The (type, name, hash) of a version's resources without their bodies: enough to count changes. */
export async function readVersionResourceHashes(db: Reader, versionId: string | null): Promise<StoredResource[]> {
  if (!versionId) return []
  const rows = await db.versionResource.findMany({ where: { versionId }, select: { type: true, name: true, blobHash: true } })
  return rows.map((r) => ({ type: r.type as ResourceType, name: r.name, body: '', hash: r.blobHash })).sort(compareResources)
}

export async function readDraftResources(db: Reader, fleetId: string): Promise<StoredResource[]> {
  const rows = await db.draftResource.findMany({ where: { fleetId }, select: { type: true, name: true, body: true, hash: true } })
  return rows.map((r) => ({ type: r.type as ResourceType, name: r.name, body: r.body, hash: r.hash })).sort(compareResources)
}

/** The (type, name, hash) of a fleet's draft resources without their bodies. */
export async function readDraftResourceHashes(db: Reader, fleetId: string): Promise<StoredResource[]> {
  const rows = await db.draftResource.findMany({ where: { fleetId }, select: { type: true, name: true, hash: true } })
  return rows.map((r) => ({ type: r.type as ResourceType, name: r.name, body: '', hash: r.hash })).sort(compareResources)
}

export function toConfigResources(stored: readonly StoredResource[]): ConfigResource[] {
  return stored.map((r) => ({ type: r.type, name: r.name, resource: JSON.parse(r.body) as ResourceJson }))
}

/**
 * Stored bodies of a fleet that hold sealed values: its draft rows and the resources of any of its
 * versions. A bundle's `<set:fingerprint>` markers are looked up in them (the fingerprint is a keyed
 * hash of the value, so equal fingerprints mean the same value).
 */
export async function readSealedBodies(db: Reader, fleetId: string): Promise<string[]> {
  const rows = await db.$queryRaw<Array<{ body: string }>>`
    SELECT body FROM draft_resource WHERE fleet_id = ${fleetId}::uuid AND body LIKE '%legation:sealed:v1:%'
    UNION
    SELECT b.body FROM resource_blob b
      JOIN version_resource vr ON vr.blob_hash = b.hash
      JOIN version v ON v.id = vr.version_id
     WHERE v.fleet_id = ${fleetId}::uuid AND b.body LIKE '%legation:sealed:v1:%'`
  return rows.map((r) => r.body)
}
