import { z } from 'zod'

export const ACTIVITY_KINDS = ['commit', 'rollback', 'import', 'draft', 'fleet', 'nack', 'connected', 'disconnected', 'refused'] as const
export const ActivityKindSchema = z.enum(ACTIVITY_KINDS)
export type ActivityKind = z.infer<typeof ActivityKindSchema>

/**
 * One line of the feed. `at` is the latest time it covers. A line may stand for several events
 * (`count`, from `firstAt`): a NACK a proxy repeated, or a connection storm — the connects (or
 * disconnects, refusals) of one fleet close together in time, `nodes` distinct proxies
 * ("312 proxies connected"); `nodeId` is set when one proxy is concerned.
 */
export const ActivityItemSchema = z
  .object({
    at: z.string(),
    kind: ActivityKindSchema,
    fleet: z.string().nullable(),
    actor: z.string().optional(),
    nodeId: z.string().optional(),
    version: z.number().int().optional(),
    message: z.string(),
    count: z.number().int().min(2).optional(),
    nodes: z.number().int().min(1).optional(),
    firstAt: z.string().optional(),
  })
  .readonly()
export type ActivityItem = z.infer<typeof ActivityItemSchema>

/** The feed's filters: what people changed, what proxies rejected, proxies coming and going. */
export const ACTIVITY_FILTERS = ['changes', 'nacks', 'connections'] as const
export const ActivityFilterSchema = z.enum(ACTIVITY_FILTERS)
export type ActivityFilter = z.infer<typeof ActivityFilterSchema>
export const ACTIVITY_FILTER_KINDS: Readonly<Record<ActivityFilter, readonly ActivityKind[]>> = {
  changes: ['commit', 'rollback', 'import', 'draft', 'fleet'],
  nacks: ['nack'],
  connections: ['connected', 'disconnected', 'refused'],
}

/**
 * GET /activity?fleet=&kind=&limit=, newest first. `limit` applies to each kind of line on its own
 * (changes, NACKs, connections), so a burst of one never pushes the others out (#11 item 7).
 */
export const ActivityQuery = z.object({ fleet: z.string().min(1).optional(), kind: ActivityFilterSchema.optional(), limit: z.coerce.number().int().min(1).max(500).optional() })
export const ActivityResponse = z.object({ items: z.array(ActivityItemSchema) })
/**
 * GET /audit?fleet=&actor=&action=&since=&until=&limit=, newest first. `actor` matches part of the
 * actor's name (case-insensitive: `alice`, `token:ci`); `action` is one action (`token.create`) or
 * every action of a family (`token.*`); `since` (inclusive) and `until` (exclusive) are ISO times.
 */
export const AuditQuery = z.object({
  fleet: z.string().optional(),
  actor: z.string().trim().min(1).max(200).optional(),
  action: z
    .string()
    .trim()
    .regex(/^[a-z][a-z0-9-]*(\.([a-z0-9-]+|\*))?$/, 'an action such as token.create, or a family such as token.*')
    .optional(),
  since: z.iso.datetime({ offset: true }).optional(),
  until: z.iso.datetime({ offset: true }).optional(),
  limit: z.coerce.number().int().min(1).max(1000).optional(),
})
export type AuditFilter = Omit<z.infer<typeof AuditQuery>, 'limit'>

export const AuditEntrySchema = z
  .object({
    id: z.string(),
    at: z.string(),
    actor: z.string(),
    action: z.string(),
    fleet: z.string().nullable(),
    target: z.string(),
    beforeHash: z.string().nullable(),
    afterHash: z.string().nullable(),
    detail: z.unknown(),
  })
  .readonly()
export type AuditEntry = z.infer<typeof AuditEntrySchema>
export const AuditResponse = z.object({ entries: z.array(AuditEntrySchema) })
