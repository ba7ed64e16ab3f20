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

/**
 * Hash of a version's whole content: its resources and, when it has any, its variables (values as
 * stored: a secret's sealed text is deterministic) and the template version it is built on. A
 * version without either keeps the plain resource hash, so hashes from before variables still compare.
 */
export function hashVersionContent(entries: ReadonlyArray<ResourceKey & { hash: string }>, extra: { variables: Readonly<Record<string, unknown>>; templateRef: string | null }): string {
  const plain = hashContent(entries)
  const names = Object.keys(extra.variables).sort()
  if (names.length === 0 && extra.templateRef === null) return plain
  const variables = names.map((n) => `${n}\t${JSON.stringify(extra.variables[n])}`).join('\n')
  return sha256Hex(`${plain}\nvariables\n${variables}\ntemplate\t${extra.templateRef ?? ''}`)
}
