import type { AuditEntry, AuditFilter } from '../contract'
import type { Db, Prisma } from './db'

export type ListAuditOptions = AuditFilter & { db: Db; fleets?: readonly string[]; limit?: number }

/** The audit log, newest first, narrowed by fleet (or the fleets a caller may read), actor, action and time. */
export async function listAudit(options: ListAuditOptions): Promise<AuditEntry[]> {
  const { db, fleet, fleets, actor, action, since, until } = options
  const where: Prisma.AuditEventWhereInput = {
    ...(fleet ? { fleetName: fleet } : fleets ? { fleetName: { in: [...fleets] } } : {}),
    ...(actor ? { actor: { contains: actor, mode: 'insensitive' } } : {}),
    // `token.*`: every action of the family; anything else: that action.
    ...(action ? (action.endsWith('.*') ? { action: { startsWith: action.slice(0, -1) } } : { action }) : {}),
    ...(since || until ? { at: { ...(since ? { gte: new Date(since) } : {}), ...(until ? { lt: new Date(until) } : {}) } } : {}),
  }
  const rows = await db.auditEvent.findMany({ where, orderBy: { id: 'desc' }, take: Math.min(Math.max(options.limit ?? 100, 1), 1000) })
  return rows.map((r) => ({ id: r.id.toString(), at: r.at.toISOString(), actor: r.actor, action: r.action, fleet: r.fleetName, target: r.target, beforeHash: r.beforeHash, afterHash: r.afterHash, detail: r.detail }))
}
