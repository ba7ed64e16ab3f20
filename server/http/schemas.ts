import { z } from 'zod'

/** Fleet names double as node.cluster values, so keep them to what Envoy prints without quoting. */
export const FleetName = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$/, 'use 1-63 letters, digits, dots, dashes or underscores, starting with a letter or digit')

/** How a fleet selects its proxies instead of by node.cluster = name; every given condition must hold. */
export const FleetSelectorInput = z
  .strictObject({
    nodeIdGlob: z.string().min(1).max(255).optional(),
    nodeCluster: z.string().min(1).max(255).optional(),
    metadata: z.record(z.string().min(1).max(255), z.string().max(255)).optional(),
  })
  .refine((s) => s.nodeIdGlob !== undefined || s.nodeCluster !== undefined || Object.keys(s.metadata ?? {}).length > 0, 'a selector needs at least one condition')

export const FleetCreateInput = z.strictObject({ name: FleetName, description: z.string().max(1000).default(''), selector: FleetSelectorInput.nullable().default(null) })
export const FleetUpdateInput = z.strictObject({ description: z.string().max(1000).optional(), selector: FleetSelectorInput.nullable().optional() })
export const CommitInput = z.strictObject({ message: z.string().trim().min(1, 'a commit needs a message').max(2000) })
export const RollbackInput = z.strictObject({ message: z.string().trim().max(2000).optional() }).default({})

export const VersionNumber = z.coerce.number({ error: 'expected a version number' }).int().min(1, 'versions start at 1')
export const ListQuery = z.object({ limit: z.coerce.number().int().min(1).max(500).optional(), before: z.coerce.number().int().min(1).optional() })
