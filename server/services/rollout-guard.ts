import { LegationError } from '../errors'
import { openRolloutOf } from '../store/staged-rollouts'
import type { LockedFleet, Tx } from '../store/tx'

/**
 * While a staged rollout is open (running, paused, waiting for approval, or halted), the fleet's
 * versions are held: a commit or rollback would change what "the old version" is under the
 * rollout's feet. The operator completes (promote) or aborts it first. Runs under the fleet lock.
 */
export async function refuseDuringRolloutTx(tx: Tx, fleet: LockedFleet, what: 'commit' | 'rollback'): Promise<void> {
  const open = await openRolloutOf(tx, fleet.id)
  if (!open) return
  throw new LegationError(
    'ROLLOUT.OPEN',
    `fleet '${fleet.name}' has a staged rollout of version ${open.toVersion} (${open.state}, stage ${open.stage + 1} of ${open.stages.length}); promote it to the end or abort it before another ${what}`,
    [],
    { rollout: open.id, state: open.state, toVersion: open.toVersion },
  )
}
