import { createTwoFilesPatch } from 'diff'
import YAML from 'yaml'
import { compareResources, resourceKey, type ResourceKey, type ResourceType } from './resource-types'

/** A resource as stored: canonical JSON text plus its hash. */
export type StoredResource = Readonly<{ type: ResourceType; name: string; body: string; hash: string }>

export type ChangeKind = 'added' | 'removed' | 'modified'

export type ResourceChange = Readonly<{
  type: ResourceType
  name: string
  change: ChangeKind
  beforeHash: string | null
  afterHash: string | null
  /** Unified diff of the two resources as YAML (what operators read in Envoy's docs). */
  patch: string
}>

export type ChangeCounts = Readonly<{ added: number; removed: number; modified: number }>

export function toYaml(body: string): string {
  return body === '' ? '' : YAML.stringify(JSON.parse(body) as unknown, { lineWidth: 0 })
}

function patchOf(key: ResourceKey, before: string, after: string): string {
  const label = resourceKey(key)
  return createTwoFilesPatch(`a/${label}`, `b/${label}`, toYaml(before), toYaml(after), '', '', { context: 3 })
}

/**
 * Per-resource differences between two resource sets, in stable (type, name) order.
 * Only hashes are compared; bodies are read only for the resources that changed.
 */
export function diffResources(before: readonly StoredResource[], after: readonly StoredResource[], options: { withPatch?: boolean } = {}): ResourceChange[] {
  const withPatch = options.withPatch ?? true
  const beforeByKey = new Map(before.map((r) => [resourceKey(r), r]))
  const afterByKey = new Map(after.map((r) => [resourceKey(r), r]))
  const changes: ResourceChange[] = []
  for (const [key, b] of beforeByKey) {
    const a = afterByKey.get(key)
    if (!a) changes.push({ type: b.type, name: b.name, change: 'removed', beforeHash: b.hash, afterHash: null, patch: withPatch ? patchOf(b, b.body, '') : '' })
    else if (a.hash !== b.hash) changes.push({ type: b.type, name: b.name, change: 'modified', beforeHash: b.hash, afterHash: a.hash, patch: withPatch ? patchOf(b, b.body, a.body) : '' })
  }
  for (const [key, a] of afterByKey) {
    if (!beforeByKey.has(key)) changes.push({ type: a.type, name: a.name, change: 'added', beforeHash: null, afterHash: a.hash, patch: withPatch ? patchOf(a, '', a.body) : '' })
  }
  return changes.sort(compareResources)
}

export function countChanges(changes: ReadonlyArray<Pick<ResourceChange, 'change'>>): ChangeCounts {
  return {
    added: changes.filter((c) => c.change === 'added').length,
    removed: changes.filter((c) => c.change === 'removed').length,
    modified: changes.filter((c) => c.change === 'modified').length,
  }
}
