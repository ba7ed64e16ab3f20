// @vitest-environment happy-dom
import { cleanup, render } from '@testing-library/react'
import { createTwoFilesPatch } from 'diff'
import { afterEach, describe, expect, it } from 'vitest'
import { PatchView } from '../../../../components/diff/patch-view'
import { ResourceChangeCard } from '../../../../components/diff/resource-change-card'

afterEach(cleanup)

const patch = createTwoFilesPatch('a/Cluster/service', 'b/Cluster/service', 'name: service\nconnect_timeout: 5s\n', 'name: service\nconnect_timeout: 1s\n', '', '', { context: 3 })

describe('PatchView', () => {
  it('renders the patch with diff2html, line by line by default', () => {
    const { getByTestId } = render(<PatchView patch={patch} />)
    const view = getByTestId('patch')
    expect(view.dataset.format).toBe('line-by-line')
    expect(view.querySelector('.d2h-wrapper')).not.toBeNull()
    expect(view.querySelector('.d2h-del .d2h-code-line-ctn')?.textContent).toContain('connect_timeout: 5s')
    expect(view.querySelector('.d2h-ins .d2h-code-line-ctn')?.textContent).toContain('connect_timeout: 1s')
  })

  it('renders side by side on request', () => {
    const { getByTestId } = render(<PatchView patch={patch} format="side-by-side" />)
    expect(getByTestId('patch').querySelectorAll('.d2h-file-side-diff')).toHaveLength(2)
  })

  it('falls back to plain text for an empty patch', () => {
    const { getByTestId } = render(<PatchView patch="" />)
    const view = getByTestId('patch')
    expect(view.dataset.format).toBe('text')
    expect(view.textContent).toBe('No line-level differences to show.')
    expect(view.querySelector('.d2h-wrapper')).toBeNull()
  })

  it('shows a patch diff2html cannot read as it is', () => {
    const { getByTestId } = render(<PatchView patch="not a unified diff" />)
    expect(getByTestId('patch').textContent).toBe('not a unified diff')
  })
})

describe('ResourceChangeCard', () => {
  it('names the resource and the kind of change above the diff', () => {
    const { getByTestId } = render(<ResourceChangeCard change={{ type: 'Cluster', name: 'service', change: 'modified', patch }} />)
    const card = getByTestId('resource-change')
    expect(card.dataset).toMatchObject({ change: 'modified', type: 'Cluster', name: 'service' })
    expect(card.textContent).toContain('modified')
    expect(card.querySelector('.d2h-file-header')).not.toBeNull()
  })
})
