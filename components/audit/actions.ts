import type { BadgeTone } from '../ui/badge'

/**
 * The actions the server records (server/services: recordAudit calls), grouped by family for the
 * filter. `family.*` asks the API for every action of the family.
 */
export const AUDIT_ACTION_GROUPS: ReadonlyArray<Readonly<{ family: string; label: string; actions: readonly string[] }>> = [
  { family: 'version', label: 'Versions', actions: ['version.commit', 'version.rollback'] },
  { family: 'draft', label: 'Draft', actions: ['draft.create', 'draft.update', 'draft.delete', 'draft.discard', 'draft.replace', 'draft.import'] },
  { family: 'fleet', label: 'Fleets', actions: ['fleet.create', 'fleet.update', 'fleet.delete', 'fleet.import'] },
  { family: 'token', label: 'Tokens', actions: ['token.create', 'token.revoke'] },
  { family: 'user', label: 'Users', actions: ['user.create', 'user.update', 'user.roles', 'user.delete'] },
  { family: 'auth', label: 'Sign-in', actions: ['auth.sign-in', 'auth.sign-in-failed', 'auth.sign-out', 'auth.setup'] },
]

const KNOWN = new Set(AUDIT_ACTION_GROUPS.flatMap((g) => [`${g.family}.*`, ...g.actions]))

export function isKnownAction(action: string): boolean {
  return KNOWN.has(action)
}

/** A colour per kind of consequence, always next to the action's name. */
export function actionTone(action: string): BadgeTone {
  if (action === 'auth.sign-in-failed' || action.endsWith('.delete') || action.endsWith('.revoke') || action === 'draft.discard') return 'danger'
  if (action.startsWith('version.')) return 'success'
  if (action.startsWith('token.') || action.startsWith('user.') || action === 'auth.setup') return 'warning'
  if (action.startsWith('auth.')) return 'neutral'
  return 'info'
}
