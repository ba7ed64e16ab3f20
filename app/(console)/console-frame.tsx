import { dehydrate, HydrationBoundary } from '@tanstack/react-query'
import type { ReactNode } from 'react'
import type { Me } from '@/server/contract'
import type { CallerServices } from '@/server/http/with-api'
import { getRuntime } from '@/server/runtime'
import { authQueries } from '@/components/auth/queries'
import { fleetQueries } from '@/components/fleets/queries'
import { LiveEvents } from '@/components/live/live-events'
import { proxyQueries } from '@/components/proxies/queries'
import { createQueryClient } from '@/components/query-client'
import { AppSidebar } from '@/components/shell/app-sidebar'

/** The id of the console's <main>: the skip link's target. */
export const MAIN_ID = 'main'

/**
 * The shell of every console page (app/(console)/layout.tsx) and of the 404 page for an unknown URL
 * (app/not-found.tsx, outside the console's route group). What the navigation shows (the fleets,
 * the proxy counts) is fetched here, once per full page load (a layout does not re-render on client
 * navigation), so the sidebar renders on the server with the right fleet and the links the user's
 * roles allow. It must be: a query the sidebar creates empty would make a page's HydrationBoundary
 * defer that query's data to an effect on the server only, and the page would hydrate differently
 * from how it rendered. A failed prefetch is not dehydrated; the client then fetches.
 */
export async function ConsoleFrame({ services, children }: { services: CallerServices; children: ReactNode }) {
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
      {/* The tab's one event feed, for as long as it shows console pages: the sign-in and setup pages
          (another layout) unmount it, so a signed-out tab does not keep asking for a feed it is refused. */}
      <LiveEvents>
        {/* WCAG 2.4.1 (bypass blocks): the first Tab stop skips the navigation. */}
        <a
          href={`#${MAIN_ID}`}
          data-testid="skip-link"
          className="sr-only z-50 rounded-md bg-accent px-3 py-2 text-sm font-medium text-accent-fg shadow-lg focus:not-sr-only focus:fixed focus:top-2 focus:left-2 focus:outline-2 focus:outline-offset-2 focus:outline-accent"
        >
          Skip to main content
        </a>
        <div className="flex min-h-screen flex-col md:flex-row">
          <AppSidebar />
          {/* tabIndex -1: the skip link moves focus here, not only the scroll position. */}
          <main id={MAIN_ID} tabIndex={-1} className="min-w-0 flex-1 px-4 py-5 focus:outline-none md:px-6 md:py-5 xl:px-8">
            <div className="mx-auto max-w-[1440px]">{children}</div>
          </main>
        </div>
      </LiveEvents>
    </HydrationBoundary>
  )
}
