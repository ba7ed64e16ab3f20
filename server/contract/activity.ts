import { z } from 'zod'

export const ACTIVITY_KINDS = ['commit', 'rollback', 'import', 'draft', 'fleet', 'nack', 'connected', 'disconnected', 'refused'] as const
export const ActivityKindSchema = z.enum(ACTIVITY_KINDS)
export type ActivityKind = z.infer<typeof ActivityKindSchema>

export const ActivityItemSchema = z
  .object({
    at: z.string(),
    kind: ActivityKindSchema,
    fleet: z.string().nullable(),
    actor: z.string().optional(),
    nodeId: z.string().optional(),
    version: z.number().int().optional(),
    message: z.string(),
  })
  .readonly()
export type ActivityItem = z.infer<typeof ActivityItemSchema>

/** GET /activity?fleet=&limit= and GET /audit?fleet=&limit= */
export const ActivityQuery = z.object({ fleet: z.string().min(1).optional(), limit: z.coerce.number().int().min(1).max(500).optional() })
export const ActivityResponse = z.object({ items: z.array(ActivityItemSchema) })
export const AuditQuery = z.object({ fleet: z.string().optional(), limit: z.coerce.number().int().min(1).max(1000).optional() })

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
