import { z } from 'zod'
import { FleetName, FleetSelectorInput, type FleetSelector } from '@/server/contract'

// The fleet dialog's own schema: the contract's FleetName as it is, and the selector assembled from
// the form's fields and checked with the contract's FleetSelectorInput, its issues put at the field
// they concern. The server parses the body with the contract again.

export const MATCH_BY = ['cluster', 'selector'] as const

export const FleetFormSchema = z
  .object({
    name: FleetName,
    description: z.string().max(1000, 'at most 1000 characters'),
    /** 'cluster': proxies whose node.cluster is the fleet's name (no selector); 'selector': the fields below. */
    matchBy: z.enum(MATCH_BY),
    nodeIdGlob: z.string(),
    nodeCluster: z.string(),
    /** One `key=value` a line. */
    metadata: z.string(),
  })
  .superRefine((values, ctx) => {
    if (values.matchBy !== 'selector') return
    const metadata = parseMetadataLines(values.metadata)
    if (typeof metadata === 'string') {
      ctx.addIssue({ code: 'custom', path: ['metadata'], message: metadata })
      return
    }
    const parsed = FleetSelectorInput.safeParse(selectorOf(values, metadata))
    if (parsed.success) return
    for (const issue of parsed.error.issues) {
      const field = issue.path[0] === 'nodeCluster' ? 'nodeCluster' : issue.path[0] === 'metadata' ? 'metadata' : 'nodeIdGlob'
      ctx.addIssue({ code: 'custom', path: [field], message: issue.path.length === 0 ? 'give at least one condition: a node id glob, a node.cluster or metadata' : issue.message })
    }
  })
export type FleetFormValues = z.infer<typeof FleetFormSchema>

/** `key=value` lines (blank lines skipped) → a record, or what is wrong with them. */
export function parseMetadataLines(text: string): Record<string, string> | string {
  const out: Record<string, string> = {}
  for (const [i, raw] of text.split('\n').entries()) {
    const line = raw.trim()
    if (line === '') continue
    const eq = line.indexOf('=')
    if (eq <= 0) return `line ${i + 1}: write key=value`
    const key = line.slice(0, eq).trim()
    if (key in out) return `line ${i + 1}: '${key}' is given twice`
    out[key] = line.slice(eq + 1).trim()
  }
  return out
}

function selectorOf(values: Pick<FleetFormValues, 'nodeIdGlob' | 'nodeCluster'>, metadata: Record<string, string>): FleetSelector {
  const glob = values.nodeIdGlob.trim()
  const cluster = values.nodeCluster.trim()
  return { ...(glob ? { nodeIdGlob: glob } : {}), ...(cluster ? { nodeCluster: cluster } : {}), ...(Object.keys(metadata).length > 0 ? { metadata } : {}) }
}

/** The selector the form describes; null: match by node.cluster = name. Call with values the schema accepted. */
export function selectorFromForm(values: FleetFormValues): FleetSelector | null {
  if (values.matchBy !== 'selector') return null
  const metadata = parseMetadataLines(values.metadata)
  return selectorOf(values, typeof metadata === 'string' ? {} : metadata)
}

/** A fleet's current settings as the form's values. */
export function formValuesOf(fleet: { name: string; description: string; selector: FleetSelector | null } | null): FleetFormValues {
  const s = fleet?.selector ?? null
  return {
    name: fleet?.name ?? '',
    description: fleet?.description ?? '',
    matchBy: s ? 'selector' : 'cluster',
    nodeIdGlob: s?.nodeIdGlob ?? '',
    nodeCluster: s?.nodeCluster ?? '',
    metadata: Object.entries(s?.metadata ?? {})
      .map(([k, v]) => `${k}=${v}`)
      .join('\n'),
  }
}
