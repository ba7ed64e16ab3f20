import { z } from 'zod'

/** Fleet names double as node.cluster values, so keep them to what Envoy prints without quoting. */
export const FleetName = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$/, 'use 1-63 letters, digits, dots, dashes or underscores, starting with a letter or digit')

/** Keeps selector globs cheap to evaluate on every stream open. */
export const MAX_GLOB_STARS = 8

/** A node id glob (`edge-*`), as fleet selectors and rollout stages take it. */
export const NodeIdGlob = z
  .string()
  .min(1)
  .max(255)
  .refine((g) => (g.match(/\*/g) ?? []).length <= MAX_GLOB_STARS, `use at most ${MAX_GLOB_STARS} '*' in a node id glob`)

const selectorShape = {
  nodeIdGlob: NodeIdGlob.optional(),
  nodeCluster: z.string().min(1).max(255).optional(),
  metadata: z.record(z.string().min(1).max(255), z.string().max(255)).optional(),
}

/** How a fleet selects its proxies instead of by node.cluster = name; every given condition must hold. */
export const FleetSelectorSchema = z.object(selectorShape).readonly()
export type FleetSelector = z.infer<typeof FleetSelectorSchema>

export const FleetSelectorInput = z
  .strictObject(selectorShape)
  .refine((s) => s.nodeIdGlob !== undefined || s.nodeCluster !== undefined || Object.keys(s.metadata ?? {}).length > 0, 'a selector needs at least one condition')

/**
 * A selector is checked against the proxies connected now (any replica): one that would take proxies
 * served by other fleets is refused with 409 FLEET.SELECTOR_TAKEOVER listing them
 * (details: SelectorTakeoverDetails), unless the request says `confirmTakeover: true`. A selector
 * that matches every proxy (`*`) is refused with 409 FLEET.SELECTOR_TOO_BROAD unless the fleet is
 * the only one; confirmTakeover does not lift that (#16 item 11).
 */
const confirmTakeover = z.boolean().optional()

/** A template fleet (#14 item 4): this fleet serves its config, with its own resources and variables over it. */
const template = FleetName.nullable().optional()

export const FleetCreateInput = z.strictObject({ name: FleetName, description: z.string().max(1000).default(''), selector: FleetSelectorInput.nullable().default(null), template, confirmTakeover })
export type FleetCreateInput = z.infer<typeof FleetCreateInput>
export const FleetUpdateInput = z.strictObject({ description: z.string().max(1000).optional(), selector: FleetSelectorInput.nullable().optional(), template, confirmTakeover })
export type FleetUpdateInput = z.infer<typeof FleetUpdateInput>

/**
 * A connected proxy of another fleet that the selector would take when it next connects: it
 * `moves` to this fleet, or is refused as `ambiguous` because other fleets' selectors
 * (`alsoSelectedBy`) match it too.
 */
export const SelectorTakeoverSchema = z
  .object({ nodeId: z.string(), fromFleet: z.string(), outcome: z.enum(['moves', 'ambiguous']), alsoSelectedBy: z.array(z.string()).readonly() })
  .readonly()
export type SelectorTakeover = z.infer<typeof SelectorTakeoverSchema>

/** At most this many proxies are listed in a 409 FLEET.SELECTOR_TAKEOVER (`total` counts them all). */
export const MAX_TAKEOVERS_LISTED = 100

/** `error.details` of a 409 FLEET.SELECTOR_TAKEOVER. */
export const SelectorTakeoverDetailsSchema = z.object({ total: z.number().int(), takeovers: z.array(SelectorTakeoverSchema) }).readonly()
export type SelectorTakeoverDetails = z.infer<typeof SelectorTakeoverDetailsSchema>

export const VersionRefSchema = z.object({ number: z.number().int(), message: z.string(), author: z.string(), createdAt: z.string(), contentHash: z.string() }).readonly()
export type VersionRef = z.infer<typeof VersionRefSchema>

export const FleetSummarySchema = z
  .object({
    name: z.string(),
    description: z.string(),
    /** How proxies are matched to this fleet; null: proxies whose node.cluster equals the name. */
    selector: FleetSelectorSchema.nullable(),
    /** The template fleet whose config this fleet serves (with its own over it); null: none. */
    template: z.string().nullable(),
    draftRevision: z.number().int(),
    activeVersion: VersionRefSchema.nullable(),
    /** Resources whose draft differs from the active version (added, modified or removed). */
    pendingChanges: z.number().int(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .readonly()
export type FleetSummary = z.infer<typeof FleetSummarySchema>

/** What a replica serves for a fleet over xDS, and the last version it refused to serve, if any. */
export const SnapshotStatusSchema = z
  .object({
    servingVersion: z.number().int().nullable(),
    servingSince: z.string().nullable(),
    rejected: z
      .object({ version: z.number().int(), issues: z.array(z.object({ path: z.string(), message: z.string() }).readonly()).readonly(), at: z.string() })
      .readonly()
      .nullable(),
  })
  .readonly()
export type SnapshotStatus = z.infer<typeof SnapshotStatusSchema>

/** GET /fleets/{fleet}: the summary plus what this replica serves over xDS. */
export const FleetStatusSchema = z.intersection(FleetSummarySchema, z.object({ serving: SnapshotStatusSchema }).readonly())
export type FleetStatus = z.infer<typeof FleetStatusSchema>

/** GET /fleets */
export const FleetListResponse = z.object({ fleets: z.array(FleetSummarySchema) })
