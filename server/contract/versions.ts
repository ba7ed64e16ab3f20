import { z } from 'zod'
import { ChangeCountsSchema, resourceKeyShape, ResourceChangeSchema, ResourceJsonSchema } from './common'

export const CommitInput = z.strictObject({ message: z.string().trim().min(1, 'a commit needs a message').max(2000) })
export type CommitInput = z.infer<typeof CommitInput>
export const RollbackInput = z.strictObject({ message: z.string().trim().max(2000).optional() }).default({})
export type RollbackInput = z.infer<typeof RollbackInput>

/** A version number in a path. Postgres stores them as int4, so larger numbers cannot exist. */
export const VersionNumber = z.coerce.number({ error: 'expected a version number' }).int().min(1, 'versions start at 1').max(2_147_483_647, 'version numbers are at most 2147483647')

export const VersionOriginSchema = z.enum(['COMMIT', 'ROLLBACK', 'IMPORT'])
export type VersionOrigin = z.infer<typeof VersionOriginSchema>

export const VersionSummarySchema = z
  .object({
    number: z.number().int(),
    message: z.string(),
    author: z.string(),
    createdAt: z.string(),
    origin: VersionOriginSchema,
    rollbackOf: z.number().int().nullable(),
    parent: z.number().int().nullable(),
    contentHash: z.string(),
    resourceCount: z.number().int(),
    changes: ChangeCountsSchema,
    active: z.boolean(),
  })
  .readonly()
export type VersionSummary = z.infer<typeof VersionSummarySchema>

export const VersionDetailSchema = z.intersection(
  VersionSummarySchema,
  z
    .object({
      resources: z.array(z.object({ ...resourceKeyShape, hash: z.string(), resource: ResourceJsonSchema })),
      /** type URL → version_info of this version's xDS snapshot (null until a replica has built it). */
      xdsTypeVersions: z.record(z.string(), z.string()).nullable(),
    })
    .readonly(),
)
export type VersionDetail = z.infer<typeof VersionDetailSchema>

/** GET /fleets/{fleet}/versions/{a}/diff/{b} */
export const VersionDiffSchema = z
  .object({ fleet: z.string(), from: z.number().int(), to: z.number().int(), changes: z.array(ResourceChangeSchema), counts: ChangeCountsSchema })
  .readonly()
export type VersionDiff = z.infer<typeof VersionDiffSchema>

/** Per version: how many connected proxies run it and how long the last of them took. */
export const VersionConvergenceSchema = z
  .object({ version: z.number().int(), proxies: z.number().int(), onVersion: z.number().int(), convergenceMs: z.number().nullable() })
  .readonly()
export type VersionConvergence = z.infer<typeof VersionConvergenceSchema>

/** A row of GET …/versions: the summary plus its convergence (null: not computed). */
export const VersionListItemSchema = z.intersection(VersionSummarySchema, z.object({ convergence: VersionConvergenceSchema.nullable() }).readonly())
export type VersionListItem = z.infer<typeof VersionListItemSchema>

export const VersionListResponse = z.object({ versions: z.array(VersionListItemSchema) })
