import { z } from 'zod'
import { RESOURCE_TYPES, type JsonValue, type ResourceJson } from '../config/resource-types'

/**
 * The API contract: zod schemas of every request and response of /api/v1, with their inferred types.
 * Route handlers parse input with them; the console, the tests and any client import only this module.
 */

export const ResourceTypeSchema = z.enum(RESOURCE_TYPES)

const isPlainObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v)

/** One Envoy resource as canonical proto3 JSON (checked against its proto by the server, not here). */
export const ResourceJsonSchema = z.custom<ResourceJson>(isPlainObject, 'expected a JSON object')
export const JsonValueSchema = z.custom<JsonValue>(() => true)

/** What identifies a resource in a fleet (server/config's ResourceKey); the schemas of a resource, a change or a draft entry start with it. */
export const resourceKeyShape = { type: ResourceTypeSchema, name: z.string() }
export const ResourceKeySchema = z.object(resourceKeyShape).readonly()

/** One problem, at a field path, optionally in a resource (the error shape's `issues`). */
export const IssueSchema = z
  .object({ path: z.string(), message: z.string(), code: z.string().optional(), resource: ResourceKeySchema.optional() })
  .readonly()
export type Issue = z.infer<typeof IssueSchema>

/** Every error answer of the API: `{ error: { code, message, issues, details? } }`. */
export const ApiErrorBodySchema = z.object({
  error: z.object({ code: z.string(), message: z.string(), issues: z.array(IssueSchema), details: z.record(z.string(), z.unknown()).optional() }),
})
export type ApiErrorBody = z.infer<typeof ApiErrorBodySchema>

export const ChangeKindSchema = z.enum(['added', 'removed', 'modified'])
export type ChangeKind = z.infer<typeof ChangeKindSchema>

export const ChangeCountsSchema = z.object({ added: z.number().int(), removed: z.number().int(), modified: z.number().int() }).readonly()
export type ChangeCounts = z.infer<typeof ChangeCountsSchema>

export const ResourceChangeSchema = z
  .object({
    ...resourceKeyShape,
    change: ChangeKindSchema,
    beforeHash: z.string().nullable(),
    afterHash: z.string().nullable(),
    /** Unified diff of the two resources as YAML (what operators read in Envoy's docs). */
    patch: z.string(),
  })
  .readonly()
export type ResourceChange = z.infer<typeof ResourceChangeSchema>

/** A problem a commit would be refused for (server/config's ConfigIssue, as the API shows it). */
export const ConfigIssueSchema = z.object({ code: z.string(), resource: ResourceKeySchema.optional(), path: z.string(), message: z.string() }).readonly()

/**
 * One finding of the config analysis (server/config/analysis): `error` refuses a commit (422),
 * `warning` needs `"acceptWarnings": true` on the commit (409 otherwise).
 */
export const FindingSchema = z
  .object({ severity: z.enum(['error', 'warning']), code: z.string(), resource: ResourceKeySchema, path: z.string(), message: z.string() })
  .readonly()
export type Finding = z.infer<typeof FindingSchema>

/** Version numbers and the like are PostgreSQL `integer`s: larger numbers are refused here, not by the database (#16 item 13). */
const INT32_MAX = 2_147_483_647

/** `?limit=&before=` of paged lists. */
export const ListQuery = z.object({ limit: z.coerce.number().int().min(1).max(500).optional(), before: z.coerce.number().int().min(1).max(INT32_MAX, `at most ${INT32_MAX}`).optional() })
