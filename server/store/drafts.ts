import type protobuf from 'protobufjs'
import { countChanges, diffResources } from '../config/diff'
import type { DraftDiff, DraftResourceView, DraftView } from '../contract'
import { serializeResource, sha256Hex } from '../config/hash'
import { findReferrers } from '../config/references'
import { RESOURCE_TYPE_INFO, type ResourceJson, type ResourceType } from '../config/resource-types'
import { validateConfig, validateResource } from '../config/validate'
import { redactSealedText, restoreSealed, sealResource, type ValueCipher } from '../config/sealed-values'
import { configInvalid, LegationError } from '../errors'
import type { Db } from './db'
import { readDraftResources, readVersionResources, toConfigResources } from './resources'
import { inTransaction, lockFleetOrThrow, notifyEvent, recordAudit, type Tx } from './tx'

type DraftRow = { type: string; name: string; body: string; revision: number; hash: string; updatedBy: string; updatedAt: Date }

function toView(row: DraftRow): DraftResourceView {
  return {
    type: row.type as ResourceType,
    name: row.name,
    // Private keys are write-only: the API only ever sees `<set:fingerprint>`.
    resource: JSON.parse(redactSealedText(row.body)) as ResourceJson,
    revision: row.revision,
    hash: row.hash,
    updatedBy: row.updatedBy,
    updatedAt: row.updatedAt.toISOString(),
  }
}

async function fleetIdOrThrow(db: Db, name: string): Promise<{ id: string; draftRevision: number; activeVersionId: string | null }> {
  const fleet = await db.fleet.findUnique({ where: { name }, select: { id: true, draftRevision: true, activeVersionId: true } })
  if (!fleet) throw new LegationError('FLEET.NOT_FOUND', `fleet '${name}' does not exist`)
  return fleet
}

export async function getDraft(options: { db: Db; fleet: string; type?: ResourceType }): Promise<DraftView> {
  const fleet = await fleetIdOrThrow(options.db, options.fleet)
  const rows = await options.db.draftResource.findMany({
    where: { fleetId: fleet.id, ...(options.type ? { type: options.type } : {}) },
    orderBy: [{ type: 'asc' }, { name: 'asc' }],
  })
  return { fleet: options.fleet, draftRevision: fleet.draftRevision, resources: rows.map(toView) }
}

export async function getDraftResourceOrThrow(options: { db: Db; fleet: string; type: ResourceType; name: string }): Promise<DraftResourceView> {
  const fleet = await fleetIdOrThrow(options.db, options.fleet)
  const row = await options.db.draftResource.findUnique({ where: { fleetId_type_name: { fleetId: fleet.id, type: options.type, name: options.name } } })
  if (!row) throw new LegationError('RESOURCE.NOT_FOUND', `${options.type} '${options.name}' is not in the draft of fleet '${options.fleet}'`)
  return toView(row)
}

function assertRevision(ifMatch: number | undefined, current: number | null, what: string): void {
  if (ifMatch === undefined) return
  if (current === null) throw new LegationError('DRAFT.CONFLICT', `${what} no longer exists in the draft (If-Match ${ifMatch})`, [], { currentRevision: null })
  if (current !== ifMatch) {
    throw new LegationError('DRAFT.CONFLICT', `${what} was changed by someone else: you have revision ${ifMatch}, the draft has ${current}. Reload it and apply your edit again.`, [], { currentRevision: current })
  }
}

async function bumpDraftRevision(tx: Tx, fleetId: string): Promise<number> {
  const updated = await tx.fleet.update({ where: { id: fleetId }, data: { draftRevision: { increment: 1 } }, select: { draftRevision: true } })
  return updated.draftRevision
}

export type PutDraftResourceOptions = {
  db: Db
  root: protobuf.Root
  cipher: ValueCipher
  fleet: string
  type: ResourceType
  name: string
  input: unknown
  actor: string
  /** The revision the caller last read; a different current revision is a conflict (409). */
  ifMatch?: number
  /** Refuse to overwrite an existing resource (POST, `If-None-Match: *`). */
  createOnly?: boolean
}

