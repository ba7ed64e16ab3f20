import type { ResourceType } from '../config/resource-types'

/**
 * Everything the event feed (SSE) carries. Store writes publish these through Postgres NOTIFY in the
 * same transaction, so every replica's feed sees every replica's changes, and only committed ones.
 */
export type LegationEvent =
  | Readonly<{ kind: 'fleet.created' | 'fleet.updated' | 'fleet.deleted'; fleet: string; actor: string; at: string }>
  | Readonly<{ kind: 'draft.changed'; fleet: string; draftRevision: number; change: 'put' | 'delete' | 'reset'; resource?: { type: ResourceType; name: string }; actor: string; at: string }>
  | Readonly<{ kind: 'version.created'; fleet: string; version: number; origin: 'COMMIT' | 'ROLLBACK' | 'IMPORT'; rollbackOf?: number; actor: string; at: string }>

export type LegationEventKind = LegationEvent['kind']

export const EVENT_CHANNEL = 'legation_events'
