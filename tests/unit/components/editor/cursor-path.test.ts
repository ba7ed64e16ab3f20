import { describe, expect, it } from 'vitest'
import { cursorContext, keyAt, scalarAt } from '../../../../components/editor/cursor-path'

/** The last `|` marks the cursor. */
function at(textWithCursor: string): { text: string; offset: number } {
  const offset = textWithCursor.lastIndexOf('|')
  return { text: textWithCursor.slice(0, offset) + textWithCursor.slice(offset + 1), offset }
}

const yaml = (t: string) => {
  const { text, offset } = at(t)
  return cursorContext('yaml', text, offset)
}
const json = (t: string) => {
  const { text, offset } = at(t)
  return cursorContext('json', text, offset)
}

describe('cursorContext (YAML): the mapping the cursor is in, even while the text does not parse', () => {
  it.each([
    ['a top-level key being typed', 'name: service\nlb_po|', { target: 'key', path: [], prefix: 'lb_po' }],
    ['an empty line at the top level', 'name: service\n|', { target: 'key', path: [], prefix: '' }],
    ['a nested key', 'name: s\nload_assignment:\n  cluster_name: s\n  endp|', { target: 'key', path: ['load_assignment'], prefix: 'endp' }],
    ['a key of the first sequence item, on its dash line', 'filter_chains:\n- fil|', { target: 'key', path: ['filter_chains', 0], prefix: 'fil' }],
    [
      'a key of the second item, indented sequence',
      'filter_chains:\n  - name: a\n    filters: []\n  - name: b\n    transport_|',
      { target: 'key', path: ['filter_chains', 1], prefix: 'transport_' },
    ],
    [
      'deep inside sequences of mappings',
      'filter_chains:\n- filters:\n  - name: hcm\n    typed_config:\n      "@type": type.googleapis.com/x\n      stat_prefix: in\n      http_fil|',
      { target: 'key', path: ['filter_chains', 0, 'filters', 0, 'typed_config'], prefix: 'http_fil' },
    ],
    ['back at an outer level after a sequence', 'filter_chains:\n- name: a\nlistener_fil|', { target: 'key', path: [], prefix: 'listener_fil' }],
    ['a value being typed', 'name: s\nlb_policy: RO|', { target: 'value', path: [], key: 'lb_policy', prefix: 'RO' }],
    ['a quoted value being typed', 'typed_config:\n  "@type": "type.googleapis.com/envoy.ext|', { target: 'value', path: ['typed_config'], key: '@type', prefix: 'type.googleapis.com/envoy.ext' }],
    ['a key after a block scalar whose lines look like keys', 'name: s\nmetadata: |\n  fake: line\n  also: fake\nlb_p|', { target: 'key', path: [], prefix: 'lb_p' }],
    ['a scalar item of a list', 'name: s\ndns_resolvers:\n- |', { target: 'key', path: ['dns_resolvers', 0], prefix: '' }],
  ] as const)('%s', (_, text, expected) => {
    expect(yaml(text)).toMatchObject(expected)
  })

  it('gives the range the completion replaces and the column of the key', () => {
    const { text, offset } = at('name: s\nload_assignment:\n  endp|')
    const ctx = cursorContext('yaml', text, offset)
    expect(ctx).toMatchObject({ target: 'key', column: 2 })
    expect(text.slice(ctx!.from, ctx!.to)).toBe('endp')
    const value = cursorContext('yaml', ...Object.values(at('lb_policy: RO|UND')) as [string, number])
    expect(value).toMatchObject({ target: 'value', prefix: 'RO' })
    expect('lb_policy: ROUND'.slice(value!.from, value!.to)).toBe('ROUND')
  })

  it('says nothing inside a comment or a flow collection', () => {
    expect(yaml('name: s # lb_|')).toBeNull()
    expect(yaml('hosts: [ {a|')).toBeNull()
  })
})

describe('cursorContext (JSON)', () => {
  it.each([
    ['a key being typed', '{ "name": "s", "lb_po|" }', { target: 'key', path: [], prefix: 'lb_po' }],
    ['a nested key', '{ "load_assignment": { "endp| } }', { target: 'key', path: ['load_assignment'], prefix: 'endp' }],
    ['a key inside a list item', '{ "filter_chains": [ { "fil|" } ] }', { target: 'key', path: ['filter_chains', 0], prefix: 'fil' }],
    ['a value being typed', '{ "lb_policy": "RO|" }', { target: 'value', path: [], key: 'lb_policy', prefix: 'RO' }],
  ] as const)('%s', (_, text, expected) => {
    expect(json(text)).toMatchObject(expected)
  })
})

describe('keyAt: the key under the cursor, for hover', () => {
  it('finds a nested YAML key with its path and range', () => {
    const text = 'name: s\nload_assignment:\n  cluster_name: s\n  endpoints:\n  - lb_endpoints: []\n'
    const offset = text.indexOf('lb_endpoints') + 3
    const found = keyAt('yaml', text, offset)
    expect(found).toEqual({ path: ['load_assignment', 'endpoints', 0], key: 'lb_endpoints', from: text.indexOf('lb_endpoints'), to: text.indexOf('lb_endpoints') + 'lb_endpoints'.length })
    expect(keyAt('yaml', text, text.indexOf(': []') + 2)).toBeNull() // on the value, not the key
  })

  it('finds a quoted key and a JSON key', () => {
    const text = 'typed_config:\n  "@type": type.googleapis.com/x\n'
    expect(keyAt('yaml', text, text.indexOf('@type'))).toMatchObject({ path: ['typed_config'], key: '@type' })
    const j = '{ "cluster": { "lb_policy": "MAGLEV" } }'
    expect(keyAt('json', j, j.indexOf('lb_policy'))).toMatchObject({ path: ['cluster'], key: 'lb_policy' })
  })
})

describe('scalarAt: a value in a mapping, read from text that may not parse', () => {
  it('finds the @type of an Any below or above the cursor line, in YAML and JSON', () => {
    const text = 'filter_chains:\n- filters:\n  - name: hcm\n    typed_config:\n      stat_prefix: in\n      http_fil\n      "@type": type.googleapis.com/envoy.hcm\n'
    expect(scalarAt('yaml', text, ['filter_chains', 0, 'filters', 0, 'typed_config'], '@type')).toBe('type.googleapis.com/envoy.hcm')
    expect(scalarAt('yaml', text, ['filter_chains', 0, 'filters', 1, 'typed_config'], '@type')).toBeNull()
    expect(scalarAt('json', '{ "a": [ { "typed_config": { "@type": "t/x", "b": ', ['a', 0, 'typed_config'], '@type')).toBe('t/x')
  })
})