export type PutDraftResourceResult = Readonly<{ resource: DraftResourceView; created: boolean; changed: boolean }>

/** Validates the resource against its Envoy proto, then creates or replaces it in the draft. */
export async function putDraftResource(options: PutDraftResourceOptions): Promise<PutDraftResourceResult> {
  const { db, root, cipher, fleet, type, name, input, actor, ifMatch, createOnly } = options
  const { resource, issues } = validateResource(root, type, name, input)
  if (!resource) throw configInvalid(`${type} '${name}' is not a valid Envoy v3 ${RESOURCE_TYPE_INFO[type].messageName}`, issues)
  const what = `${type} '${name}'`
  const outcome = await inTransaction(db, async (tx) => {
    const locked = await lockFleetOrThrow(tx, fleet)
    const existing = await tx.draftResource.findUnique({ where: { fleetId_type_name: { fleetId: locked.id, type, name } } })
    if (createOnly && existing) throw new LegationError('RESOURCE.EXISTS', `${what} already exists in the draft`, [{ path: RESOURCE_TYPE_INFO[type].nameField, message: 'already exists' }])
    assertRevision(ifMatch, existing?.revision ?? null, what)
    // `<set:…>` markers (a secret value as the API showed it) keep the stored value; new values are sealed.
    const restored = restoreSealed(resource, existing ? (JSON.parse(existing.body) as ResourceJson) : null)
    if (restored.unknown.length > 0) {
      throw configInvalid(`${what} refers to secret values that are not stored`, restored.unknown.map((path) => ({ code: 'PROTO.BAD_VALUE' as const, resource: { type, name }, path, message: 'this <set:…> marker matches no stored value; send the value itself' })))
    }
    const body = serializeResource(sealResource(restored.value as ResourceJson, cipher))
    const hash = sha256Hex(body)
    if (existing && existing.hash === hash) return { row: existing, created: false, changed: false }
    const row = existing
      ? await tx.draftResource.update({ where: { id: existing.id }, data: { body, hash, revision: existing.revision + 1, updatedBy: actor, updatedAt: new Date() } })
      : await tx.draftResource.create({ data: { fleetId: locked.id, type, name, body, hash, updatedBy: actor } })
    const draftRevision = await bumpDraftRevision(tx, locked.id)
    await recordAudit(tx, { actor, action: existing ? 'draft.update' : 'draft.create', fleetName: fleet, target: `${type}/${name}`, beforeHash: existing?.hash ?? null, afterHash: hash })
    await notifyEvent(tx, { kind: 'draft.changed', fleet, draftRevision, change: 'put', resource: { type, name }, actor, at: new Date().toISOString() })
    return { row, created: !existing, changed: true }
  })
  return { resource: toView(outcome.row), created: outcome.created, changed: outcome.changed }
}

/**
 * Removes a resource from the draft. Refused while other draft resources still refer to it (the
 * referrers are named), unless `force` is set, in which case the commit check will report them.
 */
export async function deleteDraftResource(options: { db: Db; fleet: string; type: ResourceType; name: string; actor: string; ifMatch?: number; force?: boolean }): Promise<void> {
  const { db, fleet, type, name, actor, ifMatch, force } = options
  const what = `${type} '${name}'`
  await inTransaction(db, async (tx) => {
    const locked = await lockFleetOrThrow(tx, fleet)
    const existing = await tx.draftResource.findUnique({ where: { fleetId_type_name: { fleetId: locked.id, type, name } } })
    if (!existing) throw new LegationError('RESOURCE.NOT_FOUND', `${what} is not in the draft of fleet '${fleet}'`)
    assertRevision(ifMatch, existing.revision, what)
    if (!force) {
      const referrers = findReferrers(toConfigResources(await readDraftResources(tx, locked.id)), { type, name })
      if (referrers.length > 0) {
        const names = [...new Set(referrers.map((r) => `${r.from.type} '${r.from.name}'`))]
        throw new LegationError(
          'RESOURCE.REFERENCED',
          `${what} is still referred to by ${names.join(', ')}`,
          referrers.map((r) => ({ path: r.path, message: `refers to ${what}`, resource: r.from })),
        )
      }
    }
    await tx.draftResource.delete({ where: { id: existing.id } })
    const draftRevision = await bumpDraftRevision(tx, locked.id)
    await recordAudit(tx, { actor, action: 'draft.delete', fleetName: fleet, target: `${type}/${name}`, beforeHash: existing.hash })
    await notifyEvent(tx, { kind: 'draft.changed', fleet, draftRevision, change: 'delete', resource: { type, name }, actor, at: new Date().toISOString() })
  })
}

