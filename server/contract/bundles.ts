import { z } from 'zod'
import { ChangeCountsSchema, ResourceChangeSchema, ResourceJsonSchema, ResourceTypeSchema } from './common'
import { VersionNumber } from './versions'

/**
 * One document of a bundle (server/config/bundle.ts): a resource of the fleet, as the export writes
 * it and the bulk draft PUT reads it. `resource` is the Envoy v3 resource as proto3 JSON (checked
 * against its proto by the server); its name field may be left out (filled in from `name`).
 */
export const BundleDocumentSchema = z.strictObject({
  type: ResourceTypeSchema,
  name: z.string().min(1, 'a resource name').max(253),
  resource: ResourceJsonSchema,
})
export type BundleDocument = z.infer<typeof BundleDocumentSchema>

/** The media type a bundle is served with. */
export const BUNDLE_CONTENT_TYPE = 'application/yaml; charset=utf-8'

/** PUT /fleets/{fleet}/draft: a whole bundle (YAML documents, or a JSON array of them). */
export const BundleSchema = z.array(BundleDocumentSchema)

/** `?version=N|draft&format=bundle|bootstrap` of GET /fleets/{fleet}/export; no version: the active one. */
export const ExportQuery = z.object({
  version: z.union([z.literal('draft'), VersionNumber]).optional(),
  /** bundle (default), or bootstrap: an Envoy static bootstrap (server/config/static-bootstrap.ts). */
  format: z.enum(['bundle', 'bootstrap'], { error: "format must be 'bundle' or 'bootstrap'" }).optional(),
})
export type ExportQuery = z.infer<typeof ExportQuery>

/**
 * The answer of PUT /fleets/{fleet}/draft: what the bundle changed against the previous draft, per
 * resource (unified YAML diff), and the new draft revision (the ETag). With `?dryRun=true` nothing
 * is written and `draftRevision` is the unchanged one.
 */
export const DraftReplacedSchema = z
  .object({
    fleet: z.string(),
    previousDraftRevision: z.number().int(),
    draftRevision: z.number().int(),
    dryRun: z.boolean(),
    changes: z.array(ResourceChangeSchema),
    counts: ChangeCountsSchema.and(z.object({ unchanged: z.number().int() })),
  })
  .readonly()
export type DraftReplaced = z.infer<typeof DraftReplacedSchema>
