import type protobuf from 'protobufjs'
import { countChanges, diffResources, type StoredResource } from '../config/diff'
import type { ChangeCounts, VersionDetail, VersionDiff, VersionOrigin, VersionSummary } from '../contract'
import { hashContent } from '../config/hash'
import type { ResourceJson } from '../config/resource-types'
import { validateConfig } from '../config/validate'
import { configInvalid, LegationError } from '../errors'
import type { Db } from './db'
import { redactAll, replaceDraftTx } from './drafts'
import { readDraftResources, readVersionResourceHashes, readVersionResources, toConfigResources } from './resources'
import { inTransaction, lockFleetOrThrow, notifyEvent, recordAudit, type LockedFleet, type Tx } from './tx'

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
  }
}

/** Version numbers count 1, 2, 3… per fleet. Pure, so the rule is unit-tested. */
export function nextVersionNumber(latest: number | null): number {
  return (latest ?? 0) + 1
}

/**
 * Writes a new immutable version holding exactly `resources` and makes it the fleet's active one.
 * Callers hold the fleet lock (lockFleetOrThrow), which is what makes the number allocation safe;
 * the (fleet_id, number) unique index is the backstop.
 */
export async function createVersionTx(
  tx: Tx,
  fleet: LockedFleet,
  resources: readonly StoredResource[],
  meta: { message: string; author: string; origin: VersionOrigin; rollbackOf?: number },
): Promise<{ number: number; contentHash: string; changes: ChangeCounts }> {
  const parentResources = await readVersionResourceHashes(tx, fleet.active_version_id)
  const changes = countChanges(diffResources(parentResources, resources, { withPatch: false }))
  const latest = await tx.version.aggregate({ where: { fleetId: fleet.id }, _max: { number: true } })
  const number = nextVersionNumber(latest._max.number)
  const contentHash = hashContent(resources)
  // Bodies are content-addressed: a resource unchanged across versions is stored once.
  await tx.resourceBlob.createMany({ data: resources.map((r) => ({ hash: r.hash, type: r.type, body: r.body })), skipDuplicates: true })
  const version = await tx.version.create({
    data: {
      fleetId: fleet.id,
      number,
      message: meta.message,
      author: meta.author,
      contentHash,
      resourceCount: resources.length,
      parentId: fleet.active_version_id,
      origin: meta.origin,
      rollbackOf: meta.rollbackOf ?? null,
      changes,
    },
    select: { id: true },
  })
  await tx.versionResource.createMany({ data: resources.map((r) => ({ versionId: version.id, type: r.type, name: r.name, blobHash: r.hash })) })
  await tx.fleet.update({ where: { id: fleet.id }, data: { activeVersionId: version.id } })
  return { number, contentHash, changes }
}

async function activeContentHash(tx: Tx, fleet: LockedFleet): Promise<string | null> {
  if (!fleet.active_version_id) return null
  const v = await tx.version.findUnique({ where: { id: fleet.active_version_id }, select: { contentHash: true } })
  return v?.contentHash ?? null
}

export type CommitOptions = {
  db: Db
  root: protobuf.Root
  fleet: string
  message: string
  actor: string
  /** The draft revision the caller reviewed; if the draft moved since, the commit is refused (409). */
  ifMatch?: number
  origin?: 'COMMIT' | 'IMPORT'
}

/**
 * Validates the whole draft and, if it has no problems, writes it as the next version and activates
 * it, all in one transaction: a refused or failed commit writes nothing.
 */
export async function commitDraft(options: CommitOptions): Promise<VersionSummary> {
  const { db, root, fleet, message, actor, ifMatch } = options
  const number = await inTransaction(db, async (tx) => {
    const locked = await lockFleetOrThrow(tx, fleet)
    if (ifMatch !== undefined && ifMatch !== locked.draft_revision) {
      throw new LegationError('DRAFT.CONFLICT', `the draft changed since you reviewed it (revision ${ifMatch}, now ${locked.draft_revision}); review the changes again`, [], { currentRevision: locked.draft_revision })
    }
    const draft = await readDraftResources(tx, locked.id)
    const issues = validateConfig(root, toConfigResources(draft))
    if (issues.length > 0) throw configInvalid(`the draft of fleet '${fleet}' has ${issues.length} problem${issues.length === 1 ? '' : 's'}; nothing was committed`, issues)
    const before = await activeContentHash(tx, locked)
    if (before !== null && before === hashContent(draft)) throw new LegationError('COMMIT.NO_CHANGES', `the draft of fleet '${fleet}' has no changes against the active version`)
    const created = await createVersionTx(tx, locked, draft, { message, author: actor, origin: options.origin ?? 'COMMIT' })
    await recordAudit(tx, { actor, action: 'version.commit', fleetName: fleet, target: `version/${created.number}`, beforeHash: before, afterHash: created.contentHash, detail: { message, changes: created.changes } })
    await notifyEvent(tx, { kind: 'version.created', fleet, version: created.number, origin: options.origin ?? 'COMMIT', actor, at: new Date().toISOString() })
    return created.number
  })
  return getVersionSummaryOrThrow({ db, fleet, number })
}

