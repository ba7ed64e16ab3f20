import type { FleetSelector } from '../config/fleet-match'
import type { FleetSummary } from '../contract'
import type { Db } from '../store/db'
import { deleteFleetRow, getFleetOrThrow, insertFleet, updateFleetRow } from '../store/fleets'
import { inTransaction, lockFleetOrThrow, notifyEvent, recordAudit } from '../store/tx'
import type { Prisma } from '../store/db'

/** Create a fleet (empty draft, no version yet) → audit → notify. */
export async function createFleet(options: { db: Db; name: string; description: string; selector?: FleetSelector | null; actor: string }): Promise<FleetSummary> {
  const { db, name, description, actor } = options
  await inTransaction(db, async (tx) => {
    await insertFleet(tx, { name, description, selector: options.selector ?? null })
    await recordAudit(tx, { actor, action: 'fleet.create', fleetName: name, target: `fleet/${name}` })
    await notifyEvent(tx, { kind: 'fleet.created', fleet: name, actor, at: new Date().toISOString() })
  })
  return getFleetOrThrow({ db, name })
}

/** Change a fleet's description or selector → audit (with what changed) → notify. */
export async function updateFleet(options: { db: Db; name: string; description?: string; selector?: FleetSelector | null; actor: string }): Promise<FleetSummary> {
  const { db, name, description, selector, actor } = options
  const change = { ...(description === undefined ? {} : { description }), ...(selector === undefined ? {} : { selector }) }
  await inTransaction(db, async (tx) => {
    await lockFleetOrThrow(tx, name)
    await updateFleetRow(tx, name, change)
    await recordAudit(tx, { actor, action: 'fleet.update', fleetName: name, target: `fleet/${name}`, detail: change as Prisma.InputJsonValue })
    await notifyEvent(tx, { kind: 'fleet.updated', fleet: name, actor, at: new Date().toISOString() })
  })
  return getFleetOrThrow({ db, name })
}

/** Delete the fleet with its draft and its whole history; the audit log keeps the record. */
export async function deleteFleet(options: { db: Db; name: string; actor: string }): Promise<void> {
  const { db, name, actor } = options
  await inTransaction(db, async (tx) => {
    const fleet = await lockFleetOrThrow(tx, name)
    await deleteFleetRow(tx, fleet.id)
    await recordAudit(tx, { actor, action: 'fleet.delete', fleetName: name, target: `fleet/${name}` })
    await notifyEvent(tx, { kind: 'fleet.deleted', fleet: name, actor, at: new Date().toISOString() })
  })
}
