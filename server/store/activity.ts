import { ACTIVITY_FILTER_KINDS, type ActivityFilter, type ActivityItem, type ActivityKind } from '../contract'
import type { Db } from './db'

/** Connection events closer together than this belong to one storm, shown as one line per kind and fleet. */
export const STORM_GAP_SECONDS = 30
/** How many of the newest connection events are read to find the storms (a larger storm is counted in part). */
export const STORM_SCAN_ROWS = 10_000

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
    case 'draft.replace': {
      const c = (detail ?? {}) as { added?: number; modified?: number; removed?: number }
      return `replaced the draft with a bundle: ${c.added ?? 0} added, ${c.modified ?? 0} changed, ${c.removed ?? 0} removed`
    }
    case 'draft.import': {
      const c = (detail ?? {}) as { added?: number; modified?: number; removed?: number; format?: string }
      return `imported ${c.format === 'config-dump' ? 'a config dump' : c.format === 'bundle' ? 'a bundle' : 'an Envoy bootstrap'} into the draft: ${c.added ?? 0} added, ${c.modified ?? 0} changed, ${c.removed ?? 0} removed`
    }
    default:
      return `${action.replace('.', ' ')} ${target}`
  }
}

type StormRow = { kind: string; fleet: string | null; events: number; nodes: number; last_at: Date; first_at: Date; node_id: string; message: string | null }

/**
 * The newest connection events grouped into storms (gaps-and-islands: a gap of more than
 * STORM_GAP_SECONDS starts a new one), one line per storm, kind and fleet, newest first.
 */
const STORMS_SQL = `
WITH recent AS (
  SELECT id, at, kind, fleet, node_id, message FROM proxy_event
   WHERE kind = ANY($1::text[]) AND ($2::text IS NULL OR fleet = $2) AND ($3::text[] IS NULL OR fleet = ANY($3::text[]))
   ORDER BY id DESC LIMIT $4
), marked AS (
  SELECT *, CASE WHEN lag(at) OVER w - at <= make_interval(secs => $5) THEN 0 ELSE 1 END AS starts FROM recent WINDOW w AS (ORDER BY at DESC, id DESC)
), storms AS (
  SELECT *, sum(starts) OVER (ORDER BY at DESC, id DESC) AS storm FROM marked
)
SELECT kind, fleet, count(*)::int AS events, count(DISTINCT node_id)::int AS nodes, max(at) AS last_at, min(at) AS first_at,
       (array_agg(node_id ORDER BY id DESC))[1] AS node_id, (array_agg(message ORDER BY id DESC))[1] AS message
  FROM storms GROUP BY storm, kind, fleet ORDER BY max(at) DESC LIMIT $6`

function describeStorm(r: StormRow): string {
  if (r.nodes > 1) return `${r.nodes} proxies ${r.kind}${r.events > r.nodes ? ` (${r.events} times)` : ''}`
  const times = r.events > 1 ? ` ${r.events} times` : ''
  return `${r.node_id} ${r.kind}${times}${r.message ? `${times ? ', the last' : ''}: ${r.message}` : ''}`
}

const newestFirst = (a: ActivityItem, b: ActivityItem) => (a.at < b.at ? 1 : a.at > b.at ? -1 : 0)

/**
 * Recent commits, rollbacks, draft edits, NACKs and proxy connects/disconnects, newest first, or one
 * of those filters. Each filter is read with its own limit, so connects never push NACKs or changes
 * out of the feed (#11 item 7); connection storms are one line each ("312 proxies connected").
 */
export async function listActivity(options: { db: Db; fleet?: string; fleets?: readonly string[]; kind?: ActivityFilter; limit?: number }): Promise<ActivityItem[]> {
  const { db } = options
  const limit = Math.min(Math.max(options.limit ?? 50, 1), 500)
  const wanted = (filter: ActivityFilter) => options.kind === undefined || options.kind === filter
  // `fleets`: only these (the caller's readable fleets); entries of no fleet are then left out too.
  const fleetWhere = options.fleet ? { fleet: options.fleet } : options.fleets ? { fleet: { in: [...options.fleets] } } : {}

  const changes = async (): Promise<ActivityItem[]> => {
    const where = options.fleet ? { fleetName: options.fleet } : options.fleets ? { fleetName: { in: [...options.fleets] } } : {}
    const audit = await db.auditEvent.findMany({ where, orderBy: { id: 'desc' }, take: limit })
    return audit.map((a) => {
      const version = versionOf(a.target)
      return { at: a.at.toISOString(), kind: auditKind(a.action), fleet: a.fleetName, actor: a.actor, ...(version === undefined ? {} : { version }), message: describeAudit(a.action, a.target, a.detail) }
    })
  }

  const nacks = async (): Promise<ActivityItem[]> => {
    const rows = await db.proxyEvent.findMany({ where: { kind: 'nack', ...fleetWhere }, orderBy: { id: 'desc' }, take: limit })
    return rows.map((p) => ({
      at: (p.lastAt ?? p.at).toISOString(),
      kind: 'nack' as const,
      fleet: p.fleet,
      nodeId: p.nodeId,
      ...(p.fromVersion !== null ? { version: p.fromVersion } : {}),
      ...(p.repeatCount > 1 ? { count: p.repeatCount, firstAt: p.at.toISOString() } : {}),
      message: `${p.nodeId} rejected ${p.typeUrl?.split('.').at(-1) ?? 'config'}: ${p.message ?? ''}`,
    }))
  }

  const connections = async (): Promise<ActivityItem[]> => {
    const rows = await db.$queryRawUnsafe<StormRow[]>(
      STORMS_SQL,
      [...ACTIVITY_FILTER_KINDS.connections],
      options.fleet ?? null,
      options.fleet ? null : options.fleets ? [...options.fleets] : null,
      STORM_SCAN_ROWS,
      STORM_GAP_SECONDS,
      limit,
    )
    return rows.map((r) => ({
      at: r.last_at.toISOString(),
      kind: r.kind as ActivityKind,
      fleet: r.fleet,
      ...(r.nodes === 1 ? { nodeId: r.node_id } : { nodes: r.nodes }),
      ...(r.events > 1 ? { count: r.events, firstAt: r.first_at.toISOString() } : {}),
      message: describeStorm(r),
    }))
  }

  const parts = await Promise.all([wanted('changes') ? changes() : [], wanted('nacks') ? nacks() : [], wanted('connections') ? connections() : []])
  return parts.flat().sort(newestFirst)
}
