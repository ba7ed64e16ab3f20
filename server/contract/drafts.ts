import { z } from 'zod'
import { TemplateChangeSchema, VariableChangeSchema } from './variables'
import { ChangeCountsSchema, ConfigIssueSchema, FindingSchema, resourceKeyShape, ResourceChangeSchema, ResourceJsonSchema, ResourceTypeSchema } from './common'

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

/**
 * PUT/POST …/draft/{type}[/{name}]: the resource as saved, plus what the config analysis finds in
 * the whole draft after the save (each finding names its resource). A save is never refused for a
 * finding; the commit is.
 */
export const DraftResourceSavedSchema = z.intersection(DraftResourceViewSchema, z.object({ findings: z.array(FindingSchema) }).readonly())
export type DraftResourceSaved = z.infer<typeof DraftResourceSavedSchema>

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
    /** The config analysis of the draft: errors refuse the commit, warnings need acceptWarnings. */
    findings: z.array(FindingSchema),
    /** Variables added, changed or removed (#14 item 4); a secret's values are never shown. */
    variables: z.array(VariableChangeSchema),
    /** The template version the active version is built on, and the one a commit would use; null: no template. */
    template: TemplateChangeSchema.nullable(),
  })
  .readonly()
export type DraftDiff = z.infer<typeof DraftDiffSchema>

/**
 * POST /fleets/{fleet}/draft/check: a dry run of the commit checks. With an empty body (or `{}`),
 * the draft as it is; with `{ type, resource, name? }`, the draft as it would be with that resource
 * saved (name: the resource's own name field when not given). Nothing is written.
 */
export const DraftCheckInput = z
  .strictObject({
    type: ResourceTypeSchema.optional(),
    name: z.string().min(1, 'a resource name').max(253).optional(),
    resource: z.unknown().optional(),
  })
  .refine((v) => (v.type === undefined) === (v.resource === undefined), { message: 'give both type and resource, or neither', path: ['resource'] })
export type DraftCheckInput = z.infer<typeof DraftCheckInput>

export const DraftCheckResultSchema = z
  .object({
    fleet: z.string(),
    draftRevision: z.number().int(),
    /** The resource checked in place of the draft's (null: the draft as it is). */
    checked: z.object(resourceKeyShape).readonly().nullable(),
    /** Proto problems of the given resource, then what a commit would be refused for (references, address clashes). */
    issues: z.array(ConfigIssueSchema),
    findings: z.array(FindingSchema),
    counts: z.object({ issues: z.number().int(), errors: z.number().int(), warnings: z.number().int() }).readonly(),
    /** Whether a commit of this would go through: no issues and no error findings (warnings then need acceptWarnings). */
    committable: z.boolean(),
  })
  .readonly()
export type DraftCheckResult = z.infer<typeof DraftCheckResultSchema>
