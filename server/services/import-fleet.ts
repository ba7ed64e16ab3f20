import type protobuf from 'protobufjs'
import { serializeResource, sha256Hex } from '../config/hash'
import { compareResources, type ConfigResource } from '../config/resource-types'
import { validateConfig, validateResource } from '../config/validate'
import { sealResource, type ValueCipher } from '../config/sealed-values'
import { configInvalid } from '../errors'
import type { Db } from '../store/db'
import { replaceDraftTx } from '../store/drafts'
import { insertFleet } from '../store/fleets'
import { inTransaction, lockFleetOrThrow, notifyEvent, recordAudit } from '../store/tx'
import { createVersionTx } from '../store/versions'
import { checkFleetMayBeAddedTx } from './fleets'

/**
 * Create a fleet with a complete config as its version 1 (origin IMPORT): validate and seal every
 * resource → create the fleet → fill its draft → write the version → audit → notify, in one
 * transaction: either the fleet exists with its first version, or nothing was written.
 */
export async function importFleet(options: { db: Db; root: protobuf.Root; cipher: ValueCipher; name: string; description: string; resources: readonly ConfigResource[]; message: string; actor: string }): Promise<number> {
  const { db, root, name, description, message, actor } = options
  const canonical = options.resources.map((r) => {
    const v = validateResource(root, r.type, r.name, r.resource)
    if (!v.resource) throw configInvalid(`${r.type} '${r.name}' is not valid`, v.issues)
    const sealed = sealResource(v.resource, options.cipher)
    const body = serializeResource(sealed)
    return { type: r.type, name: r.name, resource: sealed, body, hash: sha256Hex(body) }
  })
  const issues = validateConfig(root, canonical)
  if (issues.length > 0) throw configInvalid(`the config for fleet '${name}' has problems`, issues)
  const stored = canonical.map(({ type, name: n, body, hash }) => ({ type, name: n, body, hash })).sort(compareResources)
  return inTransaction(db, async (tx) => {
    await checkFleetMayBeAddedTx(tx, name)
    await insertFleet(tx, { name, description, selector: null })
    const locked = await lockFleetOrThrow(tx, name)
    await replaceDraftTx(tx, locked.id, stored, actor)
    const created = await createVersionTx(tx, locked, stored, { message, author: actor, origin: 'IMPORT' })
    await tx.fleet.update({ where: { id: locked.id }, data: { draftRevision: 1 } })
    await recordAudit(tx, { actor, action: 'fleet.import', fleetName: name, target: `version/${created.number}`, afterHash: created.contentHash, detail: { message } })
    const at = new Date().toISOString()
    await notifyEvent(tx, { kind: 'fleet.created', fleet: name, actor, at })
    await notifyEvent(tx, { kind: 'version.created', fleet: name, version: created.number, origin: 'IMPORT', actor, at })
    return created.number
  })
}
