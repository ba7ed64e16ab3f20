import type { ActivityItem, ActivityKind } from '../contract'
import type { Db } from './db'

const PROXY_KINDS = ['nack', 'connected', 'disconnected', 'refused'] as const

function auditKind(action: string): ActivityKind {
  if (action === 'version.commit') return 'commit'
  if (action === 'version.rollback') return 'rollback'
  if (action === 'fleet.import') return 'import'
  if (action.startsWith('draft.')) return 'draft'
  return 'fleet'
}

function versionOf(target: string): number | undefined {
  const m = /^version\/(\d+)$/.exec(target)
  return m ? Number(m[1]) : undefined
}

function describeAudit(action: string, target: string, detail: unknown): string {
  const d = (detail ?? {}) as { message?: string; rollbackOf?: number }
  switch (action) {
    case 'version.commit':
      return `committed ${target.replace('version/', 'v')}${d.message ? `: ${d.message}` : ''}`
    case 'version.rollback':
      return `rolled back to v${d.rollbackOf ?? '?'} as ${target.replace('version/', 'v')}`
    case 'fleet.import':
      return `imported ${target.replace('version/', 'v')}${d.message ? `: ${d.message}` : ''}`
    default:
      return `${action.replace('.', ' ')} ${target}`
  }
}

/** Recent commits, rollbacks, draft edits, NACKs and proxy connects/disconnects, newest first. */
export async function listActivity(options: { db: Db; fleet?: string; fleets?: readonly string[]; limit?: number }): Promise<ActivityItem[]> {
  const limit = Math.min(Math.max(options.limit ?? 50, 1), 500)
  // `fleets`: only these (the caller's readable fleets); entries of no fleet are then left out too.
  const where = options.fleet ? { fleetName: options.fleet } : options.fleets ? { fleetName: { in: [...options.fleets] } } : {}
  const [audit, proxy] = await Promise.all([
    options.db.auditEvent.findMany({ where, orderBy: { id: 'desc' }, take: limit }),
    options.db.proxyEvent.findMany({ where: { kind: { in: [...PROXY_KINDS] }, ...(options.fleet ? { fleet: options.fleet } : options.fleets ? { fleet: { in: [...options.fleets] } } : {}) }, orderBy: { id: 'desc' }, take: limit }),
  ])
  const items: ActivityItem[] = [
    ...audit.map((a) => {
      const version = versionOf(a.target)
      return { at: a.at.toISOString(), kind: auditKind(a.action), fleet: a.fleetName, actor: a.actor, ...(version === undefined ? {} : { version }), message: describeAudit(a.action, a.target, a.detail) }
    }),
    ...proxy.map((p) => ({
      at: p.at.toISOString(),
      kind: p.kind as ActivityKind,
      fleet: p.fleet,
      nodeId: p.nodeId,
      ...(p.fromVersion !== null ? { version: p.fromVersion } : {}),
      message: p.kind === 'nack' ? `${p.nodeId} rejected ${p.typeUrl?.split('.').at(-1) ?? 'config'}: ${p.message ?? ''}` : `${p.nodeId} ${p.kind}${p.message ? `: ${p.message}` : ''}`,
    })),
  ]
  return items.sort((a, b) => (a.at < b.at ? 1 : a.at > b.at ? -1 : 0)).slice(0, limit)
}
