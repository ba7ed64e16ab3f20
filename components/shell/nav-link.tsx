'use client'

import Link from 'next/link'
import { usePathname } from 'next/navigation'
import type { ReactNode } from 'react'
import { cn } from '../ui/cn'

/** `icon` is an element, not a component: this is a client component and the sidebar renders on the server. */
export function NavLink({ href, icon, children }: { href: string; icon: ReactNode; children: string }) {
  const pathname = usePathname()
  const active = pathname === href
  return (
    <Link
      href={href}
      aria-current={active ? 'page' : undefined}
      className={cn(
        'flex items-center gap-2 rounded-md px-2 py-1.5 text-sm font-medium transition-colors',
        active ? 'bg-surface-muted text-fg' : 'text-fg-muted hover:bg-surface-muted hover:text-fg',
      )}
    >
      {icon}
      {children}
    </Link>
  )
}
