'use client'

import Link from 'next/link'
import type { ReactNode } from 'react'
import { cn } from '../ui/cn'

const ITEM = 'flex items-center gap-2 rounded-md px-2 py-1.5 text-sm font-medium whitespace-nowrap transition-colors focus-visible:outline-2 focus-visible:-outline-offset-2 focus-visible:outline-accent'

/** `icon` is an element, not a component, so a server component may pass it. */
export function NavLink({ href, icon, active, children, badge, disabledReason }: { href: string; icon: ReactNode; active: boolean; children: string; badge?: ReactNode; disabledReason?: string }) {
  if (disabledReason) {
    return (
      <span aria-disabled="true" title={disabledReason} className={cn(ITEM, 'cursor-not-allowed text-fg-subtle/70')}>
        {icon}
        {children}
      </span>
    )
  }
  return (
    <Link
      href={href}
      aria-current={active ? 'page' : undefined}
      data-testid={`nav-${children.toLowerCase()}`}
      className={cn(ITEM, active ? 'bg-surface-muted text-fg shadow-[inset_2px_0_0_var(--accent)]' : 'text-fg-muted hover:bg-surface-muted hover:text-fg')}
    >
      {icon}
      <span className="flex-1">{children}</span>
      {badge}
    </Link>
  )
}
