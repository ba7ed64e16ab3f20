import { z } from 'zod'
import { ChangeCountsSchema, ConfigIssueSchema, resourceKeyShape, ResourceChangeSchema, ResourceJsonSchema } from './common'

export const DraftResourceViewSchema = z
  .object({
    ...resourceKeyShape,
    resource: ResourceJsonSchema,
    /** Optimistic-concurrency token: send it back as If-Match. */
    revision: z.number().int(),
    hash: z.string(),
    updatedBy: z.string(),
    updatedAt: z.string(),
  })
  .readonly()
export type DraftResourceView = z.infer<typeof DraftResourceViewSchema>

/** GET /fleets/{fleet}/draft (and /draft/{type}). */
export const DraftViewSchema = z.object({ fleet: z.string(), draftRevision: z.number().int(), resources: z.array(DraftResourceViewSchema) }).readonly()
export type DraftView = z.infer<typeof DraftViewSchema>

/** GET /fleets/{fleet}/draft/diff */
export const DraftDiffSchema = z
  .object({
    fleet: z.string(),
    draftRevision: z.number().int(),
    activeVersion: z.number().int().nullable(),
    changes: z.array(ResourceChangeSchema),
    counts: ChangeCountsSchema,
    /** What a commit of this draft would be refused for. */
    issues: z.array(ConfigIssueSchema),
  })
  .readonly()
export type DraftDiff = z.infer<typeof DraftDiffSchema>
