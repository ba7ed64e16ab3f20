import type { VersionSummary } from '../contract'
import { LegationError } from '../errors'
import type { Db } from '../store/db'
import { bumpDraftRevision, replaceDraftTx } from '../store/drafts'
import { readVersionResources } from '../store/resources'
import { inTransaction, lockFleetOrThrow, notifyEvent, recordAudit } from '../store/tx'
import { activeContentHash, createVersionTx, findVersionByNumber, getVersionSummaryOrThrow } from '../store/versions'

/**
 * Roll back by going forward: a new version with the content of version `number` (history stays
 * linear and every state that was ever served keeps its number). Lock the fleet → check If-Match →
 * find the target → write the version → reset the draft to it → audit → notify.
 */
export async function rollbackToVersion(options: { db: Db; fleet: string; number: number; actor: string; message?: string; ifMatch?: number }): Promise<VersionSummary> {
  const { db, fleet, number, actor, ifMatch } = options
  const created = await inTransaction(db, async (tx) => {
    const locked = await lockFleetOrThrow(tx, fleet)
    // A rollback resets the draft: with If-Match, refuse if the draft moved since the caller looked.
    if (ifMatch !== undefined && ifMatch !== locked.draft_revision) {
      throw new LegationError('DRAFT.CONFLICT', `the draft changed since you looked at it (revision ${ifMatch}, now ${locked.draft_revision}); a rollback would discard those changes`, [], { currentRevision: locked.draft_revision })
    }
    const target = await findVersionByNumber(tx, locked.id, number)
    if (!target) throw new LegationError('VERSION.NOT_FOUND', `fleet '${fleet}' has no version ${number}`)
    const before = await activeContentHash(tx, locked)
    if (before === target.contentHash) throw new LegationError('VERSION.ALREADY_ACTIVE', `the active version of fleet '${fleet}' already has the content of version ${number}`)
    const resources = await readVersionResources(tx, target.id)
    const message = options.message?.trim() || `Roll back to version ${number}`
    const result = await createVersionTx(tx, locked, resources, { message, author: actor, origin: 'ROLLBACK', rollbackOf: number })
    await replaceDraftTx(tx, locked.id, resources, actor)
    const draftRevision = await bumpDraftRevision(tx, locked.id)
    await recordAudit(tx, { actor, action: 'version.rollback', fleetName: fleet, target: `version/${result.number}`, beforeHash: before, afterHash: result.contentHash, detail: { rollbackOf: number, message } })
    const at = new Date().toISOString()
    await notifyEvent(tx, { kind: 'version.created', fleet, version: result.number, origin: 'ROLLBACK', rollbackOf: number, actor, at })
    await notifyEvent(tx, { kind: 'draft.changed', fleet, draftRevision, change: 'reset', actor, at })
    return result.number
  })
  return getVersionSummaryOrThrow({ db, fleet, number: created })
}
