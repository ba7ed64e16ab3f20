import { createTwoFilesPatch } from 'diff'
import { describe, expect, it } from 'vitest'
import { renderPatchHtml } from '../../../../components/diff/render-patch'

const patch = (name: string, before: string, after: string) => createTwoFilesPatch(`a/${name}`, `b/${name}`, before, after, '', '', { context: 3 })

describe('renderPatchHtml', () => {
  const modified = patch('Cluster/service', 'name: service\nconnect_timeout: 5s\ntype: STRICT_DNS\n', 'name: service\nconnect_timeout: 1s\ntype: STRICT_DNS\n')

  it('renders a modified resource line by line, with the changed words marked', () => {
    const out = renderPatchHtml(modified, 'line-by-line')!
    expect(out).toContain('d2h-wrapper')
    expect(out).toContain('d2h-auto-color-scheme')
    expect(out).not.toContain('d2h-files-diff')
    expect(out).toMatch(/connect_timeout: <del>5s<\/del>/)
    expect(out).toMatch(/connect_timeout: <ins>1s<\/ins>/)
  })

  it('renders side by side as two columns', () => {
    expect(renderPatchHtml(modified, 'side-by-side')).toContain('d2h-files-diff')
  })

  it('renders an added resource (a patch from nothing)', () => {
    const out = renderPatchHtml(patch('Cluster/new', '', 'name: new\n'), 'line-by-line')!
    expect(out).toContain('d2h-ins')
    expect(out).toContain('name: new')
  })

  it('escapes what the patch carries', () => {
    const out = renderPatchHtml(patch('Cluster/x', 'a: 1\n', 'a: "<img src=x onerror=alert(1)>"\n'), 'line-by-line')!
    expect(out).not.toContain('<img')
    expect(out).toContain('&lt;img')
  })

  it('gives null for a patch with nothing to show, so the caller can fall back to text', () => {
    expect(renderPatchHtml('', 'line-by-line')).toBeNull()
    expect(renderPatchHtml('  \n', 'side-by-side')).toBeNull()
    expect(renderPatchHtml(patch('Cluster/same', 'a: 1\n', 'a: 1\n'), 'line-by-line')).toBeNull()
  })
})
