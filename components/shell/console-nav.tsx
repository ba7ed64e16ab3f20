'use client'

import { useQuery } from '@tanstack/react-query'
import { BookOpen, Braces, FileDiff, History, KeyRound, LayoutDashboard, Network, ScrollText, Server, Users, Workflow } from 'lucide-react'
import { useParams, usePathname, useSearchParams } from 'next/navigation'
import { useEffect } from 'react'
import { useCan } from '../auth/use-can'
import { fleetQueries } from '../fleets/queries'
import { proxyQueries } from '../proxies/queries'
import { FleetSwitcher } from './fleet-switcher'
import { sectionHref, sectionOf } from './fleet-href'
import { writeLastFleet } from './last-fleet'
import { NavLink } from './nav-link'
import { decodeSegment, useCurrentFleet } from './use-current-fleet'

const ICON = 'size-4 shrink-0'

function CountBadge({ count, tone, title, testId }: { count: number; tone: 'warning' | 'danger'; title: string; testId: string }) {
  if (count <= 0) return null
  return (
    <span
      data-testid={testId}
      title={title}
      className={
        tone === 'danger'
          ? 'rounded-full bg-red-100 px-1.5 text-[11px] font-semibold text-red-700 tabular-nums dark:bg-red-950 dark:text-red-300'
          : 'rounded-full bg-amber-100 px-1.5 text-[11px] font-semibold text-amber-800 tabular-nums dark:bg-amber-950 dark:text-amber-300'
      }
    >
      {count}
    </span>
  )
}

/**
 * The fleet switcher and the section links of the current fleet. Remembers every fleet named by the
 * URL (route segment or ?fleet=) that exists, so pages without a fleet in their URL follow it.
 */
export function ConsoleNav() {
  const pathname = usePathname()
  const params = useParams<{ fleet?: string }>()
  const searchParams = useSearchParams()
  const fleet = useCurrentFleet()
  const { data: fleets } = useQuery(fleetQueries.list())
  const { data: summary } = useQuery(proxyQueries.summary())
  const named = typeof params?.fleet === 'string' ? decodeSegment(params.fleet) : (searchParams?.get('fleet') ?? null)

  useEffect(() => {
    if (named && fleets?.some((f) => f.name === named)) writeLastFleet(named)
  }, [named, fleets])

  const section = sectionOf(pathname)
  const current = fleets?.find((f) => f.name === fleet)
  const counts = summary?.find((s) => s.fleet === fleet)
  const noFleet = fleets && fleets.length === 0 ? 'Create a fleet first' : fleet === null ? 'Loading fleets…' : undefined
  // Users and tokens need admin on every fleet (docs/security.md); nobody else is shown the links.
  const globalAdmin = useCan('admin', null)

  return (
    <>
      <div className="w-44 min-w-0 md:w-auto">
        <FleetSwitcher current={fleet} />
      </div>
      <nav aria-label="Console" className="order-last -mx-1 flex w-full min-w-0 gap-0.5 overflow-x-auto px-1 md:order-none md:mx-0 md:w-auto md:flex-col md:overflow-visible md:px-0">
        <NavLink href={sectionHref('overview', null)} active={section === 'overview'} icon={<LayoutDashboard aria-hidden className={ICON} />}>
          Overview
        </NavLink>
        <NavLink href={sectionHref('resources', fleet)} active={section === 'resources'} disabledReason={noFleet} icon={<Network aria-hidden className={ICON} />}>
          Resources
        </NavLink>
        <NavLink href={sectionHref('topology', fleet)} active={section === 'topology'} disabledReason={noFleet} icon={<Workflow aria-hidden className={ICON} />}>
          Topology
        </NavLink>
        <NavLink href={sectionHref('variables', fleet)} active={section === 'variables'} disabledReason={noFleet} icon={<Braces aria-hidden className={ICON} />}>
          Variables
        </NavLink>
        <NavLink
          href={sectionHref('changes', fleet)}
          active={section === 'changes'}
          disabledReason={noFleet}
          icon={<FileDiff aria-hidden className={ICON} />}
          badge={<CountBadge count={current?.pendingChanges ?? 0} tone="warning" title="Pending changes, not committed yet" testId="nav-pending-count" />}
        >
          Changes
        </NavLink>
        <NavLink href={sectionHref('versions', fleet)} active={section === 'versions'} disabledReason={noFleet} icon={<History aria-hidden className={ICON} />}>
          Versions
        </NavLink>
        <NavLink
          href={sectionHref('proxies', fleet)}
          active={section === 'proxies'}
          icon={<Server aria-hidden className={ICON} />}
          badge={<CountBadge count={counts?.NACKED ?? 0} tone="danger" title="Proxies that rejected their latest config (NACKED)" testId="nav-nacked-count" />}
        >
          Proxies
        </NavLink>
        {/* Every fleet the user may read, and (for global roles) sign-ins, users and tokens: not narrowed to the current fleet. */}
        <NavLink href="/audit" active={pathname === '/audit'} icon={<ScrollText aria-hidden className={ICON} />}>
          Audit
        </NavLink>
        <NavLink href="/api-reference" active={pathname === '/api-reference'} icon={<BookOpen aria-hidden className={ICON} />}>
          API reference
        </NavLink>
        {globalAdmin ? (
          <>
            <p className="hidden px-2 pt-3 pb-1 text-[11px] font-semibold tracking-wide text-fg-subtle uppercase md:block">Access</p>
            <NavLink href="/settings/users" active={pathname.startsWith('/settings/users')} icon={<Users aria-hidden className={ICON} />}>
              Users
            </NavLink>
            <NavLink href="/settings/tokens" active={pathname.startsWith('/settings/tokens')} icon={<KeyRound aria-hidden className={ICON} />}>
              Tokens
            </NavLink>
          </>
        ) : null}
      </nav>
    </>
  )
}