/**
 * Makes the draft equal to the given resource set, keeping the rows (and revisions) of resources that
 * don't change, so an If-Match on an untouched resource still succeeds afterwards.
 */
export async function replaceDraftTx(tx: Tx, fleetId: string, target: ReadonlyArray<{ type: ResourceType; name: string; body: string; hash: string }>, actor: string): Promise<boolean> {
  const current = await tx.draftResource.findMany({ where: { fleetId }, select: { id: true, type: true, name: true, hash: true, revision: true } })
  const currentByKey = new Map(current.map((r) => [`${r.type}/${r.name}`, r]))
  const targetKeys = new Set(target.map((r) => `${r.type}/${r.name}`))
  const stale = current.filter((r) => !targetKeys.has(`${r.type}/${r.name}`)).map((r) => r.id)
  let changed = stale.length > 0
  if (stale.length > 0) await tx.draftResource.deleteMany({ where: { id: { in: stale } } })
  const toCreate: Array<{ fleetId: string; type: ResourceType; name: string; body: string; hash: string; updatedBy: string }> = []
  for (const r of target) {
    const existing = currentByKey.get(`${r.type}/${r.name}`)
    if (!existing) toCreate.push({ fleetId, type: r.type, name: r.name, body: r.body, hash: r.hash, updatedBy: actor })
    else if (existing.hash !== r.hash) {
      await tx.draftResource.update({ where: { id: existing.id }, data: { body: r.body, hash: r.hash, revision: existing.revision + 1, updatedBy: actor, updatedAt: new Date() } })
      changed = true
    }
  }
  if (toCreate.length > 0) {
    await tx.draftResource.createMany({ data: toCreate })
    changed = true
  }
  return changed
}

/** Throws away uncommitted changes: the draft becomes the active version again. */
export async function discardDraft(options: { db: Db; fleet: string; actor: string }): Promise<DraftView> {
  const { db, fleet, actor } = options
  await inTransaction(db, async (tx) => {
    const locked = await lockFleetOrThrow(tx, fleet)
    const active = await readVersionResources(tx, locked.active_version_id)
    if (!(await replaceDraftTx(tx, locked.id, active, actor))) return
    const draftRevision = await bumpDraftRevision(tx, locked.id)
    await recordAudit(tx, { actor, action: 'draft.discard', fleetName: fleet, target: `fleet/${fleet}` })
    await notifyEvent(tx, { kind: 'draft.changed', fleet, draftRevision, change: 'reset', actor, at: new Date().toISOString() })
  })
  return getDraft({ db, fleet })
}

export async function diffDraft(options: { db: Db; root: protobuf.Root; fleet: string }): Promise<DraftDiff> {
  const { db, root, fleet } = options
  const f = await fleetIdOrThrow(db, fleet)
  const [draft, active, activeVersion] = await Promise.all([
    readDraftResources(db, f.id),
    readVersionResources(db, f.activeVersionId),
    f.activeVersionId ? db.version.findUnique({ where: { id: f.activeVersionId }, select: { number: true } }) : null,
  ])
  const changes = diffResources(redactAll(active), redactAll(draft))
  return { fleet, draftRevision: f.draftRevision, activeVersion: activeVersion?.number ?? null, changes, counts: countChanges(changes), issues: validateConfig(root, toConfigResources(draft)) }
}

/** Stored bodies as the API may show them (sealed values replaced by `<set:fingerprint>`). */
export function redactAll<T extends { body: string }>(stored: readonly T[]): T[] {
  return stored.map((r) => ({ ...r, body: redactSealedText(r.body) }))
}
