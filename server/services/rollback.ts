import { MAX_PENDING_CHANGES_LISTED, type PendingDraftChanges, type VersionSummary } from '../contract'
import { diffResources, type ResourceChange } from '../config/diff'
import { LegationError } from '../errors'
import type { Db } from '../store/db'
import type { OnVersionActivated } from '../config/activated-version'
import { bumpDraftRevision, replaceDraftTx } from '../store/drafts'
import { readDraftResourceHashes, readVersionResourceHashes } from '../store/resources'
import { readDraftVariables, readVersionConfig, readVersionVariables, writeDraftVariables } from '../store/variables'
import { diffVariables } from '../config/variables'
import { refuseDuringRolloutTx } from './rollout-guard'
import type { RolloutStage } from '../config/rollout-plan'
import { insertRolloutTx } from '../store/staged-rollouts'
import type { Prisma } from '../store/db'
import { inTransaction, lockFleetOrThrow, notifyEvent, recordAudit, type LockedFleet, type Tx } from '../store/tx'
import { activeContentHash, createVersionTx, findVersionByNumber, getVersionSummaryOrThrow } from '../store/versions'

export type RollbackOptions = {
  db: Db
  fleet: string
  number: number
  actor: string
  message?: string
  /** The draft revision the caller reviewed: the rollback discards exactly that draft, or is refused (409 DRAFT.CONFLICT). */
  ifMatch?: number
  /** Discard whatever the draft holds, unseen. */
  discardDraft?: boolean
  /**
   * Leave pending draft changes alone (an expiring change ending by itself: nobody is there to
   * agree to lose them). A draft without pending changes is still reset to the restored content.
   */
  keepDraft?: boolean
  /** Roll the restored version out in these stages instead of to every proxy at once (#12 item 3). */
  stages?: readonly RolloutStage[]
  /** Told of the new active version once the transaction has committed (not for a staged rollout). */
  onActivated?: OnVersionActivated
}

/** The draft's uncommitted changes: draft against the active version, by hash (no bodies read). */
type PendingChange = Pick<ResourceChange, 'change'> & { type: ResourceChange['type'] | 'variable'; name: string }

async function pendingChanges(tx: Tx, fleet: LockedFleet): Promise<PendingChange[]> {
  const [active, draft, activeVariables, draftVariables] = await Promise.all([
    readVersionResourceHashes(tx, fleet.active_version_id),
    readDraftResourceHashes(tx, fleet.id),
    readVersionVariables(tx, fleet.active_version_id),
    readDraftVariables(tx, fleet.id),
  ])
  // A variable's change is pending work too.
  const variables = diffVariables(activeVariables, draftVariables).map((c) => ({ type: 'variable' as const, name: c.name, change: c.change }))
  return [...diffResources(active, draft, { withPatch: false }), ...variables]
}

const describeChange = (c: PendingChange): string => `${c.type} '${c.name}' ${c.change}`

function pendingChangesError(fleet: string, draftRevision: number, changes: readonly PendingChange[]): LegationError {
  const NAMED = 10
  const named = changes.slice(0, NAMED).map(describeChange).join(', ')
  const more = changes.length > NAMED ? ` and ${changes.length - NAMED} more` : ''
  const listed = changes.filter((c): c is PendingChange & { type: ResourceChange['type'] } => c.type !== 'variable').slice(0, MAX_PENDING_CHANGES_LISTED)
  const details: PendingDraftChanges = { draftRevision, total: changes.length, changes: listed.map((c) => ({ type: c.type, name: c.name, change: c.change })) }
  return new LegationError(
    'DRAFT.PENDING_CHANGES',
    `the draft of fleet '${fleet}' has ${changes.length} uncommitted change${changes.length === 1 ? '' : 's'} (${named}${more}) that a rollback would discard; ` +
      `review them and send If-Match: "${draftRevision}" (the draft revision), or {"discardDraft": true}`,
    listed.map((c) => ({ path: `${c.type}/${c.name}`, message: `${c.change} in the draft, not committed`, resource: { type: c.type, name: c.name } })),
    details,
  )
}

/**
 * Roll back by going forward: a new version with the content of version `number` (history stays
 * linear and every state that was ever served keeps its number). Lock the fleet → check If-Match →
 * find the target → refuse to discard pending draft changes nobody agreed to lose → write the
 * version → reset the draft to it → audit → notify.
 *
 * The pending-changes check runs under the fleet lock that every draft write takes
 * (lockFleetOrThrow), so a PUT answered before the rollback got the lock is either seen here (and
 * the rollback refused, or discarded on purpose) or comes after the reset; it is never lost
 * silently (#16 item 5).
 */
