import { createHash } from 'node:crypto'
import type { ResourceKey } from './resource-types'
import { compareResources } from './resource-types'

export function sha256Hex(text: string): string {
  return createHash('sha256').update(text).digest('hex')
}

/** The body text stored for a resource: canonical JSON, keys in proto field order. */
export function serializeResource(resource: unknown): string {
  return JSON.stringify(resource)
}

/**
 * Hash of a whole resource set: sha256 over the sorted (type, name, body hash) lines. Two versions
 * with the same content have the same hash whatever order their rows come back in.
 */
export function hashContent(entries: ReadonlyArray<ResourceKey & { hash: string }>): string {
  const lines = [...entries].sort(compareResources).map((e) => `${e.type}\t${e.name}\t${e.hash}`)
  return sha256Hex(lines.join('\n'))
}
