import { ChevronRight } from 'lucide-react'
import Link from 'next/link'
import type { ReactNode } from 'react'
import { sectionHref } from '../shell/fleet-href'

export type Crumb = Readonly<{ label: ReactNode; href?: string }>

/** Fleets › demo › Versions › …, then the page title: where a versions page sits in the console. */
export function FleetPageHeader({ fleet, crumbs = [], title, description, actions }: { fleet: string; crumbs?: readonly Crumb[]; title: ReactNode; description?: ReactNode; actions?: ReactNode }) {
  const trail: Crumb[] = [{ label: 'Fleets', href: '/' }, { label: <span className="font-mono">{fleet}</span>, href: sectionHref('overview', fleet) }, ...crumbs]
  return (
    <div className="mb-5">
      <nav aria-label="Breadcrumb" className="mb-1.5">
        <ol className="flex flex-wrap items-center gap-1 text-xs text-fg-subtle">
          {trail.map((crumb, i) => (
            <li key={i} className="flex items-center gap-1">
              {i > 0 ? <ChevronRight aria-hidden className="size-3" /> : null}
              {crumb.href ? (
                <Link href={crumb.href} className="hover:text-fg hover:underline">
                  {crumb.label}
                </Link>
              ) : (
                <span aria-current="page">{crumb.label}</span>
              )}
            </li>
          ))}
        </ol>
      </nav>
      <div className="flex flex-wrap items-start justify-between gap-3">
        <div className="min-w-0">
          <h1 className="text-lg font-semibold tracking-tight">{title}</h1>
          {description ? <div className="mt-0.5 max-w-3xl text-sm text-fg-muted">{description}</div> : null}
        </div>
        {actions ? <div className="flex shrink-0 items-center gap-2">{actions}</div> : null}
      </div>
    </div>
  )
}