export async function rollbackToVersion(options: RollbackOptions): Promise<VersionSummary> {
  return (await rollbackWithRollout(options)).summary
}

/** rollbackToVersion, and with `stages` the staged rollout it started. */
export async function rollbackWithRollout(options: RollbackOptions): Promise<{ summary: VersionSummary; rolloutId: string | null }> {
  const { db, fleet, number, actor, ifMatch, discardDraft, keepDraft = false, stages } = options
  let rolloutId: string | null = null
  const { created, activated } = await inTransaction(db, async (tx) => {
    const locked = await lockFleetOrThrow(tx, fleet)
    // A rollback resets the draft: with If-Match, refuse if the draft moved since the caller looked.
    if (ifMatch !== undefined && ifMatch !== locked.draft_revision) {
      throw new LegationError('DRAFT.CONFLICT', `the draft changed since you looked at it (revision ${ifMatch}, now ${locked.draft_revision}); a rollback would discard those changes`, [], { currentRevision: locked.draft_revision })
    }
    await refuseDuringRolloutTx(tx, locked, 'rollback')
    const target = await findVersionByNumber(tx, locked.id, number)
    if (!target) throw new LegationError('VERSION.NOT_FOUND', `fleet '${fleet}' has no version ${number}`)
    const before = await activeContentHash(tx, locked)
    if (before === target.contentHash) throw new LegationError('VERSION.ALREADY_ACTIVE', `the active version of fleet '${fleet}' already has the content of version ${number}`)
    const discarded = await pendingChanges(tx, locked)
    // Without If-Match (the caller saw this draft) or discardDraft (the caller does not care), pending changes are someone's acknowledged work.
    if (discarded.length > 0 && ifMatch === undefined && discardDraft !== true && !keepDraft) throw pendingChangesError(fleet, locked.draft_revision, discarded)
    const resetDraft = !keepDraft || discarded.length === 0
    const restored = await readVersionConfig(tx, target.id)
    const resources = [...restored.resources]
    const message = options.message?.trim() || `Roll back to version ${number}`
    // The variables and the template version go back too: the restored version serves exactly what version `number` served.
    const extras = { variables: restored.variables, templateRef: restored.template?.ref ?? null, templateVersionId: restored.templateVersionId }
    const result = await createVersionTx(tx, locked, resources, { message, author: actor, origin: 'ROLLBACK', rollbackOf: number, activate: stages === undefined }, extras)
    const resetDraftTo = async (): Promise<number> => {
      await replaceDraftTx(tx, locked.id, resources, actor)
      await writeDraftVariables(tx, locked.id, restored.variables)
      return bumpDraftRevision(tx, locked.id)
    }
    const draftRevision = resetDraft ? await resetDraftTo() : locked.draft_revision
    const discardedDetail = discarded.length === 0 || !resetDraft ? {} : { discardedDraft: { revision: locked.draft_revision, total: discarded.length, changes: discarded.slice(0, MAX_PENDING_CHANGES_LISTED).map(describeChange) } }
    await recordAudit(tx, { actor, action: 'version.rollback', fleetName: fleet, target: `version/${result.number}`, beforeHash: before, afterHash: result.contentHash, detail: { rollbackOf: number, message, ...discardedDetail } })
    const at = new Date().toISOString()
    if (stages) {
      rolloutId = await insertRolloutTx(tx, { fleetId: locked.id, fromVersionId: locked.active_version_id, toVersionId: result.versionId, stages, createdBy: actor })
      await recordAudit(tx, { actor, action: 'rollout.start', fleetName: fleet, target: `version/${result.number}`, detail: { rollout: rolloutId, rollbackOf: number, stages } as Prisma.InputJsonValue })
      await notifyEvent(tx, { kind: 'rollout.changed', fleet, rollout: rolloutId, state: 'running', stage: 0, toVersion: result.number, actor, at })
    } else await notifyEvent(tx, { kind: 'version.created', fleet, version: result.number, origin: 'ROLLBACK', rollbackOf: number, actor, at })
    if (resetDraft) await notifyEvent(tx, { kind: 'draft.changed', fleet, draftRevision, change: 'reset', actor, at })
    const config = { resources, variables: restored.variables, template: restored.template }
    return { created: result.number, activated: stages ? null : { fleet, versionId: result.versionId, number: result.number, config } }
  })
  // Committed: this replica serves it now; the others hear of it through NOTIFY.
  if (activated) options.onActivated?.({ ...activated, committedAtMs: Date.now() })
  return { summary: await getVersionSummaryOrThrow({ db, fleet, number: created }), rolloutId }
}
