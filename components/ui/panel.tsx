import type { ReactNode } from 'react'
import { cn } from './cn'

/** A titled card around a table or a form. */
export function Panel({ title, description, actions, children, className, ...rest }: { title: ReactNode; description?: ReactNode; actions?: ReactNode; children: ReactNode; className?: string; 'data-testid'?: string }) {
  return (
    <section className={cn('overflow-hidden rounded-lg border border-line bg-surface shadow-xs', className)} {...rest}>
      <header className="flex items-center justify-between gap-4 border-b border-line px-4 py-2.5">
        <div className="min-w-0">
          <h2 className="text-sm font-semibold">{title}</h2>
          {description ? <p className="mt-0.5 truncate text-xs text-fg-subtle">{description}</p> : null}
        </div>
        {actions ? <div className="flex shrink-0 items-center gap-2">{actions}</div> : null}
      </header>
      {children}
    </section>
  )
}
