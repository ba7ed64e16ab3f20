import { Boxes } from 'lucide-react'
import { LiveStatusBadge } from '../live/live-status-badge'
import { Brand } from './brand'
import { NavLink } from './nav-link'

/** A column on the left from md up; a bar across the top on narrow screens. */
export function AppSidebar() {
  return (
    <aside className="flex shrink-0 items-center gap-4 border-b border-line bg-surface px-4 py-2.5 md:sticky md:top-0 md:h-screen md:w-56 md:flex-col md:items-stretch md:border-r md:border-b-0 md:px-3 md:py-4">
      <div className="md:px-1">
        <Brand />
      </div>
      <nav aria-label="Console" className="flex gap-1 md:flex-col">
        <NavLink href="/" icon={<Boxes aria-hidden className="size-4" />}>
          Fleets
        </NavLink>
      </nav>
      <div className="ml-auto md:mt-auto md:ml-0 md:border-t md:border-line md:px-1 md:pt-3">
        <LiveStatusBadge />
        <p className="mt-1 hidden text-[11px] text-fg-subtle md:block">
          API at <span className="font-mono">/api/v1</span>
        </p>
      </div>
    </aside>
  )
}
