import { z } from 'zod'
import { IMPORT_FINDING_CODES, IMPORT_FORMATS } from '../config/import/findings'
import { ChangeCountsSchema, ResourceChangeSchema, ResourceJsonSchema, ResourceKeySchema, ResourceTypeSchema } from './common'
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
const draftReplacedShape = {
  fleet: z.string(),
  previousDraftRevision: z.number().int(),
  draftRevision: z.number().int(),
  dryRun: z.boolean(),
  changes: z.array(ResourceChangeSchema),
  counts: ChangeCountsSchema.and(z.object({ unchanged: z.number().int() })),
}
export const DraftReplacedSchema = z.object(draftReplacedShape).readonly()
export type DraftReplaced = z.infer<typeof DraftReplacedSchema>

export { IMPORT_FINDING_CODES, IMPORT_FORMATS }
export const ImportFormatSchema = z.enum(IMPORT_FORMATS, { error: `format must be one of ${IMPORT_FORMATS.join(', ')} (or left out: detected)` })
export type ImportFormat = z.infer<typeof ImportFormatSchema>
export const ImportModeSchema = z.enum(['replace', 'merge'], { error: "mode must be 'replace' (the draft becomes the import) or 'merge' (the import is added to the draft)" })
export type ImportMode = z.infer<typeof ImportModeSchema>

/**
 * POST /fleets/{fleet}/import: an Envoy config as text (a static bootstrap, an admin /config_dump,
 * YAML or JSON; or a bundle), into the fleet's draft. `format` is detected when left out.
 */
export const ImportInput = z.strictObject({
  content: z.string({ error: 'content: the config to import, as text (YAML or JSON)' }).min(1, 'content is empty: paste or upload an envoy.yaml, a config dump or a bundle'),
  format: ImportFormatSchema.optional(),
  options: z
    .strictObject({
      /** Inline route_config of HTTP connection managers → RouteConfigurations served over RDS. */
      splitRoutes: z.boolean().optional(),
      /** Inline load_assignment of STATIC clusters → ClusterLoadAssignments, the clusters EDS. */
      splitEndpoints: z.boolean().optional(),
      /** replace (default): the draft becomes what is imported; merge: imported resources replace those of the same name, the rest stays. */
      mode: ImportModeSchema.optional(),
    })
    .optional(),
  /** Only answer what it would change (also `?dryRun=true`). */
  dryRun: z.boolean().optional(),
})
export type ImportInput = z.infer<typeof ImportInput>

/** A part of the imported config not taken over as it was (server/config/import/findings.ts). */
export const ImportFindingSchema = z
  .object({
    severity: z.enum(['warning', 'info']),
    code: z.enum(IMPORT_FINDING_CODES),
    path: z.string(),
    message: z.string(),
    line: z.number().int().nullable(),
    resource: ResourceKeySchema.optional(),
  })
  .readonly()
export type ImportFinding = z.infer<typeof ImportFindingSchema>

/** The answer of an import: the draft change (as the bulk PUT answers it), the format read and the findings. */
export const ImportResultSchema = z
  .object({ ...draftReplacedShape, format: ImportFormatSchema, mode: ImportModeSchema, resources: z.number().int(), findings: z.array(ImportFindingSchema) })
  .readonly()
export type ImportResult = z.infer<typeof ImportResultSchema>
