// @vitest-environment happy-dom
import { act, cleanup, fireEvent, render, screen } from '@testing-library/react'
import type { AnchorHTMLAttributes } from 'react'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { TypeStatusBadge } from '../../../../components/proxies/type-status-badge'
import { STATUS_TYPES } from '../../../../components/proxies/type-status'
import { TooltipProvider } from '../../../../components/ui/tooltip'
import { CDS, nack, typeStatus } from './fixtures'

vi.mock('next/link', () => ({ default: ({ href, ...props }: AnchorHTMLAttributes<HTMLAnchorElement> & { href: string }) => <a href={href} {...props} /> }))

const cds = STATUS_TYPES[0]
const MAGLEV = 'Cluster message validation failed: [load_balancing_policy unset and unsupported lb_policy: MAGLEV]'

afterEach(cleanup)

const renderBadge = (status: Parameters<typeof TypeStatusBadge>[0]['status']) =>
  render(
    <TooltipProvider>
      <TypeStatusBadge type={cds} status={status} detailHref="/proxies/front-1" />
    </TooltipProvider>,
  )

describe('TypeStatusBadge', () => {
  it('shows state and Legation version as text', () => {
    renderBadge(typeStatus(CDS, 3))
    const badge = screen.getByTestId('type-status')
    expect(badge.textContent).toContain('SYNCED v3')
    expect(badge.dataset).toMatchObject({ type: 'CDS', state: 'SYNCED', version: '3' })
  })

  it('makes a NACKED badge a link to the detail, labelled with the NACK text, and shows the text on focus', async () => {
    renderBadge(nack(CDS, 4, 3, MAGLEV))
    const link = screen.getByRole('link')
    expect(link.getAttribute('href')).toBe('/proxies/front-1')
    expect(link.getAttribute('aria-label')).toContain('MAGLEV')
    expect(link.textContent).toBe('NACKED v4')
    await act(async () => {
      fireEvent.focus(link)
    })
    const tooltip = await screen.findAllByText(/unsupported lb_policy: MAGLEV/)
    expect(tooltip.length).toBeGreaterThan(0)
  })

  it('shows a dash, not NOT SENT, for a type the proxy never subscribed to', () => {
    renderBadge(undefined)
    const badge = screen.getByTestId('type-status')
    expect(badge.dataset['state']).toBe('UNSUBSCRIBED')
    expect(badge.textContent).toContain('—')
    expect(badge.textContent).toContain('not subscribed')
  })
})
