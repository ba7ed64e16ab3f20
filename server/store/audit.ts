import type { AuditEntry } from '../contract'
import type { Db } from './db'

export async function listAudit(options: { db: Db; fleet?: string; fleets?: readonly string[]; limit?: number }): Promise<AuditEntry[]> {
  const rows = await options.db.auditEvent.findMany({
    where: options.fleet ? { fleetName: options.fleet } : options.fleets ? { fleetName: { in: [...options.fleets] } } : {},
    orderBy: { id: 'desc' },
    take: Math.min(Math.max(options.limit ?? 100, 1), 1000),
  })
  return rows.map((r) => ({ id: r.id.toString(), at: r.at.toISOString(), actor: r.actor, action: r.action, fleet: r.fleetName, target: r.target, beforeHash: r.beforeHash, afterHash: r.afterHash, detail: r.detail }))
}