/**
 * Rolls back by going forward: a new version with the content of version `number` (history stays
 * linear and every state that was ever served keeps its number). The draft is reset to that content.
 */
export async function rollbackToVersion(options: { db: Db; fleet: string; number: number; actor: string; message?: string; ifMatch?: number }): Promise<VersionSummary> {
  const { db, fleet, number, actor, ifMatch } = options
  const created = await inTransaction(db, async (tx) => {
    const locked = await lockFleetOrThrow(tx, fleet)
    // A rollback resets the draft: with If-Match, refuse if the draft moved since the caller looked.
    if (ifMatch !== undefined && ifMatch !== locked.draft_revision) {
      throw new LegationError('DRAFT.CONFLICT', `the draft changed since you looked at it (revision ${ifMatch}, now ${locked.draft_revision}); a rollback would discard those changes`, [], { currentRevision: locked.draft_revision })
    }
    const target = await tx.version.findUnique({ where: { fleetId_number: { fleetId: locked.id, number } }, select: { id: true, contentHash: true } })
    if (!target) throw new LegationError('VERSION.NOT_FOUND', `fleet '${fleet}' has no version ${number}`)
    const before = await activeContentHash(tx, locked)
    if (before === target.contentHash) throw new LegationError('VERSION.ALREADY_ACTIVE', `the active version of fleet '${fleet}' already has the content of version ${number}`)
    const resources = await readVersionResources(tx, target.id)
    const message = options.message?.trim() || `Roll back to version ${number}`
    const result = await createVersionTx(tx, locked, resources, { message, author: actor, origin: 'ROLLBACK', rollbackOf: number })
    await replaceDraftTx(tx, locked.id, resources, actor)
    const { draftRevision } = await tx.fleet.update({ where: { id: locked.id }, data: { draftRevision: { increment: 1 } }, select: { draftRevision: true } })
    await recordAudit(tx, { actor, action: 'version.rollback', fleetName: fleet, target: `version/${result.number}`, beforeHash: before, afterHash: result.contentHash, detail: { rollbackOf: number, message } })
    const at = new Date().toISOString()
    await notifyEvent(tx, { kind: 'version.created', fleet, version: result.number, origin: 'ROLLBACK', rollbackOf: number, actor, at })
    await notifyEvent(tx, { kind: 'draft.changed', fleet, draftRevision, change: 'reset', actor, at })
    return result.number
  })
  return getVersionSummaryOrThrow({ db, fleet, number: created })
}

async function fleetOrThrow(db: Db, name: string): Promise<{ id: string; activeVersionId: string | null }> {
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

async function versionRowOrThrow(db: Db, fleet: { id: string }, fleetName: string, number: number): Promise<VersionRow> {
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
  return {
    ...toSummary(row, fleet.activeVersionId),
    resources: resources.map((r) => ({ type: r.type, name: r.name, hash: r.hash, resource: JSON.parse(r.body) as ResourceJson })),
    xdsTypeVersions: (xds?.typeVersions ?? null) as Record<string, string> | null,
  }
}

export async function diffVersions(options: { db: Db; fleet: string; from: number; to: number }): Promise<VersionDiff> {
  const fleet = await fleetOrThrow(options.db, options.fleet)
  const [a, b] = await Promise.all([versionRowOrThrow(options.db, fleet, options.fleet, options.from), versionRowOrThrow(options.db, fleet, options.fleet, options.to)])
  const [before, after] = await Promise.all([readVersionResources(options.db, a.id), readVersionResources(options.db, b.id)])
  const changes = diffResources(redactAll(before), redactAll(after))
  return { fleet: options.fleet, from: options.from, to: options.to, changes, counts: countChanges(changes) }
}
