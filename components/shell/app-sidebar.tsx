import { Suspense } from 'react'
import { UserMenu } from '../auth/user-menu'
import { LiveStatusBadge } from '../live/live-status-badge'
import { SearchPalette } from '../search/search-palette'
import { Brand } from './brand'
import { ConsoleNav } from './console-nav'
import { ThemeToggle } from './theme-toggle'

/**
 * A column on the left from md up. On narrow screens, a bar across the top: the brand, the fleet
 * switcher and the status on one line, the section links (scrolling sideways) on the next.
 */
export function AppSidebar() {
  return (
    <aside className="z-20 flex shrink-0 flex-wrap items-center gap-x-3 gap-y-2 border-b border-line bg-surface px-3 py-2 md:sticky md:top-0 md:h-screen md:w-56 md:flex-col md:flex-nowrap md:items-stretch md:gap-4 md:border-r md:border-b-0 md:px-3 md:py-4">
      <div className="shrink-0 md:px-1">
        <Brand />
      </div>
      {/* Search everywhere (⌘K / Ctrl-K): next to the brand, on a phone as on a desktop. */}
      <div className="shrink-0 md:px-1">
        <SearchPalette />
      </div>
      {/* useSearchParams() needs a Suspense boundary on statically rendered routes. */}
      <Suspense fallback={<div className="flex-1" />}>
        <ConsoleNav />
      </Suspense>
      <div className="ml-auto flex shrink-0 items-center gap-2 md:mt-auto md:ml-0 md:flex-col md:items-stretch md:gap-1.5 md:border-t md:border-line md:px-1 md:pt-3">
        <div className="flex items-center justify-between gap-2">
          <LiveStatusBadge />
          <ThemeToggle />
        </div>
        <UserMenu />
        <p className="hidden text-[11px] text-fg-subtle md:block">
          API at <span className="font-mono">/api/v1</span>
        </p>
      </div>
    </aside>
  )
}
