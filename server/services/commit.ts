import type protobuf from 'protobufjs'
import type { VersionSummary } from '../contract'
import { hashContent } from '../config/hash'
import { validateConfig } from '../config/validate'
import { configInvalid, LegationError } from '../errors'
import type { Db } from '../store/db'
import { readDraftResources, toConfigResources } from '../store/resources'
import { inTransaction, lockFleetOrThrow, notifyEvent, recordAudit } from '../store/tx'
import { activeContentHash, createVersionTx, getVersionSummaryOrThrow } from '../store/versions'

export type CommitOptions = {
  db: Db
  root: protobuf.Root
  fleet: string
  message: string
  actor: string
  /** The draft revision the caller reviewed; if the draft moved since, the commit is refused (409). */
  ifMatch?: number
}

/**
 * Commit: lock the fleet → check If-Match → validate the whole draft → refuse an empty change →
 * write the next version and activate it → audit → notify, in one transaction: a refused or failed
 * commit writes nothing.
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
    const created = await createVersionTx(tx, locked, draft, { message, author: actor, origin: 'COMMIT' })
    await recordAudit(tx, { actor, action: 'version.commit', fleetName: fleet, target: `version/${created.number}`, beforeHash: before, afterHash: created.contentHash, detail: { message, changes: created.changes } })
    await notifyEvent(tx, { kind: 'version.created', fleet, version: created.number, origin: 'COMMIT', actor, at: new Date().toISOString() })
    return created.number
  })
  return getVersionSummaryOrThrow({ db, fleet, number })
}
