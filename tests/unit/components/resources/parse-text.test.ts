import { describe, expect, it } from 'vitest'
import { formatResource, parseResourceText } from '@/components/editor/parse-text'

describe('parseResourceText', () => {
  it('parses YAML and JSON resources', () => {
    expect(parseResourceText('name: a\nport: 1\n', 'yaml')).toEqual({ ok: true, value: { name: 'a', port: 1 } })
    expect(parseResourceText('{"name": "a"}', 'json')).toEqual({ ok: true, value: { name: 'a' } })
  })

  it('reports a YAML syntax error at its line', () => {
    const result = parseResourceText('name: a\nload_assignment:\n  endpoints: [\n  x: 1\n', 'yaml')
    expect(result.ok).toBe(false)
    if (!result.ok) expect(result.problems[0]!.line).toBeGreaterThanOrEqual(3)
  })

  it('reports duplicate keys, as the server does', () => {
    const result = parseResourceText('name: a\nname: b\n', 'yaml')
    expect(result).toMatchObject({ ok: false, problems: [{ line: 2 }] })
  })

  it('reports a JSON syntax error at its position', () => {
    const text = '{\n  "name": "a",\n  "type": STATIC\n}'
    const result = parseResourceText(text, 'json')
    expect(result).toMatchObject({ ok: false, problems: [{ line: 3 }] })
  })

  it('refuses what is not a mapping', () => {
    expect(parseResourceText('- a\n- b\n', 'yaml').ok).toBe(false)
    expect(parseResourceText('[1]', 'json').ok).toBe(false)
    expect(parseResourceText('   ', 'yaml').ok).toBe(false)
  })

  it('formats YAML without folding long lines', () => {
    const long = 'x'.repeat(200)
    expect(formatResource({ a: long }, 'yaml')).toBe(`a: ${long}\n`)
  })
})
