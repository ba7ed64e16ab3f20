import type protobuf from 'protobufjs'
import type { DraftResourceView, DraftView } from '../contract'
import { analyzeConfig, type ControlPlanePort, type Finding } from '../config/analysis'
import { serializeResource, sha256Hex } from '../config/hash'
import { findReferrers } from '../config/references'
import { RESOURCE_TYPE_INFO, type ResourceJson, type ResourceType } from '../config/resource-types'
import { restoreSealed, sealResource, type ValueCipher } from '../config/sealed-values'
import { validateResource } from '../config/validate'
import { configInvalid, LegationError } from '../errors'
import type { Db } from '../store/db'
import { bumpDraftRevision, deleteDraftRow, findDraftRow, getDraft, replaceDraftTx, toDraftResourceView, writeDraftRow } from '../store/drafts'
import { readDraftResources, readVersionResources, toConfigResources } from '../store/resources'
import { inTransaction, lockFleetOrThrow, notifyEvent, recordAudit } from '../store/tx'
import { readDraftVariables, readVersionVariables, writeDraftVariables } from '../store/variables'
import { diffVariables } from '../config/variables'

/** If-Match on one draft resource: a different current revision means someone else changed it (409). */
export function assertRevision(ifMatch: number | undefined, current: number | null, what: string): void {
  if (ifMatch === undefined) return
  if (current === null) throw new LegationError('DRAFT.CONFLICT', `${what} no longer exists in the draft (If-Match ${ifMatch})`, [], { currentRevision: null })
  if (current !== ifMatch) {
    throw new LegationError('DRAFT.CONFLICT', `${what} was changed by someone else: you have revision ${ifMatch}, the draft has ${current}. Reload it and apply your edit again.`, [], { currentRevision: current })
  }
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
  /** For the analysis of the draft after the save (endpoints on these ports are reported). */
  controlPlanePorts: readonly ControlPlanePort[]
}

/** `findings`: the config analysis of the whole draft after the save; a save is never refused for one. */
export type PutDraftResourceResult = Readonly<{ resource: DraftResourceView; created: boolean; changed: boolean; findings: Finding[] }>

/**
 * Put one resource into the draft: validate it against its Envoy proto → lock the fleet → check
 * If-Match → keep `<set:…>` secrets, seal new ones → write the row → audit → notify → analyse the
 * draft as it now is. A put that changes nothing writes nothing.
 */
export async function putDraftResource(options: PutDraftResourceOptions): Promise<PutDraftResourceResult> {
  const { db, root, cipher, fleet, type, name, input, actor, ifMatch, createOnly, controlPlanePorts } = options
  const { resource, issues } = validateResource(root, type, name, input, { placeholders: true })
  if (!resource) throw configInvalid(`${type} '${name}' is not a valid Envoy v3 ${RESOURCE_TYPE_INFO[type].messageName}`, issues)
  const what = `${type} '${name}'`
  const outcome = await inTransaction(db, async (tx) => {
    const locked = await lockFleetOrThrow(tx, fleet)
    const existing = await findDraftRow(tx, { fleetId: locked.id, type, name })
    if (createOnly && existing) throw new LegationError('RESOURCE.EXISTS', `${what} already exists in the draft`, [{ path: RESOURCE_TYPE_INFO[type].nameField, message: 'already exists' }])
    assertRevision(ifMatch, existing?.revision ?? null, what)
    // `<set:…>` markers (a secret value as the API showed it) keep the stored value; new values are sealed.
    const restored = restoreSealed(resource, existing ? (JSON.parse(existing.body) as ResourceJson) : null)
    if (restored.unknown.length > 0) {
      throw configInvalid(`${what} refers to secret values that are not stored`, restored.unknown.map((path) => ({ code: 'PROTO.BAD_VALUE' as const, resource: { type, name }, path, message: 'this <set:…> marker matches no stored value; send the value itself' })))
    }
    const body = serializeResource(sealResource(restored.value as ResourceJson, cipher))
    const hash = sha256Hex(body)
    // In the same transaction as the write: the findings are those of exactly this draft revision.
    const analyse = async () => analyzeConfig({ resources: toConfigResources(await readDraftResources(tx, locked.id)), controlPlanePorts })
    if (existing && existing.hash === hash) return { row: existing, created: false, changed: false, findings: await analyse() }
    const row = await writeDraftRow(tx, existing, { fleetId: locked.id, type, name, body, hash, actor })
    const draftRevision = await bumpDraftRevision(tx, locked.id)
    await recordAudit(tx, { actor, action: existing ? 'draft.update' : 'draft.create', fleetName: fleet, target: `${type}/${name}`, beforeHash: existing?.hash ?? null, afterHash: hash })
    await notifyEvent(tx, { kind: 'draft.changed', fleet, draftRevision, change: 'put', resource: { type, name }, actor, at: new Date().toISOString() })
    return { row, created: !existing, changed: true, findings: await analyse() }
  })
  return { resource: toDraftResourceView(outcome.row), created: outcome.created, changed: outcome.changed, findings: outcome.findings }
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
    const existing = await findDraftRow(tx, { fleetId: locked.id, type, name })
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
    await deleteDraftRow(tx, existing.id)
    const draftRevision = await bumpDraftRevision(tx, locked.id)
    await recordAudit(tx, { actor, action: 'draft.delete', fleetName: fleet, target: `${type}/${name}`, beforeHash: existing.hash })
    await notifyEvent(tx, { kind: 'draft.changed', fleet, draftRevision, change: 'delete', resource: { type, name }, actor, at: new Date().toISOString() })
  })
}

/** Throws away uncommitted changes: the draft becomes the active version again. */
export async function discardDraft(options: { db: Db; fleet: string; actor: string }): Promise<DraftView> {
  const { db, fleet, actor } = options
  await inTransaction(db, async (tx) => {
    const locked = await lockFleetOrThrow(tx, fleet)
    const active = await readVersionResources(tx, locked.active_version_id)
    const activeVariables = await readVersionVariables(tx, locked.active_version_id)
    const variablesDiffer = diffVariables(await readDraftVariables(tx, locked.id), activeVariables).length > 0
    if (variablesDiffer) await writeDraftVariables(tx, locked.id, activeVariables)
    if (!(await replaceDraftTx(tx, locked.id, active, actor)) && !variablesDiffer) return
    const draftRevision = await bumpDraftRevision(tx, locked.id)
    await recordAudit(tx, { actor, action: 'draft.discard', fleetName: fleet, target: `fleet/${fleet}` })
    await notifyEvent(tx, { kind: 'draft.changed', fleet, draftRevision, change: 'reset', actor, at: new Date().toISOString() })
  })
  return getDraft({ db, fleet })
}
