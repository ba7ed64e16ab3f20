// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen, within } from '@testing-library/react'
import type { AnchorHTMLAttributes } from 'react'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { ProxiesTable } from '../../../../components/proxies/proxies-table'
import { TooltipProvider } from '../../../../components/ui/tooltip'
import { CDS, EDS, LDS, nack, proxySummary, RDS, typeStatus } from './fixtures'

vi.mock('next/link', () => ({ default: ({ href, ...props }: AnchorHTMLAttributes<HTMLAnchorElement> & { href: string }) => <a href={href} {...props} /> }))
vi.mock('next/navigation', () => ({ useRouter: () => ({ push: vi.fn(), replace: vi.fn() }) }))

// happy-dom has no layout: give the scroll area the size it would have on a 900 px high screen, as
// the browser would report it to the virtualizer.
const VIEWPORT = { width: 1100, height: 720 }
beforeEach(() => {
  const size = (name: 'clientHeight' | 'clientWidth', value: number) => {
    const original = Object.getOwnPropertyDescriptor(HTMLElement.prototype, name) ?? Object.getOwnPropertyDescriptor(Element.prototype, name)
    vi.spyOn(HTMLElement.prototype, name, 'get').mockImplementation(function (this: HTMLElement) {
      return this.dataset['testid'] === 'proxies-scroll' ? value : ((original?.get?.call(this) as number | undefined) ?? 0)
    })
  }
  size('clientHeight', VIEWPORT.height)
  size('clientWidth', VIEWPORT.width)
})

afterEach(() => {
  cleanup()
  vi.restoreAllMocks()
})

const many = (n: number) =>
  Array.from({ length: n }, (_, i) =>
    proxySummary(`proxy-${String(i).padStart(5, '0')}`, [typeStatus(CDS, 2), typeStatus(EDS, 2), typeStatus(LDS, 2), typeStatus(RDS, 2)], { peer: `10.0.${i >> 8}.${i & 255}:40000` }),
  )

const renderTable = (props: Partial<Parameters<typeof ProxiesTable>[0]> & Pick<Parameters<typeof ProxiesTable>[0], 'proxies'>) =>
  render(
    <TooltipProvider>
      <ProxiesTable showFleet search="" {...props} />
    </TooltipProvider>,
  )

describe('ProxiesTable', () => {
  it('puts only a window of 10,000 rows into the DOM', () => {
    const started = performance.now()
    renderTable({ proxies: many(10_000) })
    const elapsed = performance.now() - started
    const rows = screen.getAllByTestId('proxy-row')
    expect(screen.getByTestId('proxies-table').dataset['rows']).toBe('10000')
    expect(rows.length).toBeGreaterThan(0)
    // 720 px / 44 px a row = 17 rows in view, plus 12 overscan below.
    expect(rows.length).toBeLessThan(40)
    expect(rows[0]!.dataset['nodeId']).toBe('proxy-00000')
    expect(elapsed).toBeLessThan(5_000)
    // The spacer below stands in for the other rows, so the scrollbar is the right size.
    const spacer = screen.getByTestId('proxies-table').querySelector('tbody > tr:last-child > td') as HTMLElement
    expect(spacer.style.height).toBe(`${(10_000 - rows.length) * 44}px`)
  })

  it('sorts by a column when its header is clicked', () => {
    renderTable({ proxies: many(300) })
    fireEvent.click(screen.getByTestId('sort-nodeId'))
    expect(screen.getAllByTestId('proxy-row')[0]!.dataset['nodeId']).toBe('proxy-00299')
  })

  it('sorts the most urgent state first', () => {
    const proxies = [
      proxySummary('a-synced', [typeStatus(CDS, 2)]),
      proxySummary('b-nacked', [nack(CDS, 3, 2, 'MAGLEV')], { state: 'NACKED' }),
      proxySummary('c-stale', [typeStatus(CDS, 3, 2)], { state: 'STALE' }),
    ]
    renderTable({ proxies })
    fireEvent.click(screen.getByTestId('sort-state'))
    expect(screen.getAllByTestId('proxy-row').map((r) => r.dataset['nodeId'])).toEqual(['b-nacked', 'c-stale', 'a-synced'])
  })

  it('renders one badge per type with the version, and a dash for types not subscribed', () => {
    renderTable({ proxies: [proxySummary('front-1', [typeStatus(CDS, 3), nack(EDS, 4, 3, 'bad endpoint')], { state: 'NACKED' })] })
    const row = screen.getByTestId('proxy-row')
    const badges = within(row).getAllByTestId('type-status')
    expect(badges.map((b) => [b.dataset['type'], b.dataset['state'], b.dataset['version']])).toEqual([
      ['CDS', 'SYNCED', '3'],
      ['EDS', 'NACKED', '4'],
      ['LDS', 'UNSUBSCRIBED', ''],
      ['RDS', 'UNSUBSCRIBED', ''],
      ['SDS', 'UNSUBSCRIBED', ''],
    ])
    expect(within(row).getByTestId('proxy-state').textContent).toContain('NACKED')
  })

  it('narrows the rows with the search, and shows what it is given when none match', () => {
    const { rerender } = renderTable({ proxies: many(50), search: 'proxy-0004' })
    expect(screen.getAllByTestId('proxy-row').map((r) => r.dataset['nodeId'])).toEqual(Array.from({ length: 10 }, (_, i) => `proxy-0004${i}`))
    rerender(
      <TooltipProvider>
        <ProxiesTable proxies={many(50)} showFleet search="nope" empty={<p>nothing matches</p>} />
      </TooltipProvider>,
    )
    expect(screen.getByText('nothing matches')).toBeTruthy()
  })
})
