import type { Db, Prisma } from './db'
import { LegationError } from '../errors'
import { EVENT_CHANNEL, type LegationEvent } from '../events/types'

export type Tx = Prisma.TransactionClient

/** Generous limits: a commit of a large fleet (10k resources) writes many rows in one transaction. */
export const TX_OPTIONS = { maxWait: 10_000, timeout: 60_000 } as const

export type LockedFleet = Readonly<{ id: string; name: string; draft_revision: number; active_version_id: string | null }>

/**
 * Row-locks the fleet for the rest of the transaction. Every write to a fleet's draft or versions
 * goes through this lock, so concurrent edits, commits and rollbacks of one fleet serialise, and the
 * version numbers they allocate never collide.
 */
export async function lockFleetOrThrow(tx: Tx, name: string): Promise<LockedFleet> {
  const rows = await tx.$queryRaw<LockedFleet[]>`SELECT id, name, draft_revision, active_version_id FROM fleet WHERE name = ${name} FOR UPDATE`
  const fleet = rows[0]
  if (!fleet) throw new LegationError('FLEET.NOT_FOUND', `fleet '${name}' does not exist`)
  return fleet
}

/** Delivered to every replica's LISTENer when (and only if) the transaction commits. */
export async function notifyEvent(tx: Tx, event: LegationEvent): Promise<void> {
  await tx.$executeRaw`SELECT pg_notify(${EVENT_CHANNEL}, ${JSON.stringify(event)})`
}

/** One audit_event row; a field left out is stored as NULL. */
export type AuditEntry = { actor: string; action: string; fleetName: string | null; target: string; beforeHash?: string | null; afterHash?: string | null; detail?: Prisma.InputJsonValue }

/**
 * One audit_event row. A field left out (no hash, no detail) is stored as NULL. With `event`, the
 * same statement also notifies it (notifyEvent): one round trip for the two on a commit's path.
 */
export async function recordAudit(tx: Tx, entry: AuditEntry, event?: LegationEvent): Promise<void> {
  await tx.$executeRawUnsafe(
    `WITH audited AS (
       INSERT INTO audit_event (actor, action, fleet_name, target, before_hash, after_hash, detail) VALUES ($1, $2, $3, $4, $5, $6, $7::jsonb) RETURNING id
     ) SELECT ${event ? 'pg_notify($8, $9)' : 'id'} FROM audited`,
    entry.actor,
    entry.action,
    entry.fleetName,
    entry.target,
    entry.beforeHash ?? null,
    entry.afterHash ?? null,
    entry.detail === undefined ? null : JSON.stringify(entry.detail),
    ...(event ? [EVENT_CHANNEL, JSON.stringify(event)] : []),
  )
}

export function inTransaction<T>(db: Db, fn: (tx: Tx) => Promise<T>): Promise<T> {
  return db.$transaction(fn, TX_OPTIONS)
}

/** A unique-constraint violation, recognised by code rather than class identity. */
export function isUniqueViolation(err: unknown): boolean {
  if (typeof err !== 'object' || err === null) return false
  const { code, meta } = err as { code?: unknown; meta?: { driverAdapterError?: { cause?: { originalCode?: unknown } } } }
  // P2002 from a model query; a raw query's violation is P2010 carrying PostgreSQL's own code.
  return code === 'P2002' || (code === 'P2010' && meta?.driverAdapterError?.cause?.originalCode === '23505')
}
