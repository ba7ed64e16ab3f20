import type { AuditEntry, Grant } from '@/server/contract'
import { describeGrants } from '../auth/can'

type Detail = Record<string, unknown>

function isGrants(value: unknown): value is Grant[] {
  return Array.isArray(value) && value.every((g) => typeof g === 'object' && g !== null && typeof (g as Grant).role === 'string' && typeof (g as Grant).fleets === 'string')
}

function counts(value: unknown): string | null {
  if (typeof value !== 'object' || value === null) return null
  const c = value as { added?: unknown; modified?: unknown; removed?: unknown }
  if (typeof c.added !== 'number' || typeof c.modified !== 'number' || typeof c.removed !== 'number') return null
  return `+${c.added} ~${c.modified} −${c.removed}`
}

/** A rollback over pending draft changes records what it discarded (server/services/rollback.ts). */
function discardedDraft(value: unknown): string | null {
  const total = typeof value === 'object' && value !== null ? (value as { total?: unknown }).total : undefined
  return typeof total === 'number' && total > 0 ? `discarded ${total} uncommitted draft change${total === 1 ? '' : 's'}` : null
}

const quote = (value: unknown): string | null => (typeof value === 'string' && value !== '' ? `“${value}”` : null)

/** Everything else, as `key: value` pairs on one line. */
function generic(detail: Detail): string {
  return Object.entries(detail)
    .map(([k, v]) => `${k}: ${typeof v === 'string' ? v : isGrants(v) ? describeGrants(v) : JSON.stringify(v)}`)
    .join(' · ')
}

/**
 * One line saying what an audit entry's `detail` holds, for the table: a commit's message and
 * change counts, the roles a user or token got, what an update changed. '' when there is no detail.
 */
export function describeDetail(entry: Pick<AuditEntry, 'action' | 'detail'>): string {
  const d = entry.detail
  // A failed password sign-in names whatever was typed as its actor: say so, lest it read as that user's doing.
  if (entry.action === 'auth.sign-in-failed' && (d === null || d === undefined)) return 'the user name as typed: a wrong password, or no such enabled user'
  if (d === null || d === undefined) return ''
  if (typeof d !== 'object' || Array.isArray(d)) return JSON.stringify(d)
  const detail = d as Detail
  const parts: Array<string | null> = (() => {
    switch (entry.action) {
      case 'version.commit':
        return [quote(detail['message']), counts(detail['changes'])]
      case 'version.rollback':
        return [typeof detail['rollbackOf'] === 'number' ? `to the content of v${detail['rollbackOf']}` : null, quote(detail['message']), discardedDraft(detail['discardedDraft'])]
      case 'fleet.import':
        return [quote(detail['message'])]
      case 'token.create':
        return [typeof detail['kind'] === 'string' ? `${detail['kind']} token` : null, isGrants(detail['grants']) ? describeGrants(detail['grants']) : null]
      case 'user.create':
      case 'user.roles':
      case 'user.update': {
        const changed = Array.isArray(detail['changed']) ? (detail['changed'] as unknown[]).filter((c): c is string => typeof c === 'string') : []
        return [changed.length > 0 ? `changed ${changed.join(', ')}` : null, isGrants(detail['grants']) ? describeGrants(detail['grants']) : null]
      }
      default:
        return [generic(detail)]
    }
  })()
  const line = parts.filter((p): p is string => p !== null && p !== '').join(' · ')
  return line || generic(detail)
}
