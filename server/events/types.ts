import type { ResourceType } from '../config/resource-types'

/**
 * Everything the event feed (SSE) carries. Store writes publish these through Postgres NOTIFY in the
 * same transaction, so every replica's feed sees every replica's changes, and only committed ones.
 */
export type LegationEvent =
  | Readonly<{ kind: 'fleet.created' | 'fleet.updated' | 'fleet.deleted'; fleet: string; actor: string; at: string }>
  | Readonly<{ kind: 'draft.changed'; fleet: string; draftRevision: number; change: 'put' | 'delete' | 'reset'; resource?: { type: ResourceType; name: string }; actor: string; at: string }>
  | Readonly<{ kind: 'version.created'; fleet: string; version: number; origin: 'COMMIT' | 'ROLLBACK' | 'IMPORT'; rollbackOf?: number; actor: string; at: string }>
  /** A replica's proxy status rows changed (connect, ACK, NACK, disconnect): refetch proxies. */
  | Readonly<{ kind: 'proxy.changed'; fleet: string | null; nodeIds: readonly string[]; at: string }>
  /** Local to the replica that built it: the snapshot it now serves, or why it kept the previous one. */
  | Readonly<{ kind: 'snapshot.published'; fleet: string; version: number; at: string }>
  | Readonly<{ kind: 'snapshot.rejected'; fleet: string; version: number; issues: ReadonlyArray<{ path: string; message: string }>; at: string }>

export type LegationEventKind = LegationEvent['kind']

export const EVENT_CHANNEL = 'legation_events'
