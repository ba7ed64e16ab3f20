import { describe, expect, it } from 'vitest'
import { formFit } from '@/components/forms/resource-form'
import { convertContent } from '@/components/resources/editor-content'
import { DEMO_RESOURCES } from '@/server/config/demo'

const cluster = DEMO_RESOURCES.find((r) => r.type === 'Cluster')!.resource
const fit = (r: Parameters<typeof formFit>[1]) => formFit('clusters', r)

describe('convertContent: switching between the form, YAML and JSON keeps the edit', () => {
  it('form → YAML → JSON → form gives the same resource back', () => {
    const edited = { ...cluster, connect_timeout: '3s', dns_lookup_family: 'V4_ONLY' }
    const yaml = convertContent({ view: 'form', json: edited }, 'yaml', fit)
    expect(yaml).toMatchObject({ ok: true, content: { view: 'yaml' } })
    if (!yaml.ok || yaml.content.view === 'form') throw new Error('expected text')
    expect(yaml.content.text).toContain('connect_timeout: 3s')
    const json = convertContent(yaml.content, 'json', fit)
    if (!json.ok) throw new Error(json.reason)
    const form = convertContent(json.content, 'form', fit)
    expect(form).toEqual({ ok: true, content: { view: 'form', json: edited } })
  })

  it('refuses to leave text that does not parse, naming the line', () => {
    const result = convertContent({ view: 'yaml', text: 'name: a\nbad: x: y\n' }, 'form', fit)
    expect(result).toEqual({ ok: false, reason: expect.stringMatching(/^Fix the YAML first \(line 2: /) })
  })

  it('refuses the form for a resource it cannot show, and says why', () => {
    const result = convertContent({ view: 'yaml', text: 'name: a\ntype: ORIGINAL_DST\n' }, 'form', fit)
    expect(result).toEqual({ ok: false, reason: expect.stringContaining('ORIGINAL_DST') })
  })

  it('keeps the same view as it is', () => {
    const content = { view: 'yaml', text: 'not: [valid' } as const
    expect(convertContent(content, 'yaml', fit)).toEqual({ ok: true, content })
  })
})
