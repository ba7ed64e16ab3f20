import { describe, expect, it } from 'vitest'
import { countChanges, diffResources, type StoredResource } from '../../../server/config/diff'
import { hashContent, serializeResource, sha256Hex } from '../../../server/config/hash'

const stored = (type: StoredResource['type'], name: string, resource: unknown): StoredResource => {
  const body = serializeResource(resource)
  return { type, name, body, hash: sha256Hex(body) }
}

describe('diffResources', () => {
  const a = stored('Cluster', 'a', { name: 'a', connect_timeout: '1s' })
  const b = stored('Cluster', 'b', { name: 'b' })
  const a2 = stored('Cluster', 'a', { name: 'a', connect_timeout: '2s' })
  const l = stored('Listener', 'l', { name: 'l' })

  it('classifies added, removed and modified resources in (type, name) order', () => {
    const changes = diffResources([a, b], [a2, l])
    expect(changes.map((c) => [c.type, c.name, c.change])).toEqual([
      ['Cluster', 'a', 'modified'],
      ['Cluster', 'b', 'removed'],
      ['Listener', 'l', 'added'],
    ])
    expect(countChanges(changes)).toEqual({ added: 1, removed: 1, modified: 1 })
  })

  it('renders a unified YAML patch of what changed', () => {
    const [change] = diffResources([a], [a2])
    expect(change?.patch).toContain('--- a/Cluster/a')
    expect(change?.patch).toContain('-connect_timeout: 1s')
    expect(change?.patch).toContain('+connect_timeout: 2s')
    expect(change?.patch).not.toContain('-name: a')
  })

  it('finds nothing between equal sets, whatever their order', () => {
    expect(diffResources([a, b, l], [l, b, a])).toEqual([])
  })

  it('skips patches when asked', () => {
    expect(diffResources([a], [a2], { withPatch: false })[0]?.patch).toBe('')
  })
})

describe('hashContent', () => {
  it('is independent of row order and sensitive to any body change', () => {
    const a = stored('Cluster', 'a', { name: 'a' })
    const b = stored('Cluster', 'b', { name: 'b' })
    expect(hashContent([a, b])).toBe(hashContent([b, a]))
    expect(hashContent([a, b])).not.toBe(hashContent([a, stored('Cluster', 'b', { name: 'b', type: 'STATIC' })]))
    expect(hashContent([a])).not.toBe(hashContent([{ ...a, name: 'renamed' }]))
  })
})
