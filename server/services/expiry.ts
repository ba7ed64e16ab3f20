import { LegationError } from '../errors'
import type { Db } from '../store/db'
import { claimExpiry, listDueExpiries, settleExpiry } from '../store/versions'
import { rollbackToVersion } from './rollback'

/** Who ends an expiring change, in the version history and the audit. */
export const EXPIRY_ACTOR = 'system:expiry'

export type ExpiryOutcome = Readonly<{ fleet: string; version: number; outcome: 'rolled-back' | 'superseded'; restoredBy: number | null }>

/**
 * Ends expiring changes whose time is up (#12 item 4): a version still active is rolled back to its
 * parent (a new version by system:expiry, audited as a rollback; pending draft edits are kept); one already
 * replaced by another version is marked superseded. Each row is claimed first, so with several
 * replicas exactly one of them acts; a rollback that fails gives the claim back for the next round.
 */
export async function settleExpiredVersions(options: { db: Db; onError: (err: unknown, what: { fleet: string; version: number }) => void }): Promise<ExpiryOutcome[]> {
  const { db } = options
  const settled: ExpiryOutcome[] = []
  for (const due of await listDueExpiries(db)) {
    if (!(await claimExpiry(db, due.versionId))) continue
    if (!due.active || due.parent === null) {
      await settleExpiry(db, due.versionId, 'superseded', null)
      settled.push({ fleet: due.fleet, version: due.number, outcome: 'superseded', restoredBy: null })
      continue
    }
    try {
      const restored = await rollbackToVersion({
        db,
        fleet: due.fleet,
        number: due.parent,
        actor: EXPIRY_ACTOR,
        message: `Expired: version ${due.number} reached its time limit; back to version ${due.parent}`,
        keepDraft: true,
      })
      await settleExpiry(db, due.versionId, 'rolled-back', restored.number)
      settled.push({ fleet: due.fleet, version: due.number, outcome: 'rolled-back', restoredBy: restored.number })
    } catch (err) {
      // Same content as the parent already active (nothing to undo), or the fleet is gone: settled.
      if (err instanceof LegationError && (err.code === 'VERSION.ALREADY_ACTIVE' || err.code === 'FLEET.NOT_FOUND')) {
        await settleExpiry(db, due.versionId, 'superseded', null)
        settled.push({ fleet: due.fleet, version: due.number, outcome: 'superseded', restoredBy: null })
        continue
      }
      await settleExpiry(db, due.versionId, null, null)
      // A staged rollout holds the fleet: the expiry waits for it to end (it retries every round, quietly).
      if (err instanceof LegationError && err.code === 'ROLLOUT.OPEN') continue
      options.onError(err, { fleet: due.fleet, version: due.number })
    }
  }
  return settled
}
