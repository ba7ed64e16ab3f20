import { TemplateChangeSchema, VariableChangeSchema, VariableViewSchema } from './variables'
import { z } from 'zod'
import { ChangeCountsSchema, ChangeKindSchema, resourceKeyShape, ResourceChangeSchema, ResourceJsonSchema } from './common'
import { VersionConvergenceSchema } from './rollout'

/**
 * POST …/commit. Warnings of the config analysis refuse a commit (409 COMMIT.UNCONFIRMED_WARNINGS
 * listing them) unless `acceptWarnings` is true; errors always do (422 CONFIG.INVALID).
 */
/** The longest an expiring change may run: a week. */
export const MAX_EXPIRY_SECONDS = 7 * 24 * 3600

export const CommitInput = z.strictObject({
  message: z.string().trim().min(1, 'a commit needs a message').max(2000),
  acceptWarnings: z.boolean().optional(),
  /** An expiring change: after this many seconds, if the version is still active, Legation rolls back to its parent. */
  expiresInSeconds: z.number().int('whole seconds').min(1, 'at least 1 second').max(MAX_EXPIRY_SECONDS, `at most ${MAX_EXPIRY_SECONDS} seconds (a week)`).optional(),
})
export type CommitInput = z.infer<typeof CommitInput>
/**
 * POST …/versions/{n}/rollback. A rollback resets the draft to the content of version n, so over a
 * draft with pending changes (draft ≠ active version) it needs one of: `If-Match: "<draft revision>"`
 * of the draft the caller reviewed (409 DRAFT.CONFLICT if the draft moved since), or
 * `discardDraft: true`. Without either it is refused with 409 DRAFT.PENDING_CHANGES naming the
 * changes (details: PendingDraftChanges). With nothing pending, neither is needed.
 */
export const RollbackInput = z
  .strictObject({
    message: z.string().trim().max(2000).optional(),
    /** Discard whatever the draft holds, unseen (for automation; the console sends If-Match of what it showed). */
    discardDraft: z.boolean().optional(),
  })
  .default({})
export type RollbackInput = z.infer<typeof RollbackInput>

/** At most this many pending changes are named in a 409 DRAFT.PENDING_CHANGES (`total` counts them all). */
export const MAX_PENDING_CHANGES_LISTED = 100

/** `error.details` of a 409 DRAFT.PENDING_CHANGES: what a rollback would have discarded. */
export const PendingDraftChangesSchema = z
  .object({
    draftRevision: z.number().int(),
    total: z.number().int(),
    changes: z.array(z.object({ ...resourceKeyShape, change: ChangeKindSchema }).readonly()),
  })
  .readonly()
export type PendingDraftChanges = z.infer<typeof PendingDraftChangesSchema>

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
    /** Set for an expiring change: when it ends, and how it ended (null while it runs). */
    expiry: z
      .object({ expiresAt: z.string(), settledAt: z.string().nullable(), outcome: z.enum(['rolled-back', 'superseded']).nullable(), restoredBy: z.number().int().nullable() })
      .readonly()
      .optional(),
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
      /** The variables it was committed with (a secret's value: null) and the template version it is built on (`fleet@number`). */
      variables: z.array(VariableViewSchema),
      template: z.string().nullable(),
    })
    .readonly(),
)
export type VersionDetail = z.infer<typeof VersionDetailSchema>

/** GET /fleets/{fleet}/versions/{a}/diff/{b} */
export const VersionDiffSchema = z
  .object({ fleet: z.string(), from: z.number().int(), to: z.number().int(), changes: z.array(ResourceChangeSchema), counts: ChangeCountsSchema, variables: z.array(VariableChangeSchema), template: TemplateChangeSchema.nullable() })
  .readonly()
export type VersionDiff = z.infer<typeof VersionDiffSchema>


/** A row of GET …/versions: the summary plus its convergence (null: not computed). */
export const VersionListItemSchema = z.intersection(VersionSummarySchema, z.object({ convergence: VersionConvergenceSchema.nullable() }).readonly())
export type VersionListItem = z.infer<typeof VersionListItemSchema>

export const VersionListResponse = z.object({ versions: z.array(VersionListItemSchema) })
