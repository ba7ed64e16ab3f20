import { dehydrate, HydrationBoundary } from '@tanstack/react-query'
import { connection } from 'next/server'
import type { ReactNode } from 'react'
import { authQueries } from '@/components/auth/queries'
import { fleetQueries } from '@/components/fleets/queries'
import { proxyQueries } from '@/components/proxies/queries'
import { createQueryClient } from '@/components/query-client'
import { AppSidebar } from '@/components/shell/app-sidebar'
import type { Me } from '@/server/contract'
import { consoleServices } from '@/server/http/console-session'
import { getRuntime } from '@/server/runtime'

/**
 * The shell of every console page. What the navigation shows (the fleets, the proxy counts) is
 * fetched here, once per full page load (a layout does not re-render on client navigation), so the
 * sidebar renders on the server with the right fleet and the links the user's roles allow. It must be: a query the sidebar creates empty
 * would make a page's HydrationBoundary defer that query's data to an effect on the server only, and
 * the page would hydrate differently from how it rendered. A failed prefetch is not dehydrated; the
 * client then fetches.
 */
export default async function ConsoleLayout({ children }: { children: ReactNode }) {
  await connection() // a view of the live database: never prerendered at build time
  const services = await consoleServices() // not signed in: to the sign-in (or first-run setup) page
  const queryClient = createQueryClient()
  // Who is signed in and with which roles: what the console offers (useCan) is right at the first render.
  const { principal } = services
  const oidc = getRuntime().services.oidc
  const me: Me = { principal: { kind: principal.kind === 'user' ? 'user' : 'token', name: principal.name, grants: [...principal.grants] }, setupRequired: false, sso: { enabled: oidc !== null, label: oidc?.label ?? '' } }
  await Promise.all([
    queryClient.prefetchQuery({ ...authQueries.me(), queryFn: () => me }),
    queryClient.prefetchQuery({ ...fleetQueries.list(), queryFn: () => services.fleets.list() }),
    queryClient.prefetchQuery({ ...proxyQueries.summary(), queryFn: () => services.proxies.summary() }),
  ])
  return (
    <HydrationBoundary state={dehydrate(queryClient)}>
      <div className="flex min-h-screen flex-col md:flex-row">
        <AppSidebar />
        <main className="min-w-0 flex-1 px-4 py-5 md:px-6 md:py-5 xl:px-8">
          <div className="mx-auto max-w-[1440px]">{children}</div>
        </main>
      </div>
    </HydrationBoundary>
  )
}
