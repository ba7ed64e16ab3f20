import YAML from 'yaml'
import { describe, expect, it } from 'vitest'
import { renderBundle } from '../../../server/config/bundle'
import type { ResourceType } from '../../../server/config/resource-types'

const stored = (type: ResourceType, name: string, resource: Record<string, unknown>) => ({ type, name, body: JSON.stringify(resource) })

describe('renderBundle', () => {
  it('writes one document per resource in (type, name) order, whatever the input order', () => {
    const text = renderBundle([
      stored('Listener', 'b', { name: 'b' }),
      stored('Cluster', 'z', { name: 'z' }),
      stored('Listener', 'a', { name: 'a' }),
      stored('Cluster', 'a', { name: 'a' }),
    ])
    const docs = YAML.parseAllDocuments(text).map((d) => d.toJS() as { type: string; name: string })
    expect(docs.map((d) => `${d.type}/${d.name}`)).toEqual(['Cluster/a', 'Cluster/z', 'Listener/a', 'Listener/b'])
    expect(text.startsWith('---\ntype: Cluster\nname: a\nresource:\n  name: a\n')).toBe(true)
  })

  it('keeps each body exactly: keys needing quotes, strings that look like numbers or booleans, long lines, markers', () => {
    const resource = {
      name: 'x',
      typed_config: { '@type': 'type.googleapis.com/envoy.extensions.filters.http.router.v3.Router' },
      port: '8080',
      flag: 'true',
      nothing: 'null',
      long: 'a'.repeat(300),
      text: 'line one\nline two: with colon',
      private_key: { inline_string: '<set:0123abcd>' },
      n: 1.5,
      list: [],
    }
    const text = renderBundle([stored('Cluster', 'x', resource)])
    const [doc] = YAML.parseAllDocuments(text).map((d) => d.toJS() as { resource: unknown })
    expect(JSON.stringify(doc!.resource)).toBe(JSON.stringify(resource))
    expect(text.split('\n').some((l) => l.includes('a'.repeat(300)))).toBe(true)
  })

  it('is empty for no resources', () => {
    expect(renderBundle([])).toBe('')
  })
})
