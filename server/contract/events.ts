import { z } from 'zod'
import { ResourceKeySchema } from './common'
import { VersionOriginSchema } from './versions'

/**
 * Everything the event feed (GET /events, Server-Sent Events) carries. Store writes publish these
 * through Postgres NOTIFY in the same transaction, so every replica's feed sees every replica's
 * changes, and only committed ones.
 */
export const LegationEventSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.enum(['fleet.created', 'fleet.updated', 'fleet.deleted']), fleet: z.string(), actor: z.string(), at: z.string() }).readonly(),
  z
    .object({ kind: z.literal('draft.changed'), fleet: z.string(), draftRevision: z.number().int(), change: z.enum(['put', 'delete', 'reset']), resource: ResourceKeySchema.optional(), actor: z.string(), at: z.string() })
    .readonly(),
  z
    .object({ kind: z.literal('version.created'), fleet: z.string(), version: z.number().int(), origin: VersionOriginSchema, rollbackOf: z.number().int().optional(), actor: z.string(), at: z.string() })
    .readonly(),
  /** A replica's proxy status rows changed (connect, ACK, NACK, disconnect): refetch proxies. */
  z.object({ kind: z.literal('proxy.changed'), fleet: z.string().nullable(), nodeIds: z.array(z.string()).readonly(), at: z.string() }).readonly(),
  /** Local to the replica that built it: the snapshot it now serves, or why it kept the previous one. */
  z.object({ kind: z.literal('snapshot.published'), fleet: z.string(), version: z.number().int(), at: z.string() }).readonly(),
  /** A staged rollout started, moved (stage, pause, halt) or ended (#12 item 3). */
  z
    .object({ kind: z.literal('rollout.changed'), fleet: z.string(), rollout: z.string(), state: z.string(), stage: z.number().int(), toVersion: z.number().int(), actor: z.string(), at: z.string() })
    .readonly(),
  z
    .object({ kind: z.literal('snapshot.rejected'), fleet: z.string(), version: z.number().int(), issues: z.array(z.object({ path: z.string(), message: z.string() }).readonly()).readonly(), at: z.string() })
    .readonly(),
])
export type LegationEvent = z.infer<typeof LegationEventSchema>
export type LegationEventKind = LegationEvent['kind']
export const LEGATION_EVENT_KINDS: readonly LegationEventKind[] = ['fleet.created', 'fleet.updated', 'fleet.deleted', 'draft.changed', 'version.created', 'proxy.changed', 'rollout.changed', 'snapshot.published', 'snapshot.rejected']

/** GET /events?fleet=&kinds= */
export const EventsQuery = z.object({ fleet: z.string().min(1).optional() })
